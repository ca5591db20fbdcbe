"""Every refusal code has its sentence in the catalog (issue 10, item 4): a ``ServiceError``
built from a code and its parameters reads as the French sentence below. A code added to
``ErrorCode`` without a sentence here (or in ``services/refusals.py``) fails."""

from __future__ import annotations

import pytest

from services.errors import (
    CodeIncorrect,
    CurrentPasswordIncorrect,
    EmailCodeIncorrect,
    ErrorCode,
    LoginRefused,
    PupilLoginRefused,
    ServiceError,
    WrongProfile,
)
from services.refusals import Params

SENTENCES: list[tuple[ErrorCode, Params, str]] = [
    (
        ErrorCode.NO_MATCH,
        {},
        "Les informations saisies ne permettent pas d'activer un compte. Vérifiez le nom, le "
        "prénom et le numéro de portable tels que l'établissement les connaît ; sinon, "
        "contactez l'établissement.",
    ),
    (
        ErrorCode.REGISTRATION_ENDED,
        {},
        "Votre démarche d'activation a expiré ou n'est plus valable. Recommencez depuis le début.",
    ),
    (
        ErrorCode.REGISTRATION_TOO_MANY_BIRTH_DATES,
        {},
        "Trop de dates de naissance erronées : l'activation est interrompue. Vous pouvez "
        "recommencer depuis le début dès maintenant ; en cas de doute, contactez "
        "l'établissement.",
    ),
    (
        ErrorCode.REGISTRATION_TOO_MANY_BIRTH_DATES_WAIT,
        {"time": "10 h 42"},
        "Trop de dates de naissance erronées : l'activation est interrompue. Vous pourrez "
        "recommencer depuis le début à partir de 10 h 42 ; en cas de doute, contactez "
        "l'établissement.",
    ),
    (
        ErrorCode.ALREADY_ACTIVATED,
        {},
        "Ce compte vient d'être activé par une autre démarche. Connectez-vous avec votre "
        "identifiant ; en cas d'oubli, utilisez « Mot de passe oublié ? ».",
    ),
    (
        ErrorCode.ALREADY_HAS_ACCOUNT,
        {"identifiant": "c.moreau1"},
        "Vous avez déjà un compte ÉduConnect : votre identifiant est c.moreau1. Connectez-vous "
        "avec cet identifiant et votre mot de passe ; en cas d'oubli, utilisez « Mot de passe "
        "oublié ? ».",
    ),
    (ErrorCode.CODE_INCORRECT, {"count": 1}, "Le code saisi est incorrect. Il vous reste 1 essai."),
    (
        ErrorCode.CODE_INCORRECT,
        {"count": 2},
        "Le code saisi est incorrect. Il vous reste 2 essais.",
    ),
    (
        ErrorCode.CODE_EXPIRED,
        {},
        "Ce code a expiré (il n'est valable que 30 minutes). Demandez un nouveau code avec « "
        "Je n'ai pas reçu de code d'activation par SMS ».",
    ),
    (
        ErrorCode.CODE_VOIDED,
        {},
        "Trop d'essais : ce code n'est plus valable. Demandez un nouveau code avec « Je n'ai "
        "pas reçu de code d'activation par SMS ».",
    ),
    (ErrorCode.SMS_CODE_MISSING, {}, "Saisissez le code reçu par SMS."),
    (ErrorCode.SMS_CODE_LETTERS_ONLY, {}, "Le code reçu par SMS ne contient que des lettres."),
    (ErrorCode.CODE_TOO_LONG, {}, "Ce code est trop long : il compte 6 lettres."),
    (
        ErrorCode.RESEND_TOO_SOON,
        {"count": 1},
        "Un code vient d'être envoyé. Attendez 1 seconde avant d'en demander un nouveau.",
    ),
    (
        ErrorCode.RESEND_TOO_SOON,
        {"count": 2},
        "Un code vient d'être envoyé. Attendez 2 secondes avant d'en demander un nouveau.",
    ),
    (
        ErrorCode.RESEND_TOO_MANY,
        {"count": 1},
        "Vous avez demandé trop de codes. Réessayez dans 1 minute ou contactez l'établissement.",
    ),
    (
        ErrorCode.RESEND_TOO_MANY,
        {"count": 2},
        "Vous avez demandé trop de codes. Réessayez dans 2 minutes ou contactez l'établissement.",
    ),
    (
        ErrorCode.START_TOO_MANY,
        {"count": 1},
        "Trop de demandes d'activation avec ce numéro ou depuis cette connexion. Réessayez "
        "dans 1 minute ou contactez l'établissement.",
    ),
    (
        ErrorCode.START_TOO_MANY,
        {"count": 42},
        "Trop de demandes d'activation avec ce numéro ou depuis cette connexion. Réessayez "
        "dans 42 minutes ou contactez l'établissement.",
    ),
    (
        ErrorCode.BIRTH_DATE_MISMATCH,
        {"count": 1},
        "La date de naissance ne correspond pas à celle connue par l'établissement. Il vous "
        "reste 1 essai.",
    ),
    (
        ErrorCode.BIRTH_DATE_MISMATCH,
        {"count": 2},
        "La date de naissance ne correspond pas à celle connue par l'établissement. Il vous "
        "reste 2 essais.",
    ),
    (ErrorCode.ANSWER_MISSING, {"prenom": "Léa", "nom": "Martin"}, "Répondez pour Léa Martin."),
    (
        ErrorCode.SINGLE_LINK,
        {},
        "S'il y a un seul lien responsable-élève, l'action ne sera pas prise en compte. "
        "Confirmez ce lien avec la date de naissance, ou contactez l'établissement si ce "
        "rattachement est erroné.",
    ),
    (
        ErrorCode.NO_CHILD_CONFIRMED,
        {},
        "Confirmez au moins un élève (réponse « Oui » et sa date de naissance) pour activer "
        "votre compte.",
    ),
    (ErrorCode.NOM_MISSING, {}, "Indiquez le nom."),
    (ErrorCode.NOM_TOO_LONG, {}, "Le nom est trop long."),
    (ErrorCode.NOM_FORBIDDEN_CHARACTERS, {}, "Le nom contient des caractères non autorisés."),
    (ErrorCode.PRENOM_MISSING, {}, "Indiquez le prénom."),
    (ErrorCode.PRENOM_TOO_LONG, {}, "Le prénom est trop long."),
    (ErrorCode.PRENOM_FORBIDDEN_CHARACTERS, {}, "Le prénom contient des caractères non autorisés."),
    (ErrorCode.PORTABLE_MISSING, {}, "Indiquez votre numéro de téléphone portable."),
    (ErrorCode.PORTABLE_TOO_LONG, {}, "Ce numéro de téléphone est trop long."),
    (ErrorCode.FIELD_MISSING, {}, "Indiquez ce champ."),
    (ErrorCode.FIELD_TOO_LONG, {}, "Ce champ est trop long."),
    (ErrorCode.FIELD_FORBIDDEN_CHARACTERS, {}, "Ce champ contient des caractères non autorisés."),
    (
        ErrorCode.PORTABLE_INVALID,
        {},
        "Ce numéro de téléphone n'est pas valide. Exemples : 06 12 34 56 78, 0692 12 34 56 "
        "(La Réunion) ou +262 692 12 34 56.",
    ),
    (
        ErrorCode.PORTABLE_NOT_FRENCH,
        {},
        "Seuls les numéros de portable français (métropole et outre-mer) sont acceptés.",
    ),
    (
        ErrorCode.PORTABLE_NOT_MOBILE,
        {},
        "Ce numéro n'est pas un numéro de téléphone portable. Indiquez un portable pour "
        "recevoir le code par SMS.",
    ),
    (
        ErrorCode.PORTABLE_AMBIGUOUS,
        {},
        "Ce numéro existe dans plusieurs territoires. Indiquez-le avec son indicatif, par "
        "exemple +687 75 12 34 (Nouvelle-Calédonie) ou +681 82 12 34 (Wallis-et-Futuna).",
    ),
    (ErrorCode.BIRTH_DATE_MISSING, {}, "Indiquez la date de naissance (JJ/MM/AAAA)."),
    (
        ErrorCode.DATE_DOES_NOT_EXIST,
        {"date": "31/02/2005"},
        "La date 31/02/2005 n'existe pas. Format attendu : JJ/MM/AAAA.",
    ),
    (ErrorCode.DATE_FORMAT, {}, "Format de date attendu : JJ/MM/AAAA (par exemple 22/01/2005)."),
    (
        ErrorCode.PASSWORD_REJECTED,
        {"rules": "Majuscule (au moins une) ; Chiffre (au moins un)"},
        "Le mot de passe ne respecte pas les règles : Majuscule (au moins une) ; Chiffre (au "
        "moins un).",
    ),
    (ErrorCode.PASSWORD_MISMATCH, {}, "Les deux mots de passe ne sont pas identiques."),
    (
        ErrorCode.PASSWORD_FORBIDDEN_CHARACTERS,
        {},
        "Le mot de passe contient des caractères non autorisés.",
    ),
    (ErrorCode.PASSWORD_MISSING, {}, "Indiquez votre mot de passe."),
    (ErrorCode.PASSWORD_TOO_LONG, {}, "Ce mot de passe est trop long."),
    (ErrorCode.CURRENT_PASSWORD_MISSING, {}, "Indiquez votre mot de passe actuel."),
    (ErrorCode.CURRENT_PASSWORD_INCORRECT, {}, "Le mot de passe actuel est incorrect."),
    (ErrorCode.IDENTIFIANT_MISSING, {}, "Indiquez votre identifiant."),
    (ErrorCode.IDENTIFIANT_TOO_LONG, {}, "Cet identifiant est trop long."),
    (
        ErrorCode.LOGIN_REFUSED,
        {},
        "Identifiant ou mot de passe incorrect. En cas d'oubli, utilisez « Identifiant "
        "oublié ? » ou « Mot de passe oublié ? ».",
    ),
    (
        ErrorCode.PUPIL_LOGIN_REFUSED,
        {},
        "Élève : si votre mot de passe provisoire a expiré ou a été remplacé, contactez "
        "votre établissement.",
    ),
    (
        ErrorCode.WRONG_PROFILE_PUPIL,
        {},
        "Ce compte est un compte « Élève ». Choisissez ce profil avec « Changer de profil », "
        "puis connectez-vous.",
    ),
    (
        ErrorCode.WRONG_PROFILE_GUARDIAN,
        {},
        "Ce compte est un compte « Représentant légal ». Choisissez ce profil avec « Changer "
        "de profil », puis connectez-vous.",
    ),
    (ErrorCode.SESSION_ENDED, {}, "Votre session a pris fin. Reconnectez-vous pour continuer."),
    (ErrorCode.RESET_CODE_MISSING, {}, "Saisissez le code reçu."),
    (
        ErrorCode.RESET_CODE_REJECTED,
        {},
        "Ce code est incorrect ou n'est plus valable (il expire après 30 minutes ou 5 "
        "essais). Vérifiez-le ou demandez un nouveau code.",
    ),
    (
        ErrorCode.RESET_ENDED,
        {},
        "Votre demande de nouveau mot de passe a expiré ou n'est plus valable. Recommencez "
        "avec « Mot de passe oublié ? ».",
    ),
    (
        ErrorCode.REQUEST_TOO_SOON,
        {"time": "10 h 42"},
        "Une demande vient d'être faite pour cet identifiant : si un code a été envoyé, "
        "utilisez-le. Vous pourrez faire une nouvelle demande à partir de 10 h 42.",
    ),
    (
        ErrorCode.ASK_THE_SCHOOL,
        {},
        "Ce compte élève n'a pas d'adresse e-mail confirmée : le mot de passe ne peut pas "
        "être réinitialisé ici. Demandez un nouveau mot de passe provisoire à votre "
        "établissement.",
    ),
    (
        ErrorCode.FIRST_LOGIN_ENDED,
        {},
        "Votre première connexion a expiré ou n'est plus valable. Reconnectez-vous avec "
        "votre identifiant et votre mot de passe provisoire.",
    ),
    (
        ErrorCode.FIRST_LOGIN_VOIDED,
        {},
        "Trop de dates de naissance erronées : votre mot de passe provisoire n'est plus "
        "valable. Contactez votre établissement pour en obtenir un nouveau.",
    ),
    (ErrorCode.EMAIL_MISSING, {}, "Indiquez votre adresse e-mail."),
    (ErrorCode.EMAIL_INVALID, {}, "Cette adresse e-mail n'est pas valide."),
    (
        ErrorCode.EMAIL_ALREADY_CONFIRMED,
        {},
        "Cette adresse e-mail est déjà confirmée pour votre compte.",
    ),
    (ErrorCode.NO_EMAIL_PENDING, {}, "Aucune adresse e-mail n'attend de confirmation."),
    (ErrorCode.EMAIL_CODE_MISSING, {}, "Saisissez le code reçu par e-mail."),
    (
        ErrorCode.EMAIL_CODE_INCORRECT,
        {"count": 1},
        "Le code saisi est incorrect. Il vous reste 1 essai.",
    ),
    (
        ErrorCode.EMAIL_CODE_INCORRECT,
        {"count": 2},
        "Le code saisi est incorrect. Il vous reste 2 essais.",
    ),
    (
        ErrorCode.EMAIL_CODE_EXPIRED,
        {},
        "Ce code a expiré (il n'est valable que 30 minutes). Demandez un nouveau code avec « "
        "Renvoyer le code ».",
    ),
    (
        ErrorCode.EMAIL_CODE_VOIDED,
        {},
        "Ce code n'est plus valable. Demandez un nouveau code avec « Renvoyer le code ».",
    ),
    (
        ErrorCode.DELIVERY_FAILED,
        {},
        "Le message n'a pas pu être envoyé. Réessayez dans quelques minutes ; si le problème "
        "continue, contactez l'établissement.",
    ),
    (ErrorCode.PROVIDER_MISSING, {}, "Choisissez un fournisseur d'identité."),
    (
        ErrorCode.FRANCECONNECT_REFUSED,
        {},
        "Identifiant ou mot de passe incorrect auprès du fournisseur d'identité "
        "(simulation). Les identités de démonstration sont indiquées sur cet écran.",
    ),
    (
        ErrorCode.ALREADY_LINKED,
        {},
        "Ce compte ÉduConnect ou cette identité FranceConnect est déjà associé à un autre "
        "compte. Connectez-vous avec votre identifiant ÉduConnect, ou contactez "
        "l'établissement.",
    ),
    (
        ErrorCode.NO_SUCH_ACCOUNT,
        {"identifiant": "j.dupont"},
        "Aucun compte n'a l'identifiant j.dupont.",
    ),
    (ErrorCode.NO_SUCH_PUPIL, {"pupil_id": "E001"}, "Aucun élève n'a l'identifiant E001."),
    (ErrorCode.NO_PUPIL_IN_CLASS, {"classe": "4A"}, "Aucun élève dans la classe 4A."),
    (
        ErrorCode.PUPIL_ALREADY_ACTIVATED,
        {"prenom": "Léa", "nom": "Martin", "identifiant": "j.dupont"},
        "Le compte de Léa Martin (j.dupont) est déjà activé : pour lui remettre un mot de "
        "passe provisoire, utilisez « réinitialiser ».",
    ),
    (
        ErrorCode.PUPIL_NO_LONGER_LISTED,
        {"identifiant": "j.dupont"},
        "L'élève du compte j.dupont ne figure plus dans les données de l'établissement.",
    ),
    (ErrorCode.IMPORT_FILE_MISSING, {"path": "eleves.csv"}, "Le fichier eleves.csv n'existe pas."),
    (
        ErrorCode.IMPORT_FILE_IS_FOLDER,
        {"path": "eleves.csv"},
        "eleves.csv est un dossier, pas un fichier CSV.",
    ),
    (
        ErrorCode.IMPORT_FILE_ACCESS_DENIED,
        {"path": "eleves.csv"},
        "Le fichier eleves.csv ne peut pas être lu (accès refusé).",
    ),
    (
        ErrorCode.IMPORT_FILE_UNREADABLE,
        {"path": "eleves.csv", "reason": "Permission denied"},
        "Le fichier eleves.csv ne peut pas être lu (Permission denied).",
    ),
    (
        ErrorCode.IMPORT_FILE_UTF16,
        {},
        "Le fichier est en UTF-16 (« Texte Unicode »). Enregistrez-le au format « CSV UTF-8 "
        "» ou « CSV (séparateur : point-virgule) » depuis le tableur.",
    ),
    (
        ErrorCode.IMPORT_FILE_ENCODING,
        {"position": 12},
        "Le fichier n'est ni en UTF-8 ni en Windows-1252 (octet illisible à la position 12). "
        "Enregistrez-le au format « CSV UTF-8 » depuis le tableur.",
    ),
    (
        ErrorCode.IMPORT_HEADER_UNREADABLE,
        {"limit": "131 072", "header": "uai;etablissement"},
        "Ligne 1 : la ligne d'en-tête est illisible (cellule de plus de 131 072 caractères "
        "ou guillemet non fermé). En-tête attendu : uai;etablissement",
    ),
    (
        ErrorCode.NOTICES_FOLDER_NOT_CREATED,
        {"folder": "avis", "reason": "Permission denied"},
        "Le dossier avis ne peut pas être créé (Permission denied).",
    ),
    (
        ErrorCode.NOTICES_FOLDER_NOT_WRITABLE,
        {"folder": "avis"},
        "Le dossier avis n'est pas accessible en écriture.",
    ),
    (
        ErrorCode.NOTICES_NOT_WRITTEN,
        {"folder": "avis", "reason": "Permission denied", "again": "pour Léa Martin"},
        "Les avis n'ont pas pu être écrits dans avis (Permission denied). Les mots de passe "
        "provisoires émis sont perdus : émettez-les de nouveau pour Léa Martin.",
    ),
    (
        ErrorCode.RELAYED,
        {"text": "Le fichier de données est illisible."},
        "Le fichier de données est illisible.",
    ),
]


@pytest.mark.parametrize("code", list(ErrorCode))
def test_every_code_reads_as_its_french_sentence(code: ErrorCode) -> None:
    cases = [(params, said) for known, params, said in SENTENCES if known is code]
    assert cases, f"{code} has no expected sentence"
    for params, said in cases:
        error = ServiceError(code, field=None, **params)
        assert error.message == str(error) == said


def test_the_subclasses_say_their_codes() -> None:
    assert CodeIncorrect(2).code is ErrorCode.CODE_INCORRECT
    assert EmailCodeIncorrect(2).code is ErrorCode.EMAIL_CODE_INCORRECT
    assert WrongProfile(True).code is ErrorCode.WRONG_PROFILE_PUPIL
    assert WrongProfile(False).code is ErrorCode.WRONG_PROFILE_GUARDIAN
    assert CodeIncorrect(2).params == {"count": 2}


@pytest.mark.parametrize(("seconds", "wait"), [(1, "1 seconde"), (2, "2 secondes")])
def test_a_refusal_during_the_slowdown_says_how_long_to_wait(seconds: int, wait: str) -> None:
    """« Patientez 1 seconde » (it read « 1 secondes » before the catalog)."""
    hint = f"Patientez {wait} avant de réessayer."
    generic = ServiceError(ErrorCode.LOGIN_REFUSED).message
    assert LoginRefused(seconds).message == f"{generic} {hint}"
    assert LoginRefused().message == generic
    pupil = ServiceError(ErrorCode.PUPIL_LOGIN_REFUSED).message
    assert PupilLoginRefused(seconds).message == f"{generic} {pupil} {hint}"
    current = ServiceError(ErrorCode.CURRENT_PASSWORD_INCORRECT).message
    assert CurrentPasswordIncorrect(seconds).message == f"{current} {hint}"
