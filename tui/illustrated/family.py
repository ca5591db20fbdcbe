"""Which demo family the guide follows (``--famille``): a name, either way round, or a mobile
number as typed, matched as the app matches names (accents, case, separators ignored)."""

from __future__ import annotations

from services.demo import DEMO_GUARDIANS, DemoGuardian
from services.i18n import _
from services.names import normalize_name

__all__ = ["DEFAULT_FAMILY", "FamilyRefused", "choose_family"]

DEFAULT_FAMILY = f"{DEMO_GUARDIANS[0].prenom} {DEMO_GUARDIANS[0].nom}"
"""The first family of the demo list (Sophie Martin: two children in two schools)."""


class FamilyRefused(Exception):
    """No guide for this ``--famille``; ``message`` is French and says what to give instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def choose_family(wanted: str) -> DemoGuardian:
    """The family ``wanted`` names. A family without a mobile cannot register by SMS, the
    way this guide shows: it is refused, and so is a name two families share."""
    key = normalize_name(wanted)
    digits = "".join(c for c in wanted if c.isdigit())
    found = [
        guardian
        for guardian in DEMO_GUARDIANS
        if key
        in (
            normalize_name(f"{guardian.prenom} {guardian.nom}"),
            normalize_name(f"{guardian.nom} {guardian.prenom}"),
        )
        or (digits and digits == "".join(c for c in guardian.portable if c.isdigit()))
    ]
    if not found:
        raise FamilyRefused(
            _("Aucune famille de démonstration ne s'appelle « %(wanted)s ». Familles : %(names)s.")
            % {"wanted": wanted, "names": ", ".join(_names())}
        )
    if len(found) > 1:
        raise FamilyRefused(
            _(
                "Plusieurs familles de démonstration s'appellent « %(wanted)s » : donnez le "
                "portable de la famille voulue, par exemple --famille « %(phone)s »."
            )
            % {"wanted": wanted, "phone": found[0].portable}
        )
    guardian = found[0]
    if not guardian.portable:
        raise FamilyRefused(
            _(
                "%(prenom)s %(nom)s n'a pas de portable connu de l'établissement : "
                "l'inscription par SMS, que ce guide illustre, lui est impossible. Choisissez "
                "une famille qui a un portable."
            )
            % {"prenom": guardian.prenom, "nom": guardian.nom}
        )
    return guardian


def _names() -> list[str]:
    seen: list[str] = []
    for guardian in DEMO_GUARDIANS:
        name = f"{guardian.prenom} {guardian.nom}"
        if name not in seen:
            seen.append(name)
    return seen
