"""What the autoplay demo does, as data: for each parcours, the scenes a person goes through.

A scene names the journey's ``Step`` whose screen it expects (``tui.journey``), the caption
that says what the person does and why (an ``N_()`` msgid, translated where it is shown), the
actions, done as a person would (typing into a field, pressing a button), and whether the demo
phone (F2) is shown. Nothing here knows the screens' code or Textual; the player
(``tui.autoplay.player``) does the actions on the real screens, which call the real services,
so the demo can never tell another story than the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from services.i18n import N_
from tui.choices import GUARDIAN, PUPIL
from tui.journey import Step

__all__ = [
    "DEFAULT_PARCOURS",
    "PARCOURS",
    "Action",
    "Issue",
    "Press",
    "Reading",
    "Scene",
    "Type",
]


class Reading(StrEnum):
    """A value the person reads somewhere during the demo rather than knows in advance."""

    CODE = "code"
    """The six letters of the last SMS on the demo phone (the panel F2 shows)."""
    IDENTIFIANT = "identifiant"
    """The identifiant printed on the pupil's notice."""
    PASSWORD = "password"
    """The provisional password printed on the pupil's notice."""


@dataclass(frozen=True)
class Type:
    """Type ``text`` (or what ``text`` reads) into the field of id ``field``, key by key."""

    field: str
    text: str | Reading


@dataclass(frozen=True)
class Press:
    """Press Enter on the button of id ``button``."""

    button: str


@dataclass(frozen=True)
class Issue:
    """The school hands pupil ``pupil`` the notice of their provisional credentials (what
    ``educonnect admin`` prints); the notice's values are then ``Reading``s."""

    pupil: str


Action = Type | Press | Issue


@dataclass(frozen=True)
class Scene:
    """One moment of the demo on the screen of ``step``: the demo phone shown or hidden as
    ``phone`` says (F2; ``None`` leaves it as it is), ``caption`` shown and read, then
    ``actions`` done. ``caption`` may name a ``Reading`` as ``%(identifiant)s``."""

    step: Step
    caption: str
    actions: tuple[Action, ...] = ()
    phone: bool | None = None


SOPHIE_PASSWORD = "Cerf-volant#29"
CLAIRE_NEW_PASSWORD = "Girafe-bleue#7"
LEA_PASSWORD = "Lune-rousse#12"

START_AS_GUARDIAN = (
    Scene(
        Step.ENTRY,
        N_("Je pars de l'ENT du collège et j'appuie sur « Se connecter »."),
        (Press("connect"),),
    ),
    Scene(
        Step.ENT_PROFILE,
        N_("L'ENT demande qui je suis : « Élève ou parent de l'académie », puis « Valider »."),
        (Press("validate"),),
    ),
    Scene(
        Step.EDUCONNECT_PROFILE,
        N_("ÉduConnect me demande qui je suis : je choisis « Représentant légal »."),
        (Press(GUARDIAN),),
    ),
)

REGISTRATION = (
    *START_AS_GUARDIAN,
    Scene(
        Step.AUTHENTICATION,
        N_("Je n'ai pas encore de compte : j'appuie sur « Je n'ai pas de compte »."),
        (Press("no-account"),),
    ),
    Scene(
        Step.ACTIVATION,
        N_("Je saisis mon nom et mon prénom tels que l'établissement les connaît."),
        (Type("nom", "Martin"), Type("prenom", "Sophie")),
    ),
    Scene(
        Step.ACTIVATION,
        N_("Je saisis le portable que j'ai donné à l'établissement, puis « Suivant »."),
        (Type("portable", "06 12 34 56 78"), Press("next")),
    ),
    Scene(
        Step.SMS_CONFIRMATION,
        N_("Je vérifie mon numéro et je demande le code : « Recevoir mon code SMS »."),
        (Press("receive"),),
    ),
    Scene(
        Step.SMS_CONFIRMATION,
        N_("Je confirme l'envoi du SMS avec « Valider »."),
        (Press("validate"),),
    ),
    Scene(
        Step.ACTIVATION_CODE,
        N_("Le SMS arrive sur mon téléphone (F2) : j'y lis mon code de 6 lettres."),
        phone=True,
    ),
    Scene(
        Step.ACTIVATION_CODE,
        N_("Je saisis le code reçu par SMS : il est valable 30 minutes."),
        (Type("code", Reading.CODE), Press("continue")),
    ),
    Scene(
        Step.CHILDREN,
        N_("Pour chaque enfant, « Oui » et sa date de naissance : c'est ma preuve."),
        (Type("naissance-0", "05/09/2008"), Type("naissance-1", "14/03/2012")),
        phone=False,
    ),
    Scene(
        Step.CHILDREN,
        N_("Mes deux enfants sont confirmés : j'appuie sur « Confirmer »."),
        (Press("confirm"),),
    ),
    Scene(
        Step.PASSWORD,
        N_("Je choisis mon mot de passe : les règles se cochent pendant que je tape."),
        (Type("password", SOPHIE_PASSWORD),),
    ),
    Scene(
        Step.PASSWORD,
        N_("Je le tape une deuxième fois pour le confirmer, puis « Valider »."),
        (Type("confirmation", SOPHIE_PASSWORD), Press("validate")),
    ),
    Scene(
        Step.ACCOUNT_ACTIVATED,
        N_("Mon compte est actif. Je note mon identifiant : il me servira à chaque connexion."),
    ),
)

PASSWORD_RECOVERY = (
    *START_AS_GUARDIAN,
    Scene(
        Step.AUTHENTICATION,
        N_("J'ai un compte mais j'ai oublié mon mot de passe : « Mot de passe oublié ? »."),
        (Press("forgot-password"),),
    ),
    Scene(
        Step.FORGOT_PASSWORD,
        N_("Je saisis mon identifiant, c.moreau1, et je demande un code par SMS."),
        (Type("identifiant", "c.moreau1"), Press("send")),
    ),
    Scene(
        Step.RESET_CODE,
        N_("Le code arrive par SMS sur mon portable (F2) : je le lis."),
        phone=True,
    ),
    Scene(
        Step.RESET_CODE,
        N_("Je saisis le code reçu par SMS : il est valable 30 minutes."),
        (Type("code", Reading.CODE), Press("continue")),
    ),
    Scene(
        Step.NEW_PASSWORD,
        N_("Je choisis un nouveau mot de passe et je le confirme, puis « Valider »."),
        (
            Type("password", CLAIRE_NEW_PASSWORD),
            Type("confirmation", CLAIRE_NEW_PASSWORD),
            Press("validate"),
        ),
        phone=False,
    ),
    Scene(
        Step.PASSWORD_CHANGED,
        N_("Mon mot de passe est changé : je me connecte avec lui dès maintenant."),
    ),
)

PUPIL_FIRST_LOGIN = (
    Scene(
        Step.ENTRY,
        N_("Léa a reçu de son collège un avis avec son identifiant et un mot de passe provisoire."),
        (Issue("E003"), Press("connect")),
    ),
    Scene(
        Step.ENT_PROFILE,
        N_("Sur l'ENT, elle choisit « Élève ou parent de l'académie », puis « Valider »."),
        (Press("validate"),),
    ),
    Scene(
        Step.EDUCONNECT_PROFILE,
        N_("Léa choisit le profil « Élève »."),
        (Press(PUPIL),),
    ),
    Scene(
        Step.AUTHENTICATION,
        N_("Elle recopie l'avis : identifiant %(identifiant)s, mot de passe %(password)s."),
        (
            Type("identifiant", Reading.IDENTIFIANT),
            Type("password", Reading.PASSWORD),
            Press("login"),
        ),
    ),
    Scene(
        Step.IDENTITY_CHECK,
        N_("À la première connexion, elle prouve qui elle est par sa date de naissance."),
        (Type("naissance", "22/01/2014"), Press("continue")),
    ),
    Scene(
        Step.PUPIL_PASSWORD,
        N_("Elle remplace le mot de passe provisoire par le sien, tapé deux fois."),
        (
            Type("password", LEA_PASSWORD),
            Type("confirmation", LEA_PASSWORD),
            Press("validate"),
        ),
    ),
    Scene(
        Step.PUPIL_EMAIL,
        N_("Une adresse e-mail aide à retrouver son compte ; elle peut aussi passer l'étape."),
        (Press("skip"),),
    ),
    Scene(
        Step.SERVICES,
        N_("Le compte de Léa est actif : elle est connectée à ses services."),
    ),
)

DEFAULT_PARCOURS = "inscription"

PARCOURS: dict[str, tuple[Scene, ...]] = {
    DEFAULT_PARCOURS: REGISTRATION,
    "mot-de-passe-oublie": PASSWORD_RECOVERY,
    "eleve": PUPIL_FIRST_LOGIN,
}
"""The parcours ``educonnect demo --autoplay --parcours NOM`` plays, by their French name."""
