"""The trainer's card: what ``educonnect demo`` prints, and the README shows word for word
(``tests/test_readme.py``): the demo families and what each shows, the keys to know, how to
open a room where each parent practises on their own copy, and the demo that plays itself.

One page, 80 columns at most (``tests/test_trainer_card.py``), through the catalog.
"""

from __future__ import annotations

import textwrap

from services.demo import (
    DEMO_ACTIVE_IDENTIFIANT,
    DEMO_ACTIVE_PASSWORD,
    DEMO_ESTABLISHMENTS,
    DEMO_GUARDIANS,
    DEMO_PUPILS,
)
from services.formatting import day
from services.i18n import _

__all__ = ["trainer_card"]

WIDTH = 80
"""The card fits a terminal of 80 columns, and a printed page."""


def trainer_card() -> str:
    """The whole card, one line per line, ending with a newline."""
    lines = [
        _("Carte du formateur — démonstration ÉduConnect"),
        "",
        _("Compte déjà actif : identifiant %(identifiant)s, mot de passe %(password)s")
        % {"identifiant": DEMO_ACTIVE_IDENTIFIANT, "password": DEMO_ACTIVE_PASSWORD},
        "",
        *_families(),
        "",
        *_keys(),
        "",
        *_room(),
        "",
        *_autoplay(),
    ]
    return "\n".join(lines) + "\n"


def _families() -> list[str]:
    schools = {e.uai: e.nom for e in DEMO_ESTABLISHMENTS}
    pupils = {p.id: p for p in DEMO_PUPILS}
    lines = [_("Familles (nom, prénom et portable à saisir à l'étape « activation du compte ») :")]
    for guardian in DEMO_GUARDIANS:
        if guardian.portable:
            lines.append(f"  {guardian.prenom} {guardian.nom} — {guardian.portable}")
        else:
            no_phone = _("%(prenom)s %(nom)s — aucun portable") % {
                "prenom": guardian.prenom,
                "nom": guardian.nom,
            }
            lines.append(f"  {no_phone}")
        for pupil_id in guardian.children:
            pupil = pupils[pupil_id]
            born = _("%(prenom)s %(nom)s, né(e) le %(day)s, %(school)s (%(classe)s)") % {
                "prenom": pupil.prenom,
                "nom": pupil.nom,
                "day": day(pupil.naissance),
                "school": schools[pupil.uai],
                "classe": pupil.classe,
            }
            lines.append(f"      {born}")
        lines.extend(_wrapped(f"→ {_(guardian.note)}", "      ", "        "))
    return lines


def _keys() -> list[str]:
    return [
        _("Touches :"),
        _("  F1      le texte du guide pour l'étape affichée"),
        _("  F2      le téléphone de démonstration : les SMS et courriels reçus"),
        _("  Ctrl+L  redessine l'écran qu'une liaison bruitée a brouillé"),
        _("  Échap   revient d'une étape (ou annule)"),
    ]


def _room() -> list[str]:
    return [
        _("Une salle : chaque parent s'entraîne sur sa propre copie des familles"),
        _("  educonnect serve ssh --bac-a-sable --host 0.0.0.0 --open"),
        _("      chaque parent : ssh -p 2222 parent@ADRESSE-DE-CE-POSTE"),
        _("  educonnect serve web --bac-a-sable --host 0.0.0.0"),
        _("      chaque parent ouvre http://ADRESSE-DE-CE-POSTE:8000 dans son navigateur"),
        _("  Sans mot de passe : sur le réseau de la salle seulement, jamais sur internet."),
    ]


def _autoplay() -> list[str]:
    return [
        _("La démonstration qui se joue seule, pendant que vous parlez :"),
        _("  educonnect demo --autoplay                   toute l'inscription"),
        _("  educonnect demo --autoplay --parcours mot-de-passe-oublie   (ou eleve)"),
        _("  educonnect demo --autoplay --vitesse 2       deux fois plus vite (de 0.5 à 4)"),
        _("  Espace : pause ou reprise, → : étape suivante, ← : rejouer l'étape,"),
        _("  Échap : reprendre la main dans l'application, à cet écran."),
    ]


def _wrapped(text: str, first: str, then: str) -> list[str]:
    """``text`` cut at spaces so that no line is wider than the card."""
    return textwrap.wrap(text, width=WIDTH, initial_indent=first, subsequent_indent=then)
