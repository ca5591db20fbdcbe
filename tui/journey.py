"""The guide's order as data: for each step and the outcome it ended with, the step that comes
next and how it is reached.

Screens end with an outcome and never build the next screen; ``tui.navigator`` applies the
move this table gives. Nothing here knows Textual, so a front end without screens (the line
mode) can walk the same table. Escape, « back one step », is the same everywhere and is not a
row here: every step goes back to the one below it unless it says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.franceconnect import FcIdentity
    from services.passwords import PasswordContext
    from services.pupils import FirstLogin
    from services.recovery import ResetChannel
    from services.registration import AccountActivated, ChildrenToConfirm, ChildView

__all__ = [
    "ANY_STEP",
    "JOURNEY",
    "BackTo",
    "Forward",
    "Instead",
    "Move",
    "NoRoute",
    "Notice",
    "Outcome",
    "Replace",
    "Step",
    "next_move",
    "payload",
]


class Step(StrEnum):
    """One screen of the journey, by the name the guide gives it."""

    ENTRY = "entry"
    ENT_PROFILE = "ent-profile"
    EDUCONNECT_PROFILE = "educonnect-profile"
    AUTHENTICATION = "authentication"
    # The guardian's self-registration (guide steps 3 to 8).
    ACTIVATION = "activation"
    SMS_CONFIRMATION = "sms-confirmation"
    ACTIVATION_CODE = "activation-code"
    CHILDREN = "children"
    PASSWORD = "password"
    ACCOUNT_ACTIVATED = "account-activated"
    EXISTING_ACCOUNT = "existing-account"
    # Logged in.
    SERVICES = "services"
    ACCOUNT = "account"
    CHANGE_PASSWORD = "change-password"
    EMAIL = "email"
    EMAIL_CODE = "email-code"
    # « Identifiant oublié ? » and « Mot de passe oublié ? ».
    FORGOT_IDENTIFIANT = "forgot-identifiant"
    IDENTIFIANT_SENT = "identifiant-sent"
    FORGOT_PASSWORD = "forgot-password"
    RESET_CODE = "reset-code"
    NEW_PASSWORD = "new-password"
    PASSWORD_CHANGED = "password-changed"
    # A pupil's first login with provisional credentials.
    IDENTITY_CHECK = "identity-check"
    PUPIL_PASSWORD = "pupil-password"
    PUPIL_EMAIL = "pupil-email"
    # FranceConnect (simulated).
    FC_PROVIDER = "fc-provider"
    FC_LOGIN = "fc-login"
    FC_IDENTITY = "fc-identity"
    FC_MOBILE = "fc-mobile"
    FC_CODE = "fc-code"
    FC_CHILDREN = "fc-children"
    FC_SERVICES = "fc-services"


@dataclass(frozen=True)
class Notice:
    """A short message shown in a dialog once the move is made."""

    title: str
    text: str


@dataclass(frozen=True)
class Outcome:
    """How a step ended. A subclass's own fields are what the next step is built with
    (``payload``); ``notice`` is shown once the next step is there."""

    notice: Notice | None = field(default=None, kw_only=True)


def payload(outcome: Outcome) -> list[object]:
    """The outcome's own fields, in order: the next step's arguments after services and flow."""
    return [getattr(outcome, item.name) for item in fields(outcome) if item.name != "notice"]


# Steps 1 to 2.
@dataclass(frozen=True)
class EntChosen(Outcome):
    """Step 1: the collège's ENT, which asks for its own profile first."""


@dataclass(frozen=True)
class TeleservicesChosen(Outcome):
    """Step 1: a Téléservices site, which goes to ÉduConnect directly."""


@dataclass(frozen=True)
class EntProfileChosen(Outcome):
    """Step 1.1: a profile that signs in with ÉduConnect."""


@dataclass(frozen=True)
class ProfileChosen(Outcome):
    """Step 1.2: Représentant légal or Élève (kept in the flow)."""


@dataclass(frozen=True)
class NoAccount(Outcome):
    """« Je n'ai pas de compte → », for a guardian."""


@dataclass(frozen=True)
class LoggedIn(Outcome):
    """The session is open (kept in the flow)."""


@dataclass(frozen=True)
class FirstLoginStarted(Outcome):
    """A pupil's provisional password was right: the identity check comes first."""

    started: FirstLogin


@dataclass(frozen=True)
class IdentifiantForgotten(Outcome):
    """« Identifiant oublié ? », for a guardian."""


@dataclass(frozen=True)
class PasswordForgotten(Outcome):
    """« Mot de passe oublié ? », with the identifiant typed so far."""

    identifiant: str = ""


@dataclass(frozen=True)
class FranceConnectChosen(Outcome):
    """« S'identifier avec FranceConnect », for a guardian."""


@dataclass(frozen=True)
class BackToLogin(Outcome):
    """Back to step 2 (logged out, session ended, recovery done), the identifiant filled in
    when given."""

    identifiant: str = ""


# The guardian's self-registration, steps 3 to 8.
@dataclass(frozen=True)
class RegistrationStarted(Outcome):
    """Step 3: the school knows this guardian (or says the same sentence as if it did)."""


@dataclass(frozen=True)
class CodeSent(Outcome):
    """The activation code left by SMS."""


@dataclass(frozen=True)
class CodeAccepted(Outcome):
    """The SMS code was right: the children to confirm."""

    to_confirm: ChildrenToConfirm


@dataclass(frozen=True)
class AccountAlreadyActive(Outcome):
    """The right SMS code from a guardian whose account is already active: their identifiant,
    and nothing left to activate."""

    identifiant: str


@dataclass(frozen=True)
class ChildrenConfirmed(Outcome):
    """Step 6 done: what step 7 checks the password against, and the children reported with
    « Non » (the last screen names them)."""

    context: PasswordContext
    disputed: tuple[ChildView, ...] = ()


@dataclass(frozen=True)
class PasswordChosen(Outcome):
    """Step 7 done: the account is active; the children reported with « Non » at step 6."""

    activated: AccountActivated
    disputed: tuple[ChildView, ...] = ()


@dataclass(frozen=True)
class VisitFinished(Outcome):
    """« Terminer »: a new visit starts at step 1."""


@dataclass(frozen=True)
class RegistrationRestarted(Outcome):
    """« Recommencer l'activation » once the server has ended the registration."""


@dataclass(frozen=True)
class RegistrationAbandoned(Outcome):
    """« Annuler » confirmed at steps 6 or 7."""


# Logged in: « Mon compte ».
@dataclass(frozen=True)
class AccountAsked(Outcome):
    """« Mon compte »."""


@dataclass(frozen=True)
class PasswordChangeAsked(Outcome):
    """« Changer mon mot de passe »."""


@dataclass(frozen=True)
class PasswordChanged(Outcome):
    """The new password is set; « Mon compte » says so."""


@dataclass(frozen=True)
class EmailChangeAsked(Outcome):
    """« Ajouter / Changer d'adresse e-mail », with the address known so far."""

    current: str | None


@dataclass(frozen=True)
class EmailCodeSent(Outcome):
    """A confirmation code left for this address."""

    email: str


@dataclass(frozen=True)
class EmailConfirmed(Outcome):
    """The address is confirmed."""


@dataclass(frozen=True)
class EmailSkipped(Outcome):
    """« Passer cette étape » at a pupil's first login."""


# Recovery.
@dataclass(frozen=True)
class IdentifiantReminded(Outcome):
    """The neutral sentence, whatever matched."""

    message: str


@dataclass(frozen=True)
class ResetCodeSent(Outcome):
    """A reset code was asked for (the same sentence whether or not one left)."""

    identifiant: str
    channel: ResetChannel
    message: str


@dataclass(frozen=True)
class ResetCodeAccepted(Outcome):
    """The reset code was right."""

    token: str
    context: PasswordContext


@dataclass(frozen=True)
class PasswordReset(Outcome):
    """The new password is set; no automatic login."""

    identifiant: str


# A pupil's first login.
@dataclass(frozen=True)
class IdentityConfirmed(Outcome):
    """The date of birth was right."""

    started: FirstLogin
    context: PasswordContext


@dataclass(frozen=True)
class PupilPasswordChosen(Outcome):
    """The pupil's account is active and logged in (kept in the flow)."""


# FranceConnect.
@dataclass(frozen=True)
class ProviderChosen(Outcome):
    """An identity provider."""

    provider: str


@dataclass(frozen=True)
class FcAuthenticated(Outcome):
    """The provider handed over this identity."""

    identity: FcIdentity


@dataclass(frozen=True)
class FcFirstUse(Outcome):
    """No account linked to this identity yet."""

    identity: FcIdentity


@dataclass(frozen=True)
class FcSignedIn(Outcome):
    """The identity is linked: the session is open (kept in the flow)."""


@dataclass(frozen=True)
class Forward:
    """Show ``step`` over this one: Escape comes back here."""

    step: Step


@dataclass(frozen=True)
class Instead:
    """Show ``step`` in place of this one: nothing leads back into it."""

    step: Step


@dataclass(frozen=True)
class BackTo:
    """Back to the newest ``step`` shown, closing every step above it; nothing happens when
    it is not shown."""

    step: Step


@dataclass(frozen=True)
class Replace:
    """Back to the newest ``anchor`` shown, then ``step`` in its place."""

    anchor: Step
    step: Step


Move = Forward | Instead | BackTo | Replace

ANY_STEP = None
"""In a rule's key: whatever the step, unless a row names the step itself."""

JOURNEY: dict[tuple[Step | None, type[Outcome]], Move] = {
    # Steps 1 to 2.
    (Step.ENTRY, EntChosen): Forward(Step.ENT_PROFILE),
    (Step.ENTRY, TeleservicesChosen): Forward(Step.EDUCONNECT_PROFILE),
    (Step.ENT_PROFILE, EntProfileChosen): Forward(Step.EDUCONNECT_PROFILE),
    (Step.EDUCONNECT_PROFILE, ProfileChosen): Forward(Step.AUTHENTICATION),
    (Step.AUTHENTICATION, NoAccount): Forward(Step.ACTIVATION),
    (Step.AUTHENTICATION, LoggedIn): Forward(Step.SERVICES),
    (Step.AUTHENTICATION, FirstLoginStarted): Forward(Step.IDENTITY_CHECK),
    (Step.AUTHENTICATION, IdentifiantForgotten): Forward(Step.FORGOT_IDENTIFIANT),
    (Step.AUTHENTICATION, PasswordForgotten): Forward(Step.FORGOT_PASSWORD),
    (Step.AUTHENTICATION, FranceConnectChosen): Forward(Step.FC_PROVIDER),
    (ANY_STEP, BackToLogin): BackTo(Step.AUTHENTICATION),
    # Steps 3 to 8: the guardian's self-registration by SMS.
    (Step.ACTIVATION, RegistrationStarted): Forward(Step.SMS_CONFIRMATION),
    (Step.SMS_CONFIRMATION, CodeSent): Forward(Step.ACTIVATION_CODE),
    (Step.ACTIVATION_CODE, CodeAccepted): Forward(Step.CHILDREN),
    # The existing account takes the place of the whole registration: Escape goes back to the
    # login page, where « Se connecter » leads as well.
    (ANY_STEP, AccountAlreadyActive): Replace(Step.ACTIVATION, Step.EXISTING_ACCOUNT),
    (Step.EXISTING_ACCOUNT, PasswordForgotten): Forward(Step.FORGOT_PASSWORD),
    (Step.CHILDREN, ChildrenConfirmed): Forward(Step.PASSWORD),
    (Step.PASSWORD, PasswordChosen): Forward(Step.ACCOUNT_ACTIVATED),
    (Step.ACCOUNT_ACTIVATED, VisitFinished): Replace(Step.ENTRY, Step.ENTRY),
    (ANY_STEP, RegistrationRestarted): BackTo(Step.ACTIVATION),
    (ANY_STEP, RegistrationAbandoned): BackTo(Step.AUTHENTICATION),
    # Logged in.
    (Step.SERVICES, AccountAsked): Forward(Step.ACCOUNT),
    (Step.ACCOUNT, PasswordChangeAsked): Forward(Step.CHANGE_PASSWORD),
    (Step.ACCOUNT, EmailChangeAsked): Forward(Step.EMAIL),
    (Step.ACCOUNT, EmailCodeSent): Forward(Step.EMAIL_CODE),
    (Step.CHANGE_PASSWORD, PasswordChanged): BackTo(Step.ACCOUNT),
    (Step.EMAIL, EmailCodeSent): Instead(Step.EMAIL_CODE),
    (Step.EMAIL_CODE, EmailConfirmed): BackTo(Step.ACCOUNT),
    # « Identifiant oublié ? » and « Mot de passe oublié ? ».
    (Step.FORGOT_IDENTIFIANT, IdentifiantReminded): Instead(Step.IDENTIFIANT_SENT),
    (Step.IDENTIFIANT_SENT, PasswordForgotten): Instead(Step.FORGOT_PASSWORD),
    (Step.FORGOT_PASSWORD, ResetCodeSent): Forward(Step.RESET_CODE),
    (Step.RESET_CODE, ResetCodeAccepted): Forward(Step.NEW_PASSWORD),
    (Step.NEW_PASSWORD, PasswordReset): Forward(Step.PASSWORD_CHANGED),
    # A pupil's first login: each step replaces the one before, so once the account is
    # active nothing leads back into the provisional steps.
    (Step.IDENTITY_CHECK, IdentityConfirmed): Instead(Step.PUPIL_PASSWORD),
    (Step.PUPIL_PASSWORD, PupilPasswordChosen): Instead(Step.PUPIL_EMAIL),
    (Step.PUPIL_EMAIL, EmailConfirmed): Instead(Step.SERVICES),
    (Step.PUPIL_EMAIL, EmailSkipped): Instead(Step.SERVICES),
    # FranceConnect: once signed in, the services replace every FranceConnect step.
    (Step.FC_PROVIDER, ProviderChosen): Forward(Step.FC_LOGIN),
    (Step.FC_LOGIN, FcAuthenticated): Forward(Step.FC_IDENTITY),
    (Step.FC_IDENTITY, FcSignedIn): Replace(Step.FC_PROVIDER, Step.FC_SERVICES),
    (Step.FC_IDENTITY, FcFirstUse): Forward(Step.FC_MOBILE),
    (Step.FC_MOBILE, CodeSent): Forward(Step.FC_CODE),
    (Step.FC_CODE, CodeAccepted): Forward(Step.FC_CHILDREN),
    (Step.FC_CODE, RegistrationRestarted): BackTo(Step.FC_MOBILE),
    (Step.FC_CHILDREN, RegistrationRestarted): BackTo(Step.FC_MOBILE),
    (Step.FC_CHILDREN, FcSignedIn): Replace(Step.FC_PROVIDER, Step.FC_SERVICES),
    (Step.FC_SERVICES, AccountAsked): Forward(Step.ACCOUNT),
}


class NoRoute(LookupError):
    """A step ended with an outcome the journey does not foresee there."""


def next_move(step: Step, outcome: Outcome) -> Move:
    """Where ``step`` leads once it ended with ``outcome``: the step's own row, else the row
    for any step."""
    kind = type(outcome)
    move = JOURNEY.get((step, kind)) or JOURNEY.get((ANY_STEP, kind))
    if move is None:
        raise NoRoute(f"{step.value}: {kind.__name__}")
    return move
