"""Every refusal a service makes is one of these: a stable ``code`` and its ``params``; the
sentence comes from the catalog (``services/refusals.py``), in French unless a front end asks
``text()`` for another language.

``field`` names the form field the message belongs beside (``None``: the whole form).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Self

from services.formatting import hour
from services.i18n import N_, N_plural, Translations, translations
from services.refusals import (
    LOGIN_REFUSED_MESSAGE,
    NO_MATCH_MESSAGE,
    PUPIL_LOGIN_HINT,
    SINGLE_LINK_SENTENCE,
    ErrorCode,
    sentence,
)

__all__ = [
    "LOGIN_REFUSED_MESSAGE",
    "NO_MATCH_MESSAGE",
    "PUPIL_LOGIN_HINT",
    "SINGLE_LINK_SENTENCE",
    "AdminRefused",
    "AlreadyHasAccount",
    "AskTheSchool",
    "BirthDateMismatch",
    "CodeExpired",
    "CodeIncorrect",
    "CodeVoided",
    "CurrentPasswordIncorrect",
    "DeliveryFailed",
    "EmailCodeExpired",
    "EmailCodeIncorrect",
    "EmailCodeVoided",
    "ErrorCode",
    "FirstLoginEnded",
    "FranceConnectRefused",
    "InvalidInput",
    "LoginRefused",
    "NoChildConfirmed",
    "NoMatch",
    "PasswordMismatch",
    "PasswordRejected",
    "PupilLoginRefused",
    "RegistrationEnded",
    "RequestLimited",
    "ResendLimited",
    "ResetCodeRejected",
    "ResetEnded",
    "ServiceError",
    "SessionEnded",
    "SingleLinkRule",
    "TooManyBirthDates",
    "WrongProfile",
]


class ServiceError(Exception):
    field: str | None = None

    def __init__(
        self, code: ErrorCode, /, *, field: str | None = None, **params: str | int
    ) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params
        if field is not None:
            self.field = field

    @classmethod
    def relaying(cls, text: str) -> Self:
        """A refusal written by another layer (the store's), passed on as it is."""
        return cls(ErrorCode.RELAYED, text=text)

    def text(self, language: Translations) -> str:
        """The sentence in the language of ``language``."""
        return sentence(language, self.code, self.params)

    @property
    def message(self) -> str:
        """The sentence in the default language (French)."""
        return self.text(translations())

    def __str__(self) -> str:
        return self.message

    @property
    def wait_seconds(self) -> int | None:
        """How long the person is asked to wait before trying again, when the sentence says it
        in seconds: once that time is over the sentence no longer holds."""
        return None

    def after_wait(self) -> ServiceError | None:
        """What still holds once the wait is over: the refusal without its wait, or nothing."""
        return None


class InvalidInput(ServiceError):
    """A field that cannot be understood (empty name, not a phone number, bad date…)."""


_WAIT_HINT = N_plural(
    "Patientez %(count)d seconde avant de réessayer.",
    "Patientez %(count)d secondes avant de réessayer.",
)


class NoMatch(ServiceError):
    """Unknown person, wrong phone or wrong name: deliberately indistinguishable."""

    def __init__(self) -> None:
        super().__init__(ErrorCode.NO_MATCH)


class RegistrationEnded(ServiceError):
    """The registration token is unknown, expired or was closed; start again from step 3."""

    def __init__(self, code: ErrorCode = ErrorCode.REGISTRATION_ENDED) -> None:
        super().__init__(code)


class AlreadyHasAccount(RegistrationEnded):
    """A registration whose right code showed an existing account (``ExistingAccount``) goes
    no further; any later step says so again, with the identifiant."""

    def __init__(self, identifiant: str) -> None:
        ServiceError.__init__(self, ErrorCode.ALREADY_HAS_ACCOUNT, identifiant=identifiant)
        self.identifiant = identifiant


class CodeIncorrect(ServiceError):
    field = "code"
    code_when_wrong = ErrorCode.CODE_INCORRECT

    def __init__(self, remaining: int) -> None:
        super().__init__(self.code_when_wrong, field="code", count=remaining)
        self.remaining = remaining


class CodeExpired(ServiceError):
    field = "code"

    def __init__(self) -> None:
        super().__init__(ErrorCode.CODE_EXPIRED, field="code")


class CodeVoided(ServiceError):
    field = "code"

    def __init__(self) -> None:
        super().__init__(ErrorCode.CODE_VOIDED, field="code")


class ResendLimited(ServiceError):
    field = "code"

    @property
    def wait_seconds(self) -> int | None:
        if self.code is not ErrorCode.RESEND_TOO_SOON:
            return None
        return int(self.params["count"])


class BirthDateMismatch(ServiceError):
    """At least one date of birth is wrong; ``pupil_ids`` says which."""

    def __init__(self, pupil_ids: tuple[str, ...], remaining: int) -> None:
        super().__init__(ErrorCode.BIRTH_DATE_MISMATCH, count=remaining)
        self.pupil_ids = pupil_ids
        self.remaining = remaining


class SingleLinkRule(ServiceError):
    def __init__(self) -> None:
        super().__init__(ErrorCode.SINGLE_LINK)


class NoChildConfirmed(ServiceError):
    def __init__(self) -> None:
        super().__init__(ErrorCode.NO_CHILD_CONFIRMED)


class PasswordRejected(ServiceError):
    """``unmet``: the labels of the rules not met, as the checklist shows them."""

    field = "password"

    def __init__(self, unmet: tuple[str, ...]) -> None:
        super().__init__(ErrorCode.PASSWORD_REJECTED, field="password", rules=" ; ".join(unmet))
        self.unmet = unmet


class PasswordMismatch(ServiceError):
    field = "confirmation"

    def __init__(self) -> None:
        super().__init__(ErrorCode.PASSWORD_MISMATCH, field="confirmation")


_LOCKED = N_(
    "Trop d'essais erronés : cet identifiant est verrouillé jusqu'à %(time)s. Sans attendre : "
    "« Mot de passe oublié ? »."
)


class _MayWait(ServiceError):
    """A refusal that, while the identifiant's slowdown runs, says how long to wait
    (``retry_after``, in seconds), and while it is locked, until when (``locked_until``)."""

    def __init__(
        self,
        code: ErrorCode,
        retry_after: int | None,
        *,
        field: str | None = None,
        locked_until: datetime | None = None,
    ) -> None:
        super().__init__(code, field=field)
        self.retry_after = retry_after
        self.locked_until = locked_until

    def text(self, language: Translations) -> str:
        if self.locked_until is not None:
            # Instead of the refusal: while locked, no password is checked at all, and the
            # sentence must fit under the form at 80×24.
            return language.gettext(_LOCKED) % {"time": hour(self.locked_until)}
        said = self.before_waiting(language)
        if not self.retry_after:
            return said
        wait = language.ngettext(*_WAIT_HINT, self.retry_after) % {"count": self.retry_after}
        return f"{said} {wait}"

    def before_waiting(self, language: Translations) -> str:
        return super().text(language)

    @property
    def wait_seconds(self) -> int | None:
        return self.retry_after or None

    def after_wait(self) -> ServiceError | None:
        # Not ``copy.copy``: an exception is copied by calling its class with its ``args``,
        # which the subclasses' constructors do not take.
        waited = Exception.__new__(type(self))
        waited.__dict__.update(self.__dict__, retry_after=None)
        return waited


class LoginRefused(_MayWait):
    """Unknown identifiant, wrong password or locked account: deliberately indistinguishable.

    ``retry_after`` (seconds) is set while the identifiant's slowdown is running,
    ``locked_until`` while it is locked; both are counted per typed identifiant, existing or
    not, so they say nothing about the account either.
    """

    refusal_code = ErrorCode.LOGIN_REFUSED

    def __init__(
        self, retry_after: int | None = None, locked_until: datetime | None = None
    ) -> None:
        super().__init__(self.refusal_code, retry_after, locked_until=locked_until)


class WrongProfile(ServiceError):
    """The right password, typed under the other profile (only said once the password matched)."""

    def __init__(self, account_is_pupil: bool) -> None:
        super().__init__(
            ErrorCode.WRONG_PROFILE_PUPIL if account_is_pupil else ErrorCode.WRONG_PROFILE_GUARDIAN
        )
        self.account_is_pupil = account_is_pupil


class SessionEnded(ServiceError):
    """The session was closed elsewhere (password changed or reset): log in again."""

    def __init__(self) -> None:
        super().__init__(ErrorCode.SESSION_ENDED)


class CurrentPasswordIncorrect(_MayWait):
    field = "current"

    def __init__(
        self, retry_after: int | None = None, locked_until: datetime | None = None
    ) -> None:
        super().__init__(
            ErrorCode.CURRENT_PASSWORD_INCORRECT,
            retry_after,
            field="current",
            locked_until=locked_until,
        )


class ResetCodeRejected(ServiceError):
    """Wrong, expired, used or voided reset code, or no such account: one answer for all, so the
    code step tells nothing about whether the identifiant exists."""

    field = "code"

    def __init__(self) -> None:
        super().__init__(ErrorCode.RESET_CODE_REJECTED, field="code")


class ResetEnded(ServiceError):
    """The token given after the code is unknown, used or expired: start again."""

    def __init__(self) -> None:
        super().__init__(ErrorCode.RESET_ENDED)


class _UntilTime(ServiceError):
    """A refusal that says the time (``next_at``) from which one may try again; once it is
    over, the refusal no longer holds and goes."""

    def __init__(self, code: ErrorCode, next_at: datetime, now: datetime) -> None:
        super().__init__(code, time=hour(next_at))
        self.next_at = next_at
        self.wait = max(1, math.ceil((next_at - now).total_seconds()))

    @property
    def wait_seconds(self) -> int | None:
        return self.wait


class RequestLimited(_UntilTime):
    """« Mot de passe oublié ? » asked again inside the sending limits, counted per typed
    identifiant whether or not it is an account's: nothing was sent; ``next_at`` is when a
    new request will be accepted."""

    def __init__(self, next_at: datetime, now: datetime) -> None:
        super().__init__(ErrorCode.REQUEST_TOO_SOON, next_at, now)


class TooManyBirthDates(RegistrationEnded):
    """Step 6 refused a third time: the registration is over. ``next_at``: from when a new
    registration can be started (the start limits of the guardian, the mobile and the
    session), or ``None`` if it can be at once."""

    def __init__(self, next_at: datetime | None) -> None:
        if next_at is None:
            super().__init__(ErrorCode.REGISTRATION_TOO_MANY_BIRTH_DATES)
        else:
            ServiceError.__init__(
                self, ErrorCode.REGISTRATION_TOO_MANY_BIRTH_DATES_WAIT, time=hour(next_at)
            )
        self.next_at = next_at


class AskTheSchool(ServiceError):
    """A pupil's account without a confirmed e-mail: only the school can issue a password."""

    def __init__(self) -> None:
        super().__init__(ErrorCode.ASK_THE_SCHOOL)


class EmailCodeIncorrect(CodeIncorrect):
    """The same refusal as for an SMS code, for the code sent to a new e-mail address."""

    code_when_wrong = ErrorCode.EMAIL_CODE_INCORRECT


class EmailCodeExpired(ServiceError):
    field = "code"

    def __init__(self) -> None:
        super().__init__(ErrorCode.EMAIL_CODE_EXPIRED, field="code")


class EmailCodeVoided(ServiceError):
    field = "code"

    def __init__(self) -> None:
        super().__init__(ErrorCode.EMAIL_CODE_VOIDED, field="code")


class DeliveryFailed(ServiceError):
    """The e-mail server refused or could not be reached."""

    def __init__(self) -> None:
        super().__init__(ErrorCode.DELIVERY_FAILED)


class PupilLoginRefused(LoginRefused):
    """Every refusal under the « Élève » profile: the generic one, plus where to turn when the
    school's provisional password no longer works. Said whatever the reason, so it does not
    tell an expired or voided provisional password from a wrong one."""

    refusal_code = ErrorCode.PUPIL_LOGIN_REFUSED

    def before_waiting(self, language: Translations) -> str:
        # The generic refusal word for word, then the hint: nothing else tells the two
        # profiles' refusals apart.
        generic = sentence(language, ErrorCode.LOGIN_REFUSED, {})
        return f"{generic} {super().before_waiting(language)}"


class FirstLoginEnded(ServiceError):
    """The pupil's first login (identity check, new password) is over or expired: log in again,
    or, when the provisional password was voided, ask the school."""

    def __init__(self, code: ErrorCode = ErrorCode.FIRST_LOGIN_ENDED) -> None:
        super().__init__(code)


class AdminRefused(ServiceError):
    """A school administration action that cannot be done (unknown account, pupil or class…)."""


class FranceConnectRefused(ServiceError):
    """Wrong identifiant or password at the (simulated) identity provider: one answer for both."""

    def __init__(self) -> None:
        super().__init__(ErrorCode.FRANCECONNECT_REFUSED)
