"""The school guide's own words for each step, shown by F1 (from
``reference/guide-auto-inscription-sms.txt``), through the catalog: the texts are marked
here and translated when shown.

The guide's words and the full-screen app's keyboard hints are separate catalog entries: a
paragraph holds a ``%(keys)s`` placeholder (``%(more_keys)s`` for a second one) where the
screens put « (clavier : …) », and the line mode, which has none of those keys, fills it with
nothing. A translation of a paragraph thus never carries key names.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.language import N_, _

__all__ = ["GUIDE_TEXT", "INTRO", "Guide", "guide_paragraphs", "guide_text"]

INTRO = N_(
    "Pour les représentants légaux qui ne détiennent pas encore un compte EduConnect, la méthode "
    "recommandée et à privilégier c'est le parcours par auto-inscription par SMS. Les anciens "
    "élèves et leurs représentants légaux ayant déjà un compte EduConnect, gardent leurs "
    "identifiants et mots de passe précédents."
)

_ABOUT_INTRO = N_("— Au début du guide :")


@dataclass(frozen=True)
class Hint:
    """A keyboard hint of the screens (an ``N_()`` msgid), and what sets it apart from the
    words before it: a space (« (clavier : …) » inside a sentence) or a paragraph break."""

    text: str
    before: str = " "


@dataclass(frozen=True)
class Guide:
    """A step's words (an ``N_()`` msgid, its hints as placeholders) and its hints, in order:
    the first fills ``%(keys)s``, the second ``%(more_keys)s``."""

    words: str
    hints: tuple[Hint, ...] = ()


_PLACEHOLDERS = ("keys", "more_keys")

GUIDE_TEXT: dict[str, Guide] = {
    "1": Guide(
        N_(
            "1. Rendez-vous sur une de pages https://teleservices.education.gouv.fr , "
            "https://teleservices.ac-montpellier.fr/ , ou "
            "https://frederic-bazille.mon-ent-occitanie.fr/ , et cliquez sur « Se connecter »"
            "%(keys)s."
        ),
        (
            Hint(
                N_(
                    "(clavier : flèches haut/bas pour choisir la page, Tab jusqu'au bouton « Se "
                    "connecter », puis Entrée)"
                )
            ),
        ),
    ),
    "1.1": Guide(
        N_(
            "1.1 Choisissez le lien « Élève ou parent de l'Académie de Montpellier »%(keys)s, "
            "ensuite cliquez sur « Valider »%(more_keys)s."
        ),
        (
            Hint(N_("(clavier : flèches haut/bas)")),
            Hint(N_("(clavier : Tab jusqu'au bouton, puis Entrée)")),
        ),
    ),
    "1.2": Guide(
        N_("1.2 Cliquez sur le lien « Représentant légal »%(keys)s."),
        (
            Hint(
                N_(
                    "(clavier : il a déjà le curseur, appuyez sur Entrée ; flèches haut/bas pour "
                    "passer d'un profil à l'autre)"
                )
            ),
        ),
    ),
    "2": Guide(
        N_("2. Écran d'authentification – choisissez le lien « Je n'ai pas de compte »%(keys)s."),
        (
            Hint(
                N_(
                    "(clavier : depuis le champ Identifiant, Tab trois fois jusqu'au bouton « Je "
                    "n'ai pas de compte → », puis Entrée)"
                )
            ),
        ),
    ),
    "3": Guide(
        N_(
            "3. Écran de création de compte – saisissez votre nom, prénom et numéro de "
            "téléphone portable, tel qu'ils sont connus par l'établissement, ensuite cliquez "
            "sur « Suivant »%(keys)s."
        ),
        (
            Hint(
                N_(
                    "(clavier : Tab ou Entrée d'un champ au suivant ; Entrée dans le champ du "
                    "numéro vaut « Suivant »)"
                )
            ),
        ),
    ),
    "4": Guide(
        N_(
            "4. Confirmer l'envoi de SMS au numéro de téléphone portable saisi, ensuite suivez "
            "les instructions à l'écran pour finaliser la création et l'activation de votre "
            "compte.\n\n"
            "4.3- Cliquer sur le bouton « Valider », puis consulter ses SMS%(keys)s."
        ),
        (
            Hint(
                N_(
                    "(clavier : Entrée sur « Recevoir mon code SMS », puis Entrée sur « Valider », "
                    "qui a alors le curseur)"
                )
            ),
        ),
    ),
    "5": Guide(
        N_(
            "5. Écran de saisie du code d'activation – saisissez le code d'activation reçu par "
            "SMS.\n\n"
            "5.1 - Renseigner le code reçu.\n"
            "Le code reçu par SMS n'est valable que 30 minutes.\n\n"
            "5.2- Cliquer sur le bouton « Continuer »%(keys)s."
        ),
        (Hint(N_("(clavier : Entrée dans le champ du code)")),),
    ),
    "6": Guide(
        N_(
            "6. Écran de confirmation des dates de naissances des enfants – saisissez les dates "
            "de naissance pour chacun de vos enfants, vérifiez le nombre, les noms, les prénoms "
            "des enfants rattachés à votre compte (avec possibilité de signaler un rattachement "
            "erroné), ensuite cliquez sur « Confirmer ».%(keys)s\n\n"
            "S'il y a un seul lien responsable-élève, l'action ne sera pas prise en compte.\n\n"
            "6.1-Saisir les dates de naissance de ses enfants.\n"
            "6.2- Cliquer sur le bouton « Confirmer »%(more_keys)s."
        ),
        (
            Hint(
                N_(
                    "Au clavier : Tab d'une réponse à l'autre, les flèches choisissent « Oui » ou "
                    "« Non », Entrée dans un champ de date passe au suivant, et dans le dernier "
                    "vaut « Confirmer »."
                ),
                before="\n\n",
            ),
            Hint(N_("(clavier : Tab jusqu'au bouton, puis Entrée)")),
        ),
    ),
    "7": Guide(
        N_(
            "7. Écran de création du mot de passe – L'identifiant de votre compte est affiché "
            "à l'écran ; il est à retenir / à noter, car indispensable pour les connexions "
            "suivantes. Saisissez et confirmez votre nouveau mot de passe, en respectant les "
            "instructions affichées (au moins 8 caractères, majuscule, minuscule, caractère "
            "spécial, ...) ; il est aussi à retenir / à noter pour les prochaines connexions. "
            "Votre compte est activé, vous pouvez accéder aux services."
        )
    ),
    "8": Guide(
        N_(
            "N'oubliez pas de noter l'identifiant et le mot de passe définitif que vous avez "
            "choisi pour votre compte.\n\n"
            "Une fois votre compte créé, vous pouvez utiliser ce même identifiant et le mot de "
            "passe qui lui est associé sur ENT, Pronote, Scolarité Services, etc.\n\n"
            "Après la création de votre compte EduConnect parent, si vous avez oublié votre "
            "identifiant ou votre mot de passe, utilisez les liens sur la page de connexion "
            "« Identifiant oublié ? » / « Mot de passe oublié ? »%(keys)s pour récupérer vos "
            "informations directement via SMS sur votre téléphone portable, ou dans votre boîte "
            "email. L'établissement n'envoie pas des identifiants ou des mots de passe pour les "
            "comptes EduConnect de représentants légaux."
        ),
        (
            Hint(
                N_(
                    "(clavier : Tab passe d'abord les champs et les boutons, puis les liens ; "
                    "Entrée sur le lien)"
                )
            ),
        ),
    ),
    "compte-existant": Guide(
        N_(
            "Les anciens élèves et leurs représentants légaux ayant déjà un compte EduConnect, "
            "gardent leurs identifiants et mots de passe précédents.\n\n"
            "Votre numéro de portable est celui d'un compte déjà activé : notez l'identifiant "
            "affiché. « Se connecter »%(keys)s ouvre la page de connexion avec cet identifiant "
            "déjà saisi. Si vous avez oublié votre mot de passe, « Mot de passe oublié ? »"
            "%(more_keys)s vous envoie un code pour en choisir un nouveau, via SMS sur votre "
            "téléphone portable, ou dans votre boîte email."
        ),
        (
            Hint(N_("(clavier : Entrée)")),
            Hint(N_("(clavier : Tab, puis Entrée)")),
        ),
    ),
    "eleve": Guide(
        N_(
            "Les nouveaux élèves sans compte EduConnect recevront leurs identifiants et mots de "
            "passe temporaires au collège, en début de l'année scolaire ou à la date de leur "
            "arrivée effective en classe."
        )
    ),
}


def guide_paragraphs(step: str, *, keys: bool = True) -> str:
    """The guide's own paragraph(s) for ``step``, with the screens' keyboard hints, or without
    them (``keys=False``: the line mode)."""
    guide = GUIDE_TEXT[step]
    filled = {
        name: f"{hint.before}{_(hint.text)}" if keys else ""
        for name, hint in zip(_PLACEHOLDERS, guide.hints, strict=False)
    }
    words = _(guide.words)
    return words % filled if guide.hints else words


def guide_text(step: str, *, keys: bool = True) -> str:
    """The guide's paragraph for ``step`` first, where F1 opens; the guide's opening
    paragraph after it, for whoever scrolls on (the same on every step, it would otherwise
    push the step's own words below the fold)."""
    return f"{guide_paragraphs(step, keys=keys)}\n\n{_(_ABOUT_INTRO)}\n{_(INTRO)}"
