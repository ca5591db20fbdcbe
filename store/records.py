"""The records kept in the store, as Pydantic models.

Everything crosses the store boundary through these: ``model_dump(mode="json")`` in,
``model_validate`` out. Free text that reaches a terminal refuses control and format
characters, so no escape sequence from an imported file or a paste is ever printed.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

__all__ = [
    "Account",
    "AccountKind",
    "AccountStatus",
    "AuditEvent",
    "Email",
    "Establishment",
    "Guardian",
    "Identifiant",
    "Link",
    "LinkState",
    "LoginThrottle",
    "OutboxMessage",
    "PersonName",
    "PhoneE164",
    "Pupil",
    "Registration",
    "RegistrationStage",
    "SendThrottle",
    "ShortText",
    "StartThrottle",
    "check_plain_text",
]

FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def check_plain_text(value: str) -> str:
    """NFC-normalise; refuse control, format, surrogate, private-use and unassigned characters."""
    value = unicodedata.normalize("NFC", value)
    # Every forbidden category is non-printable for str.isprintable (same Unicode database),
    # so this C-speed test clears almost every name; each record of the file passes here
    # whenever a new version of the file is read.
    if value.isprintable():
        return value
    for char in value:
        if unicodedata.category(char) in FORBIDDEN_CATEGORIES:
            raise ValueError(f"caractère interdit U+{ord(char):04X}")
    return value


def _nfc_first(value: object) -> object:
    # Lengths must be those of the stored (NFC) form: NFC lengthens some strings (U+0958 is
    # two characters), and a record longer than its limit once stored could never be read back.
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


_NFC_FIRST = BeforeValidator(_nfc_first)

PersonName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(check_plain_text),
    _NFC_FIRST,
]
ShortText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=200),
    AfterValidator(check_plain_text),
    _NFC_FIRST,
]
Identifiant = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z.]*[0-9]*$", max_length=80)]
PhoneE164 = Annotated[str, StringConstraints(pattern=r"^\+[1-9][0-9]{6,14}$")]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    AfterValidator(check_plain_text),
    _NFC_FIRST,
]
RecordId = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    AfterValidator(check_plain_text),
    _NFC_FIRST,
]
Digest = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Establishment(_Record):
    uai: RecordId
    nom: ShortText


class Pupil(_Record):
    id: RecordId
    nom: PersonName
    prenom: PersonName
    naissance: date
    classe: ShortText = ""
    uai: RecordId


class Guardian(_Record):
    id: RecordId
    nom: PersonName
    prenom: PersonName
    portable: PhoneE164 | None = None
    courriel: Email | None = None


class LinkState(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"


class Link(_Record):
    guardian_id: RecordId
    pupil_id: RecordId
    state: LinkState = LinkState.PENDING
    changed_at: datetime | None = None


class AccountKind(StrEnum):
    GUARDIAN = "guardian"
    PUPIL = "pupil"


class AccountStatus(StrEnum):
    PENDING_PASSWORD = "pending_password"
    ACTIVE = "active"
    # A pupil's account with a temporary password from the school, not yet used.
    PROVISIONAL = "provisional"


class Account(_Record):
    """One ÉduConnect account; the identifiant is unique across guardians and pupils."""

    identifiant: Identifiant
    kind: AccountKind
    owner_id: RecordId
    status: AccountStatus
    password_hash: Annotated[str, StringConstraints(max_length=512)] | None = None
    created_at: datetime
    activated_at: datetime | None = None
    last_login_at: datetime | None = None
    failed_logins: Annotated[int, Field(ge=0)] = 0
    locked_until: datetime | None = None
    email: Email | None = None
    email_confirmed: bool = False
    # Login slowdown: tries before this moment are refused without checking the password.
    login_not_before: datetime | None = None
    # The last counted failure: a count left alone for ``login_failures_forgotten_after`` starts
    # again from zero, as the count of a typed identifiant that is no account's (LoginThrottle).
    last_failed_login_at: datetime | None = None
    # Bumped on every password change: sessions opened with an older epoch are over.
    session_epoch: Annotated[int, Field(ge=0)] = 0
    password_changed_at: datetime | None = None
    # The reset_code_* fields, reset_sent_at and reminder_sent_at were written by versions
    # before the reset code and the reminder and reset limits moved to ``StartThrottle``
    # (issue 13); nothing reads them now: kept so that data those versions wrote still validates.
    reset_code_hash: Digest | None = None
    reset_code_expires_at: datetime | None = None
    reset_code_failures: Annotated[int, Field(ge=0)] = 0
    reset_sent_at: tuple[datetime, ...] = ()
    # « Mot de passe oublié »: the token for the new password, once the code was right.
    reset_token_hash: Digest | None = None
    reset_token_expires_at: datetime | None = None
    reminder_sent_at: tuple[datetime, ...] = ()
    # Confirmation of ``email`` (Mon compte) by a code sent to it.
    email_code_hash: Digest | None = None
    email_code_expires_at: datetime | None = None
    email_code_failures: Annotated[int, Field(ge=0)] = 0
    email_code_sent_at: tuple[datetime, ...] = ()
    # A pupil's provisional credentials (school-issued) and their first login.
    provisional_until: datetime | None = None
    birth_check_failures: Annotated[int, Field(ge=0)] = 0
    first_login_token_hash: Digest | None = None
    first_login_expires_at: datetime | None = None
    identity_confirmed: bool = False
    # The FranceConnect identity (``sub``) linked to this account: it logs in without a password.
    franceconnect_sub: Digest | None = None


class RegistrationStage(StrEnum):
    STARTED = "started"
    CODE_SENT = "code_sent"
    CODE_VERIFIED = "code_verified"
    CHILDREN_CONFIRMED = "children_confirmed"
    DONE = "done"
    ABANDONED = "abandoned"


class Registration(_Record):
    """A guardian's self-registration in progress, found by the hash of its token."""

    token_hash: Digest
    guardian_id: RecordId
    phone: PhoneE164
    created_at: datetime
    expires_at: datetime
    stage: RegistrationStage = RegistrationStage.STARTED
    # The person already has an active account: everything looks the same until the right
    # code, which shows the identifiant instead of going on to step 6.
    already_active: bool = False
    code_hash: Digest | None = None
    code_expires_at: datetime | None = None
    code_failures: Annotated[int, Field(ge=0)] = 0
    birth_date_failures: Annotated[int, Field(ge=0)] = 0
    identifiant: Identifiant | None = None
    # Set when this is a first login through FranceConnect: the identity to link at the end.
    franceconnect_sub: Digest | None = None


class SendThrottle(_Record):
    """When codes were last sent to one guardian, across all their registrations."""

    guardian_id: RecordId
    sent_at: tuple[datetime, ...] = ()


class LoginThrottle(_Record):
    """Failed logins with a typed identifiant that is no account's, counted like an account's
    (same fields), so that the waits and the lock do not tell which identifiants exist."""

    # A keyed hash of the identifiant as typed: people type passwords in that field too.
    key: Digest
    failed_logins: Annotated[int, Field(ge=0)] = 0
    last_failed_login_at: datetime | None = None
    login_not_before: datetime | None = None
    locked_until: datetime | None = None


class StartThrottle(_Record):
    """The moments of one kind of request with one typed value, matched or not: registration
    starts with a mobile number (step 3's limit), identifiant reminders with a mobile and reset
    requests with an identifiant (their sending limits, and the reset code)."""

    # A keyed hash of the purpose and the value: what is typed and nobody's is not kept readable.
    key: Digest
    started_at: tuple[datetime, ...] = ()
    # A reset request's code (« Mot de passe oublié »), kept here for a real identifiant and an
    # unknown one alike: both requests write this record and nothing else.
    code_hash: Digest | None = None
    code_expires_at: datetime | None = None
    code_failures: Annotated[int, Field(ge=0)] = 0


class AuditEvent(_Record):
    at: datetime
    event: Annotated[str, StringConstraints(max_length=64)]
    guardian_id: str | None = None
    identifiant: str | None = None
    detail: Annotated[str, StringConstraints(max_length=500)] = ""
    # Who ran a school administration action (the OS user name); ``None`` for everyone else.
    operator: Annotated[str, StringConstraints(max_length=64)] | None = None
    # The data file's transaction that wrote it (``store.database``); ``None`` elsewhere.
    commit: Annotated[str, StringConstraints(max_length=32)] | None = None


class OutboxMessage(_Record):
    at: datetime
    channel: Literal["sms", "email"]
    to: Annotated[str, StringConstraints(max_length=254)]
    subject: Annotated[str, StringConstraints(max_length=200)] = ""
    text: Annotated[str, StringConstraints(max_length=4000)]
