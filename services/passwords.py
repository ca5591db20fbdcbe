"""The password policy (as a checklist the screen can tick live) and password hashing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from passlib.context import CryptContext

from services.errors import ErrorCode, InvalidInput, PasswordMismatch, PasswordRejected
from services.i18n import _
from services.names import ascii_letters
from services.settings import PasswordHashing, Settings

__all__ = [
    "PasswordContext",
    "PasswordHasher",
    "RuleCheck",
    "check_password",
    "is_common_password",
    "require_acceptable_password",
]

_MIN_NAME_PART = 3


@dataclass(frozen=True)
class PasswordContext:
    """Whose password it is: the rules refuse one containing these."""

    identifiant: str
    nom: str
    prenom: str


@dataclass(frozen=True)
class RuleCheck:
    label: str
    met: bool


def check_password(
    password: str, settings: Settings, *, identifiant: str = "", nom: str = "", prenom: str = ""
) -> tuple[RuleCheck, ...]:
    """Every rule with whether ``password`` meets it, in the order the screen lists them."""
    low, high = settings.password_min_length, settings.password_max_length
    # The guide's four rules first and in its words (« au moins 8 caractères, majuscule,
    # minuscule, caractère spécial, ... »), then the ones it leaves in its « ... », named the
    # same way: the notice and the README read these labels.
    return (
        RuleCheck(
            _("Au moins %(low)d caractères (%(high)d au plus)") % {"low": low, "high": high},
            low <= len(password) <= high,
        ),
        RuleCheck(_("Majuscule (au moins une)"), any(c.isupper() for c in password)),
        RuleCheck(_("Minuscule (au moins une)"), any(c.islower() for c in password)),
        RuleCheck(
            _("Caractère spécial (! ? @ # * …)"),
            any(not c.isalnum() and not c.isspace() for c in password),
        ),
        RuleCheck(_("Chiffre (au moins un)"), any(c.isdigit() for c in password)),
        RuleCheck(
            _("Ni votre identifiant, nom, prénom"),
            bool(password) and not _contains_personal_data(password, identifiant, nom, prenom),
        ),
        RuleCheck(
            _("Pas un mot de passe trop courant"),
            bool(password) and not is_common_password(password),
        ),
    )


def require_acceptable_password(
    password: str, confirmation: str, settings: Settings, context: PasswordContext
) -> None:
    """Raise ``PasswordRejected`` (naming every unmet rule) or ``PasswordMismatch``; the one
    check every way of choosing a password goes through."""
    unmet = tuple(
        rule.label
        for rule in check_password(
            password,
            settings,
            identifiant=context.identifiant,
            nom=context.nom,
            prenom=context.prenom,
        )
        if not rule.met
    )
    if unmet:
        raise PasswordRejected(unmet)
    if password != confirmation:
        raise PasswordMismatch()


def _contains_personal_data(password: str, identifiant: str, nom: str, prenom: str) -> bool:
    folded = ascii_letters(password)
    if identifiant and identifiant.lower() in password.lower():
        return True
    parts = [ascii_letters(part) for name in (nom, prenom) for part in re.split(r"[\s'’\-]+", name)]
    return any(len(part) >= _MIN_NAME_PART and part in folded for part in parts)


@cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("services").joinpath("data/common-passwords.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def is_common_password(password: str) -> bool:
    """In the shipped list as typed, or once its digits and symbols are stripped
    (``Azerty2024!`` is ``azerty`` with decorations)."""
    common = _common_passwords()
    return password.lower() in common or ascii_letters(password) in common


class PasswordHasher:
    """passlib's CryptContext: argon2 for new hashes, bcrypt still accepted and upgraded."""

    def __init__(self, hashing: PasswordHashing) -> None:
        self._context = CryptContext(
            schemes=["argon2", "bcrypt"],
            deprecated="auto",
            argon2__memory_cost=hashing.memory_cost_kib,
            argon2__rounds=hashing.rounds,
            argon2__parallelism=hashing.parallelism,
        )

    def hash(self, password: str) -> str:
        try:
            password.encode("utf-8")
        except UnicodeEncodeError:
            # A lone surrogate (a broken paste) passes the checklist but cannot be hashed.
            raise InvalidInput(ErrorCode.PASSWORD_FORBIDDEN_CHARACTERS, field="password") from None
        return str(self._context.hash(password))

    def verify_and_update(self, password: str, stored_hash: str) -> tuple[bool, str | None]:
        """``(matches, new_hash_or_None)``; a bcrypt or weaker argon2 hash gets a new hash."""
        try:
            matches, new_hash = self._context.verify_and_update(password, stored_hash)
        except ValueError:
            # bcrypt 5 raises on passwords over 72 bytes instead of answering False.
            return False, None
        return bool(matches), new_hash

    def dummy_verify(self) -> None:
        """Spend the time of a real check, so unknown identifiants are not faster to refuse."""
        self._context.dummy_verify()
