"""The sentences both front ends show (the screens and the line mode): written once, so that
they are one msgid, translated once. Textual-free: the line mode imports it."""

from __future__ import annotations

from tui.language import N_

__all__ = [
    "ARABIC_IN_TERMINALS",
    "CODE_ALREADY_ASKED",
    "EMAIL_CONFIRMED",
    "EMAIL_PENDING",
    "EMAIL_USE",
    "EMAIL_WHY",
    "FIRST_USE_INTRO",
    "GLOSSARY",
    "IDENTIFIANT_INTRO",
    "IDENTITY_INTRO",
    "MOBILE_CHANGE",
    "PASSWORD_CHANGED",
    "PUPIL_EMAIL_CONFIRMED",
    "PUPIL_FRANCECONNECT",
    "PUPIL_IDENTIFIANT",
    "PUPIL_NO_ACCOUNT",
    "PUPIL_WRITE_IT_DOWN",
    "RESENT",
]

ARABIC_IN_TERMINALS = N_("Terminal : l'arabe peut s'afficher à l'envers. Navigateur : à l'endroit.")
"""Said on the first screen when Arabic is chosen in a terminal: the app cannot know whether
this one orders right-to-left letters (``tui.right_to_left``)."""

GLOSSARY = N_(
    "Les mots d'ÉduConnect : identifiant, mot de passe, représentant légal, code d'activation."
)
"""Shown at the entry in bilingual mode only: its translation explains each word once, before
the screens use them (issue 17)."""

IDENTITY_INTRO = N_(
    "Votre mot de passe provisoire est reconnu. Pour protéger votre compte, confirmez votre "
    "identité avec votre date de naissance, telle que votre établissement la connaît."
)

PUPIL_WRITE_IT_DOWN = N_(
    "Notez votre identifiant et le mot de passe que vous allez choisir : le mot de passe "
    "provisoire de la notice ne fonctionnera plus."
)

EMAIL_WHY = N_(
    "Une adresse e-mail confirmée vous permettra de choisir un nouveau mot de passe avec « Mot "
    "de passe oublié ? ». Sans elle, seul votre établissement pourra vous remettre un nouveau "
    "mot de passe provisoire."
)

PUPIL_EMAIL_CONFIRMED = N_(
    "Votre adresse e-mail est confirmée : elle pourra recevoir le code de « Mot de passe "
    "oublié ? »."
)

PASSWORD_CHANGED = N_(
    "Votre mot de passe a été modifié. Les autres sessions ouvertes avec ce compte sont fermées."
)

EMAIL_CONFIRMED = N_(
    "Votre adresse e-mail est confirmée : elle peut recevoir les codes de « Mot de passe "
    "oublié ? »."
)

# The mobile is the one in the school's records (its export updates it); the app offers no
# way to change it, and codes and notices follow the school's number.
MOBILE_CHANGE = N_(
    "Ce numéro vient de l'établissement : pour en changer, demandez-lui de le mettre à jour."
)

EMAIL_USE = N_(
    "Une adresse e-mail confirmée vous permet de recevoir par e-mail le code de « Mot de passe "
    "oublié ? »."
)

IDENTIFIANT_INTRO = N_(
    "Indiquez vos nom, prénom et numéro de portable tels que l'établissement les connaît : "
    "votre identifiant vous sera envoyé par SMS ou par e-mail."
)

# The service's answer for the channel (``ResetRequested.message``) is already above it.
RESENT = N_(
    "Nouvelle demande enregistrée : si cet identifiant correspond à un compte activé, un "
    "nouveau code vient d'être envoyé comme indiqué ci-dessus, et le précédent n'est plus "
    "valable."
)

# The request refused inside the sending limits says « si un code a été envoyé, utilisez-le »:
# the code step, reached without a new request, says the same without telling whether one left.
CODE_ALREADY_ASKED = N_(
    "Si un code a été envoyé pour cet identifiant lors d'une demande précédente, saisissez-le "
    "ci-dessous : il est valable 30 minutes après son envoi."
)

EMAIL_PENDING = N_("Vous devez confirmer votre adresse mail")

FIRST_USE_INTRO = N_(
    "Pour associer votre identité FranceConnect à votre compte ÉduConnect, indiquez le numéro de "
    "téléphone portable communiqué à l'établissement. Vous recevrez un code par SMS, puis vous "
    "confirmerez la date de naissance de vos enfants. Aucun mot de passe ÉduConnect n'est à créer."
)

PUPIL_IDENTIFIANT = N_(
    "Votre identifiant figure sur la notice que votre établissement vous a remise avec votre "
    "mot de passe provisoire. Si vous l'avez perdue, adressez-vous à votre établissement."
)

# The screen's notices for a pupil (the same msgids: one translation for both).
PUPIL_NO_ACCOUNT = N_(
    "Les nouveaux élèves sans compte ÉduConnect reçoivent leurs identifiants et mots de passe "
    "temporaires au collège, en début d'année scolaire ou à la date de leur arrivée effective "
    "en classe. Adressez-vous à l'établissement."
)

PUPIL_FRANCECONNECT = N_(
    "FranceConnect est proposé aux représentants légaux. Un élève se connecte avec "
    "l'identifiant et le mot de passe remis par son établissement."
)
