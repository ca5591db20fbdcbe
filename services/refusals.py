"""Every refusal's stable code, and its sentence in the catalog: the one place a refusal's
text is written.

A ``ServiceError`` carries a code and parameters; ``sentence`` turns them into text in the
language of the catalog it is given. A sentence is a French msgid with ``%(name)s``
placeholders filled from the parameters, or a singular/plural pair (``N_plural``) whose form
is chosen by the ``count`` parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from services.i18n import N_, N_plural, Translations

__all__ = [
    "FIRST_LOGIN_VOIDED_MESSAGE",
    "LOGIN_REFUSED_MESSAGE",
    "NO_MATCH_MESSAGE",
    "PUPIL_LOGIN_HINT",
    "SENTENCES",
    "SINGLE_LINK_SENTENCE",
    "ErrorCode",
    "Params",
    "sentence",
]

Params = Mapping[str, str | int]


class ErrorCode(StrEnum):
    """What a refusal is about, independent of its wording (and of the language shown)."""

    # Registration (steps 3 to 7 of the guide)
    NO_MATCH = "no-match"
    REGISTRATION_ENDED = "registration-ended"
    REGISTRATION_TOO_MANY_BIRTH_DATES = "registration-too-many-birth-dates"
    REGISTRATION_TOO_MANY_BIRTH_DATES_WAIT = "registration-too-many-birth-dates-wait"
    ALREADY_ACTIVATED = "already-activated"
    ALREADY_HAS_ACCOUNT = "already-has-account"
    CODE_INCORRECT = "code-incorrect"
    CODE_EXPIRED = "code-expired"
    CODE_VOIDED = "code-voided"
    SMS_CODE_MISSING = "sms-code-missing"
    SMS_CODE_LETTERS_ONLY = "sms-code-letters-only"
    CODE_TOO_LONG = "code-too-long"
    RESEND_TOO_SOON = "resend-too-soon"
    RESEND_TOO_MANY = "resend-too-many"
    START_TOO_MANY = "start-too-many"
    BIRTH_DATE_MISMATCH = "birth-date-mismatch"
    ANSWER_MISSING = "answer-missing"
    SINGLE_LINK = "single-link"
    NO_CHILD_CONFIRMED = "no-child-confirmed"
    # The identity form (step 3, « Identifiant oublié ? »)
    NOM_MISSING = "nom-missing"
    NOM_TOO_LONG = "nom-too-long"
    NOM_FORBIDDEN_CHARACTERS = "nom-forbidden-characters"
    PRENOM_MISSING = "prenom-missing"
    PRENOM_TOO_LONG = "prenom-too-long"
    PRENOM_FORBIDDEN_CHARACTERS = "prenom-forbidden-characters"
    PORTABLE_MISSING = "portable-missing"
    PORTABLE_TOO_LONG = "portable-too-long"
    FIELD_MISSING = "field-missing"
    FIELD_TOO_LONG = "field-too-long"
    FIELD_FORBIDDEN_CHARACTERS = "field-forbidden-characters"
    PORTABLE_INVALID = "portable-invalid"
    PORTABLE_NOT_FRENCH = "portable-not-french"
    PORTABLE_NOT_MOBILE = "portable-not-mobile"
    PORTABLE_AMBIGUOUS = "portable-ambiguous"
    # Dates typed as JJ/MM/AAAA
    BIRTH_DATE_MISSING = "birth-date-missing"
    DATE_DOES_NOT_EXIST = "date-does-not-exist"
    DATE_FORMAT = "date-format"
    # Passwords
    PASSWORD_REJECTED = "password-rejected"
    PASSWORD_MISMATCH = "password-mismatch"
    PASSWORD_FORBIDDEN_CHARACTERS = "password-forbidden-characters"
    PASSWORD_MISSING = "password-missing"
    PASSWORD_TOO_LONG = "password-too-long"
    CURRENT_PASSWORD_MISSING = "current-password-missing"
    CURRENT_PASSWORD_INCORRECT = "current-password-incorrect"
    # Login and sessions
    IDENTIFIANT_MISSING = "identifiant-missing"
    IDENTIFIANT_TOO_LONG = "identifiant-too-long"
    LOGIN_REFUSED = "login-refused"
    PUPIL_LOGIN_REFUSED = "pupil-login-refused"
    WRONG_PROFILE_PUPIL = "wrong-profile-pupil"
    WRONG_PROFILE_GUARDIAN = "wrong-profile-guardian"
    SESSION_ENDED = "session-ended"
    # « Mot de passe oublié ? »
    RESET_CODE_MISSING = "reset-code-missing"
    RESET_CODE_REJECTED = "reset-code-rejected"
    RESET_ENDED = "reset-ended"
    REQUEST_TOO_SOON = "request-too-soon"
    ASK_THE_SCHOOL = "ask-the-school"
    # The pupil's first login
    FIRST_LOGIN_ENDED = "first-login-ended"
    FIRST_LOGIN_VOIDED = "first-login-voided"
    # « Mon compte »: the e-mail address
    EMAIL_MISSING = "email-missing"
    EMAIL_INVALID = "email-invalid"
    EMAIL_ALREADY_CONFIRMED = "email-already-confirmed"
    NO_EMAIL_PENDING = "no-email-pending"
    EMAIL_CODE_MISSING = "email-code-missing"
    EMAIL_CODE_INCORRECT = "email-code-incorrect"
    EMAIL_CODE_EXPIRED = "email-code-expired"
    EMAIL_CODE_VOIDED = "email-code-voided"
    DELIVERY_FAILED = "delivery-failed"
    # FranceConnect (simulated)
    PROVIDER_MISSING = "provider-missing"
    FRANCECONNECT_REFUSED = "franceconnect-refused"
    ALREADY_LINKED = "already-linked"
    # The school's administration
    NO_SUCH_ACCOUNT = "no-such-account"
    NO_SUCH_PUPIL = "no-such-pupil"
    NO_PUPIL_IN_CLASS = "no-pupil-in-class"
    PUPIL_ALREADY_ACTIVATED = "pupil-already-activated"
    PUPIL_NO_LONGER_LISTED = "pupil-no-longer-listed"
    # Importing the school's export (the file as a whole)
    IMPORT_FILE_MISSING = "import-file-missing"
    IMPORT_FILE_IS_FOLDER = "import-file-is-folder"
    IMPORT_FILE_ACCESS_DENIED = "import-file-access-denied"
    IMPORT_FILE_UNREADABLE = "import-file-unreadable"
    IMPORT_FILE_UTF16 = "import-file-utf16"
    IMPORT_FILE_ENCODING = "import-file-encoding"
    IMPORT_HEADER_UNREADABLE = "import-header-unreadable"
    # The printable notices of provisional credentials
    NOTICES_FOLDER_NOT_CREATED = "notices-folder-not-created"
    NOTICES_FOLDER_NOT_WRITABLE = "notices-folder-not-writable"
    NOTICES_NOT_WRITTEN = "notices-not-written"
    # A sentence written by another layer (the store's refusal of its data file), passed on
    RELAYED = "relayed"


# Sentences the screens (and their tests) also use on their own: msgids, translated at use.
NO_MATCH_MESSAGE = N_(
    "Les informations saisies ne permettent pas d'activer un compte. Vérifiez le nom, le "
    "prénom et le numéro de portable tels que l'établissement les connaît ; sinon, "
    "contactez l'établissement."
)
SINGLE_LINK_SENTENCE = N_(
    "S'il y a un seul lien responsable-élève, l'action ne sera pas prise en compte"
)
LOGIN_REFUSED_MESSAGE = N_(
    "Identifiant ou mot de passe incorrect. En cas d'oubli, utilisez « Identifiant "
    "oublié ? » ou « Mot de passe oublié ? »."
)
PUPIL_LOGIN_HINT = N_(
    "Élève : si votre mot de passe provisoire a expiré ou a été remplacé, contactez votre "
    "établissement."
)
FIRST_LOGIN_VOIDED_MESSAGE = N_(
    "Trop de dates de naissance erronées : votre mot de passe provisoire n'est plus "
    "valable. Contactez votre établissement pour en obtenir un nouveau."
)

SENTENCES: Mapping[ErrorCode, str | tuple[str, str]] = {
    ErrorCode.NO_MATCH: NO_MATCH_MESSAGE,
    ErrorCode.REGISTRATION_ENDED: N_(
        "Votre démarche d'activation a expiré ou n'est plus valable. Recommencez depuis le début."
    ),
    ErrorCode.REGISTRATION_TOO_MANY_BIRTH_DATES: N_(
        "Trop de dates de naissance erronées : l'activation est interrompue. Vous pouvez "
        "recommencer depuis le début dès maintenant ; en cas de doute, contactez "
        "l'établissement."
    ),
    ErrorCode.REGISTRATION_TOO_MANY_BIRTH_DATES_WAIT: N_(
        "Trop de dates de naissance erronées : l'activation est interrompue. Vous pourrez "
        "recommencer depuis le début à partir de %(time)s ; en cas de doute, contactez "
        "l'établissement."
    ),
    ErrorCode.ALREADY_ACTIVATED: N_(
        "Ce compte vient d'être activé par une autre démarche. Connectez-vous avec votre "
        "identifiant ; en cas d'oubli, utilisez « Mot de passe oublié ? »."
    ),
    ErrorCode.ALREADY_HAS_ACCOUNT: N_(
        "Vous avez déjà un compte ÉduConnect : votre identifiant est %(identifiant)s. "
        "Connectez-vous avec cet identifiant et votre mot de passe ; en cas d'oubli, "
        "utilisez « Mot de passe oublié ? »."
    ),
    ErrorCode.CODE_INCORRECT: N_plural(
        "Le code saisi est incorrect. Il vous reste %(count)d essai.",
        "Le code saisi est incorrect. Il vous reste %(count)d essais.",
    ),
    ErrorCode.CODE_EXPIRED: N_(
        "Ce code a expiré (il n'est valable que 30 minutes). Demandez un nouveau code avec "
        "« Je n'ai pas reçu de code d'activation par SMS »."
    ),
    ErrorCode.CODE_VOIDED: N_(
        "Trop d'essais : ce code n'est plus valable. Demandez un nouveau code avec "
        "« Je n'ai pas reçu de code d'activation par SMS »."
    ),
    ErrorCode.SMS_CODE_MISSING: N_("Saisissez le code reçu par SMS."),
    ErrorCode.SMS_CODE_LETTERS_ONLY: N_("Le code reçu par SMS ne contient que des lettres."),
    ErrorCode.CODE_TOO_LONG: N_("Ce code est trop long : il compte 6 lettres."),
    ErrorCode.RESEND_TOO_SOON: N_plural(
        "Un code vient d'être envoyé. Attendez %(count)d seconde avant d'en demander un nouveau.",
        "Un code vient d'être envoyé. Attendez %(count)d secondes avant d'en demander un nouveau.",
    ),
    ErrorCode.RESEND_TOO_MANY: N_plural(
        "Vous avez demandé trop de codes. Réessayez dans %(count)d minute ou contactez "
        "l'établissement.",
        "Vous avez demandé trop de codes. Réessayez dans %(count)d minutes ou contactez "
        "l'établissement.",
    ),
    ErrorCode.START_TOO_MANY: N_plural(
        "Trop de demandes d'activation avec ce numéro ou depuis cette connexion. Réessayez "
        "dans %(count)d minute ou contactez l'établissement.",
        "Trop de demandes d'activation avec ce numéro ou depuis cette connexion. Réessayez "
        "dans %(count)d minutes ou contactez l'établissement.",
    ),
    ErrorCode.BIRTH_DATE_MISMATCH: N_plural(
        "La date de naissance ne correspond pas à celle connue par l'établissement. Il vous "
        "reste %(count)d essai.",
        "La date de naissance ne correspond pas à celle connue par l'établissement. Il vous "
        "reste %(count)d essais.",
    ),
    ErrorCode.ANSWER_MISSING: N_("Répondez pour %(prenom)s %(nom)s."),
    ErrorCode.SINGLE_LINK: N_(
        "S'il y a un seul lien responsable-élève, l'action ne sera pas prise en compte. "
        "Confirmez ce lien avec la date de naissance, ou contactez l'établissement si ce "
        "rattachement est erroné."
    ),
    ErrorCode.NO_CHILD_CONFIRMED: N_(
        "Confirmez au moins un élève (réponse « Oui » et sa date de naissance) pour activer "
        "votre compte."
    ),
    ErrorCode.NOM_MISSING: N_("Indiquez le nom."),
    ErrorCode.NOM_TOO_LONG: N_("Le nom est trop long."),
    ErrorCode.NOM_FORBIDDEN_CHARACTERS: N_("Le nom contient des caractères non autorisés."),
    ErrorCode.PRENOM_MISSING: N_("Indiquez le prénom."),
    ErrorCode.PRENOM_TOO_LONG: N_("Le prénom est trop long."),
    ErrorCode.PRENOM_FORBIDDEN_CHARACTERS: N_("Le prénom contient des caractères non autorisés."),
    ErrorCode.PORTABLE_MISSING: N_("Indiquez votre numéro de téléphone portable."),
    ErrorCode.PORTABLE_TOO_LONG: N_("Ce numéro de téléphone est trop long."),
    ErrorCode.FIELD_MISSING: N_("Indiquez ce champ."),
    ErrorCode.FIELD_TOO_LONG: N_("Ce champ est trop long."),
    ErrorCode.FIELD_FORBIDDEN_CHARACTERS: N_("Ce champ contient des caractères non autorisés."),
    ErrorCode.PORTABLE_INVALID: N_(
        "Ce numéro de téléphone n'est pas valide. Exemples : 06 12 34 56 78, 0692 12 34 56 "
        "(La Réunion) ou +262 692 12 34 56."
    ),
    ErrorCode.PORTABLE_NOT_FRENCH: N_(
        "Seuls les numéros de portable français (métropole et outre-mer) sont acceptés."
    ),
    ErrorCode.PORTABLE_NOT_MOBILE: N_(
        "Ce numéro n'est pas un numéro de téléphone portable. Indiquez un portable pour "
        "recevoir le code par SMS."
    ),
    ErrorCode.PORTABLE_AMBIGUOUS: N_(
        "Ce numéro existe dans plusieurs territoires. Indiquez-le avec son indicatif, par "
        "exemple +687 75 12 34 (Nouvelle-Calédonie) ou +681 82 12 34 (Wallis-et-Futuna)."
    ),
    ErrorCode.BIRTH_DATE_MISSING: N_("Indiquez la date de naissance (JJ/MM/AAAA)."),
    ErrorCode.DATE_DOES_NOT_EXIST: N_(
        "La date %(date)s n'existe pas. Format attendu : JJ/MM/AAAA."
    ),
    ErrorCode.DATE_FORMAT: N_("Format de date attendu : JJ/MM/AAAA (par exemple 22/01/2005)."),
    ErrorCode.PASSWORD_REJECTED: N_("Le mot de passe ne respecte pas les règles : %(rules)s."),
    ErrorCode.PASSWORD_MISMATCH: N_("Les deux mots de passe ne sont pas identiques."),
    ErrorCode.PASSWORD_FORBIDDEN_CHARACTERS: N_(
        "Le mot de passe contient des caractères non autorisés."
    ),
    ErrorCode.PASSWORD_MISSING: N_("Indiquez votre mot de passe."),
    ErrorCode.PASSWORD_TOO_LONG: N_("Ce mot de passe est trop long."),
    ErrorCode.CURRENT_PASSWORD_MISSING: N_("Indiquez votre mot de passe actuel."),
    ErrorCode.CURRENT_PASSWORD_INCORRECT: N_("Le mot de passe actuel est incorrect."),
    ErrorCode.IDENTIFIANT_MISSING: N_("Indiquez votre identifiant."),
    ErrorCode.IDENTIFIANT_TOO_LONG: N_("Cet identifiant est trop long."),
    ErrorCode.LOGIN_REFUSED: LOGIN_REFUSED_MESSAGE,
    # Said after LOGIN_REFUSED under the « Élève » profile (see PupilLoginRefused).
    ErrorCode.PUPIL_LOGIN_REFUSED: PUPIL_LOGIN_HINT,
    ErrorCode.WRONG_PROFILE_PUPIL: N_(
        "Ce compte est un compte « Élève ». Choisissez ce profil avec « Changer de profil », "
        "puis connectez-vous."
    ),
    ErrorCode.WRONG_PROFILE_GUARDIAN: N_(
        "Ce compte est un compte « Représentant légal ». Choisissez ce profil avec « Changer "
        "de profil », puis connectez-vous."
    ),
    ErrorCode.SESSION_ENDED: N_("Votre session a pris fin. Reconnectez-vous pour continuer."),
    ErrorCode.RESET_CODE_MISSING: N_("Saisissez le code reçu."),
    ErrorCode.RESET_CODE_REJECTED: N_(
        "Ce code est incorrect ou n'est plus valable (il expire après 30 minutes ou 5 "
        "essais). Vérifiez-le ou demandez un nouveau code."
    ),
    ErrorCode.RESET_ENDED: N_(
        "Votre demande de nouveau mot de passe a expiré ou n'est plus valable. Recommencez "
        "avec « Mot de passe oublié ? »."
    ),
    ErrorCode.REQUEST_TOO_SOON: N_(
        "Une demande vient d'être faite pour cet identifiant : si un code a été envoyé, "
        "utilisez-le. Vous pourrez faire une nouvelle demande à partir de %(time)s."
    ),
    ErrorCode.ASK_THE_SCHOOL: N_(
        "Ce compte élève n'a pas d'adresse e-mail confirmée : le mot de passe ne peut pas "
        "être réinitialisé ici. Demandez un nouveau mot de passe provisoire à votre "
        "établissement."
    ),
    ErrorCode.FIRST_LOGIN_ENDED: N_(
        "Votre première connexion a expiré ou n'est plus valable. Reconnectez-vous avec votre "
        "identifiant et votre mot de passe provisoire."
    ),
    ErrorCode.FIRST_LOGIN_VOIDED: FIRST_LOGIN_VOIDED_MESSAGE,
    ErrorCode.EMAIL_MISSING: N_("Indiquez votre adresse e-mail."),
    ErrorCode.EMAIL_INVALID: N_("Cette adresse e-mail n'est pas valide."),
    ErrorCode.EMAIL_ALREADY_CONFIRMED: N_(
        "Cette adresse e-mail est déjà confirmée pour votre compte."
    ),
    ErrorCode.NO_EMAIL_PENDING: N_("Aucune adresse e-mail n'attend de confirmation."),
    ErrorCode.EMAIL_CODE_MISSING: N_("Saisissez le code reçu par e-mail."),
    ErrorCode.EMAIL_CODE_INCORRECT: N_plural(
        "Le code saisi est incorrect. Il vous reste %(count)d essai.",
        "Le code saisi est incorrect. Il vous reste %(count)d essais.",
    ),
    ErrorCode.EMAIL_CODE_EXPIRED: N_(
        "Ce code a expiré (il n'est valable que 30 minutes). Demandez un nouveau code avec "
        "« Renvoyer le code »."
    ),
    ErrorCode.EMAIL_CODE_VOIDED: N_(
        "Ce code n'est plus valable. Demandez un nouveau code avec « Renvoyer le code »."
    ),
    ErrorCode.DELIVERY_FAILED: N_(
        "Le message n'a pas pu être envoyé. Réessayez dans quelques minutes ; si le problème "
        "continue, contactez l'établissement."
    ),
    ErrorCode.PROVIDER_MISSING: N_("Choisissez un fournisseur d'identité."),
    ErrorCode.FRANCECONNECT_REFUSED: N_(
        "Identifiant ou mot de passe incorrect auprès du fournisseur d'identité (simulation). "
        "Les identités de démonstration sont indiquées sur cet écran."
    ),
    ErrorCode.ALREADY_LINKED: N_(
        "Ce compte ÉduConnect ou cette identité FranceConnect est déjà associé à un autre "
        "compte. Connectez-vous avec votre identifiant ÉduConnect, ou contactez "
        "l'établissement."
    ),
    ErrorCode.NO_SUCH_ACCOUNT: N_("Aucun compte n'a l'identifiant %(identifiant)s."),
    ErrorCode.NO_SUCH_PUPIL: N_("Aucun élève n'a l'identifiant %(pupil_id)s."),
    ErrorCode.NO_PUPIL_IN_CLASS: N_("Aucun élève dans la classe %(classe)s."),
    ErrorCode.PUPIL_ALREADY_ACTIVATED: N_(
        "Le compte de %(prenom)s %(nom)s (%(identifiant)s) est déjà activé : pour lui remettre "
        "un mot de passe provisoire, utilisez « réinitialiser »."
    ),
    ErrorCode.PUPIL_NO_LONGER_LISTED: N_(
        "L'élève du compte %(identifiant)s ne figure plus dans les données de l'établissement."
    ),
    ErrorCode.IMPORT_FILE_MISSING: N_("Le fichier %(path)s n'existe pas."),
    ErrorCode.IMPORT_FILE_IS_FOLDER: N_("%(path)s est un dossier, pas un fichier CSV."),
    ErrorCode.IMPORT_FILE_ACCESS_DENIED: N_(
        "Le fichier %(path)s ne peut pas être lu (accès refusé)."
    ),
    ErrorCode.IMPORT_FILE_UNREADABLE: N_("Le fichier %(path)s ne peut pas être lu (%(reason)s)."),
    ErrorCode.IMPORT_FILE_UTF16: N_(
        "Le fichier est en UTF-16 (« Texte Unicode »). Enregistrez-le au format « CSV UTF-8 » "
        "ou « CSV (séparateur : point-virgule) » depuis le tableur."
    ),
    ErrorCode.IMPORT_FILE_ENCODING: N_(
        "Le fichier n'est ni en UTF-8 ni en Windows-1252 (octet illisible à la position "
        "%(position)s). Enregistrez-le au format « CSV UTF-8 » depuis le tableur."
    ),
    ErrorCode.IMPORT_HEADER_UNREADABLE: N_(
        "Ligne 1 : la ligne d'en-tête est illisible (cellule de plus de %(limit)s caractères "
        "ou guillemet non fermé). En-tête attendu : %(header)s"
    ),
    ErrorCode.NOTICES_FOLDER_NOT_CREATED: N_(
        "Le dossier %(folder)s ne peut pas être créé (%(reason)s)."
    ),
    ErrorCode.NOTICES_FOLDER_NOT_WRITABLE: N_(
        "Le dossier %(folder)s n'est pas accessible en écriture."
    ),
    ErrorCode.NOTICES_NOT_WRITTEN: N_(
        "Les avis n'ont pas pu être écrits dans %(folder)s (%(reason)s). Les mots de passe "
        "provisoires émis sont perdus : émettez-les de nouveau %(again)s."
    ),
    ErrorCode.RELAYED: "%(text)s",
}


def sentence(translations: Translations, code: ErrorCode, params: Params) -> str:
    """The sentence of ``code`` in the language of ``translations``, parameters filled in."""
    template = SENTENCES[code]
    if isinstance(template, str):
        text = translations.gettext(template)
    else:
        count = params["count"]
        assert isinstance(count, int), f"{code}: the count must be a number"
        text = translations.ngettext(*template, count)
    return text % params if params else text
