"""Every refusal a service makes is one of these, carrying the French sentence to show.

``field`` names the form field the message belongs beside (``None``: the whole form).
"""

from __future__ import annotations

__all__ = [
    "AccountUnavailable",
    "AdminRefused",
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
    "ResendLimited",
    "ResetCodeRejected",
    "ResetEnded",
    "ServiceError",
    "SessionEnded",
    "SingleLinkRule",
    "WrongProfile",
]


class ServiceError(Exception):
    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class InvalidInput(ServiceError):
    """A field that cannot be understood (empty name, not a phone number, bad date…)."""


NO_MATCH_MESSAGE = (
    "Les informations saisies ne permettent pas d'activer un compte. Vérifiez le nom, le prénom "
    "et le numéro de portable tels que l'établissement les connaît ; sinon, contactez "
    "l'établissement."
)


class NoMatch(ServiceError):
    """Unknown person, wrong phone or wrong name: deliberately indistinguishable."""

    def __init__(self) -> None:
        super().__init__(NO_MATCH_MESSAGE)


class RegistrationEnded(ServiceError):
    """The registration token is unknown, expired or was closed; start again from step 3."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or "Votre démarche d'activation a expiré ou n'est plus valable. Recommencez depuis "
            "le début."
        )


class CodeIncorrect(ServiceError):
    field = "code"

    def __init__(self, remaining: int) -> None:
        tries = "essai" if remaining == 1 else "essais"
        super().__init__(
            f"Le code saisi est incorrect. Il vous reste {remaining} {tries}.", field="code"
        )
        self.remaining = remaining


class CodeExpired(ServiceError):
    field = "code"

    def __init__(self) -> None:
        super().__init__(
            "Ce code a expiré (il n'est valable que 30 minutes). Demandez un nouveau code avec "
            "« Je n'ai pas reçu de code d'activation par SMS ».",
            field="code",
        )


class CodeVoided(ServiceError):
    field = "code"

    def __init__(self) -> None:
        super().__init__(
            "Trop d'essais : ce code n'est plus valable. Demandez un nouveau code avec "
            "« Je n'ai pas reçu de code d'activation par SMS ».",
            field="code",
        )


class ResendLimited(ServiceError):
    field = "code"


class BirthDateMismatch(ServiceError):
    """At least one date of birth is wrong; ``pupil_ids`` says which."""

    def __init__(self, pupil_ids: tuple[str, ...], remaining: int) -> None:
        tries = "essai" if remaining == 1 else "essais"
        super().__init__(
            "La date de naissance ne correspond pas à celle connue par l'établissement. "
            f"Il vous reste {remaining} {tries}."
        )
        self.pupil_ids = pupil_ids
        self.remaining = remaining


SINGLE_LINK_SENTENCE = (
    "S'il y a un seul lien responsable-élève, l'action ne sera pas prise en compte"
)


class SingleLinkRule(ServiceError):
    def __init__(self) -> None:
        super().__init__(
            f"{SINGLE_LINK_SENTENCE}. Confirmez ce lien avec la date de naissance, ou contactez "
            "l'établissement si ce rattachement est erroné."
        )


class NoChildConfirmed(ServiceError):
    def __init__(self) -> None:
        super().__init__(
            "Confirmez au moins un élève (réponse « Oui » et sa date de naissance) pour activer "
            "votre compte."
        )


class PasswordRejected(ServiceError):
    field = "password"

    def __init__(self, unmet: tuple[str, ...]) -> None:
        super().__init__(
            "Le mot de passe ne respecte pas les règles : " + " ; ".join(unmet) + ".",
            field="password",
        )
        self.unmet = unmet


class PasswordMismatch(ServiceError):
    field = "confirmation"

    def __init__(self) -> None:
        super().__init__("Les deux mots de passe ne sont pas identiques.", field="confirmation")


class AccountUnavailable(ServiceError):
    """Generic refusal for anything about an account that must not reveal why."""


def _wait_hint(retry_after: int | None) -> str:
    return f" Patientez {retry_after} secondes avant de réessayer." if retry_after else ""


LOGIN_REFUSED_MESSAGE = (
    "Identifiant ou mot de passe incorrect. En cas d'oubli, utilisez « Identifiant oublié ? » "
    "ou « Mot de passe oublié ? »."
)


class LoginRefused(ServiceError):
    """Unknown identifiant, wrong password or locked account: deliberately indistinguishable.

    ``retry_after`` (seconds) is set while the account's slowdown is running.
    """

    def __init__(self, retry_after: int | None = None) -> None:
        super().__init__(LOGIN_REFUSED_MESSAGE + _wait_hint(retry_after))
        self.retry_after = retry_after


class WrongProfile(ServiceError):
    """The right password, typed under the other profile (only said once the password matched)."""

    def __init__(self, account_is_pupil: bool) -> None:
        profile = "Élève" if account_is_pupil else "Représentant légal"
        super().__init__(
            f"Ce compte est un compte « {profile} ». Choisissez ce profil avec « Changer de "
            "profil », puis connectez-vous."
        )
        self.account_is_pupil = account_is_pupil


class SessionEnded(ServiceError):
    """The session was closed elsewhere (password changed or reset): log in again."""

    def __init__(self) -> None:
        super().__init__("Votre session a pris fin. Reconnectez-vous pour continuer.")


class CurrentPasswordIncorrect(ServiceError):
    field = "current"

    def __init__(self, retry_after: int | None = None) -> None:
        super().__init__(
            "Le mot de passe actuel est incorrect." + _wait_hint(retry_after), field="current"
        )
        self.retry_after = retry_after


class ResetCodeRejected(ServiceError):
    """Wrong, expired, used or voided reset code, or no such account: one answer for all, so the
    code step tells nothing about whether the identifiant exists."""

    field = "code"

    def __init__(self) -> None:
        super().__init__(
            "Ce code est incorrect ou n'est plus valable (il expire après 30 minutes ou 5 essais). "
            "Vérifiez-le ou demandez un nouveau code.",
            field="code",
        )


class ResetEnded(ServiceError):
    """The token given after the code is unknown, used or expired: start again."""

    def __init__(self) -> None:
        super().__init__(
            "Votre demande de nouveau mot de passe a expiré ou n'est plus valable. Recommencez "
            "avec « Mot de passe oublié ? »."
        )


class AskTheSchool(ServiceError):
    """A pupil's account without a confirmed e-mail: only the school can issue a password."""

    def __init__(self) -> None:
        super().__init__(
            "Ce compte élève n'a pas d'adresse e-mail confirmée : le mot de passe ne peut pas "
            "être réinitialisé ici. Demandez un nouveau mot de passe provisoire à votre "
            "établissement."
        )


class EmailCodeIncorrect(CodeIncorrect):
    """The same refusal as for an SMS code, for the code sent to a new e-mail address."""


class EmailCodeExpired(ServiceError):
    field = "code"

    def __init__(self) -> None:
        super().__init__(
            "Ce code a expiré (il n'est valable que 30 minutes). Demandez un nouveau code avec "
            "« Renvoyer le code ».",
            field="code",
        )


class EmailCodeVoided(ServiceError):
    field = "code"

    def __init__(self) -> None:
        super().__init__(
            "Ce code n'est plus valable. Demandez un nouveau code avec « Renvoyer le code ».",
            field="code",
        )


class DeliveryFailed(ServiceError):
    """The e-mail server refused or could not be reached."""

    def __init__(self) -> None:
        super().__init__(
            "Le message n'a pas pu être envoyé. Réessayez dans quelques minutes ; si le problème "
            "continue, contactez l'établissement."
        )


PUPIL_LOGIN_HINT = (
    " Élève : si votre mot de passe provisoire a expiré ou a été remplacé, contactez votre "
    "établissement."
)


class PupilLoginRefused(LoginRefused):
    """Every refusal under the « Élève » profile: the generic one, plus where to turn when the
    school's provisional password no longer works. Said whatever the reason, so it does not
    tell an expired or voided provisional password from a wrong one."""

    def __init__(self, retry_after: int | None = None) -> None:
        super().__init__(retry_after)
        self.message = LOGIN_REFUSED_MESSAGE + PUPIL_LOGIN_HINT + _wait_hint(retry_after)
        self.args = (self.message,)


class FirstLoginEnded(ServiceError):
    """The pupil's first login (identity check, new password) is over or expired: log in again,
    or, when the provisional password was voided, ask the school."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or "Votre première connexion a expiré ou n'est plus valable. Reconnectez-vous avec "
            "votre identifiant et votre mot de passe provisoire."
        )


class AdminRefused(ServiceError):
    """A school administration action that cannot be done (unknown account, pupil or class…)."""


class FranceConnectRefused(ServiceError):
    """Wrong identifiant or password at the (simulated) identity provider: one answer for both."""

    def __init__(self) -> None:
        super().__init__(
            "Identifiant ou mot de passe incorrect auprès du fournisseur d'identité (simulation). "
            "Les identités de démonstration sont indiquées sur cet écran."
        )
