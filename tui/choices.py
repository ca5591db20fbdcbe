"""The choices the guide's steps offer, as data without Textual: the screens draw them and the
line mode (``tui.lines``) numbers them, from this one list."""

from __future__ import annotations

from tui.language import N_

__all__ = ["ENT_PROFILES", "ENT_SITE", "GUARDIAN", "PROFILE_NAMES", "PUPIL", "SERVICES", "SITES"]

ENT_SITE = "ent"
SITES = (
    ("national", N_("teleservices.education.gouv.fr — Téléservices")),
    ("academie", N_("teleservices.ac-montpellier.fr — académie de Montpellier")),
    (ENT_SITE, N_("frederic-bazille.mon-ent-occitanie.fr — ENT du collège")),
)

# (label, leads to ÉduConnect)
ENT_PROFILES = (
    (N_("Élève ou parent de l'académie de Montpellier"), True),
    (N_("Élève ou parent de l'académie de Toulouse"), False),
    (N_("Élève ou parent de l'académie de Toulouse avec EduConnect"), True),
    (N_("Élève ou parent de l'enseignement agricole"), False),
    (N_("Élève ou parent du lycée de la mer Paul Bousquet"), False),
    (N_("Enseignant"), False),
    (N_("Personnel non enseignant"), False),
    (N_("Autres comptes et invités"), False),
)

GUARDIAN = "representant"
PUPIL = "eleve"
PROFILE_NAMES = {GUARDIAN: N_("Représentant légal"), PUPIL: N_("Élève")}

# (button id, label, the service's name in a sentence)
SERVICES = (
    ("service-ent", N_("ENT — espace numérique de travail"), N_("L'ENT")),
    ("service-pronote", N_("Pronote"), N_("Pronote")),
    ("service-scolarite", N_("Scolarité Services"), N_("Scolarité Services")),
    ("service-livret", N_("Livret scolaire"), N_("Le livret scolaire")),
    (
        "service-demarches",
        N_("Démarches en ligne (fiche de renseignements, demande de bourse)"),
        N_("Les démarches en ligne"),
    ),
)
