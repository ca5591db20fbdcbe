"""What each step of the journey (``tui.journey.Step``) is called, for a front end that
writes it out (the line mode): the guide's number for it, its title and the key of its text in
``tui.guide.GUIDE_TEXT``. The screens' ``STEP_LABEL`` and ``GUIDE_STEP`` say the same
(``tests/tui/test_navigator.py`` checks). Textual-free, as the journey table is."""

from __future__ import annotations

from dataclasses import dataclass

from tui.journey import Step
from tui.language import N_

__all__ = ["GUIDE_STEP_COUNT", "HEADINGS", "Heading"]

GUIDE_STEP_COUNT = 7
"""The guide numbers its steps 1 to 7 (« Étape 3 / 7 »); what follows step 7 has no number."""


@dataclass(frozen=True)
class Heading:
    """The guide's number for a step (empty outside the numbered steps), its title (an
    ``N_()`` msgid) and the key of its paragraph in ``tui.guide.GUIDE_TEXT``."""

    number: str
    title: str
    guide: str


HEADINGS: dict[Step, Heading] = {
    Step.ENTRY: Heading("1", N_("Accès au service"), "1"),
    Step.ENT_PROFILE: Heading("1.1", N_("Profil ENT"), "1.1"),
    Step.EDUCONNECT_PROFILE: Heading("1.2", N_("Profil ÉduConnect"), "1.2"),
    Step.AUTHENTICATION: Heading("2", N_("Authentification"), "2"),
    Step.ACTIVATION: Heading("3", N_("Activation du compte"), "3"),
    Step.SMS_CONFIRMATION: Heading("4", N_("Confirmation par SMS"), "4"),
    Step.ACTIVATION_CODE: Heading("5", N_("Code d'activation"), "5"),
    Step.CHILDREN: Heading("6", N_("Mes enfants"), "6"),
    Step.PASSWORD: Heading("7", N_("Mot de passe"), "7"),
    Step.ACCOUNT_ACTIVATED: Heading("", N_("Compte activé"), "8"),
    Step.EXISTING_ACCOUNT: Heading("", N_("Compte déjà activé"), "compte-existant"),
    Step.SERVICES: Heading("", N_("Connecté — Mes services"), "8"),
    Step.FORGOT_IDENTIFIANT: Heading("", N_("Identifiant oublié"), "8"),
    Step.IDENTIFIANT_SENT: Heading("", N_("Identifiant oublié"), "8"),
    Step.FORGOT_PASSWORD: Heading("", N_("Mot de passe oublié — 1 / 3"), "8"),
    Step.RESET_CODE: Heading("", N_("Mot de passe oublié — 2 / 3"), "8"),
    Step.NEW_PASSWORD: Heading("", N_("Mot de passe oublié — 3 / 3"), "8"),
    Step.PASSWORD_CHANGED: Heading("", N_("Mot de passe modifié"), "8"),
    Step.ACCOUNT: Heading("", N_("Mon compte"), "8"),
    Step.CHANGE_PASSWORD: Heading("", N_("Mon compte — Mot de passe"), "8"),
    Step.EMAIL: Heading("", N_("Mon compte — Adresse e-mail"), "8"),
    Step.EMAIL_CODE: Heading("", N_("Mon compte — Confirmer l'adresse"), "8"),
    Step.IDENTITY_CHECK: Heading("", N_("Première connexion — 1 / 3 Identité"), "eleve"),
    Step.PUPIL_PASSWORD: Heading("", N_("Première connexion — 2 / 3 Mot de passe"), "eleve"),
    Step.PUPIL_EMAIL: Heading("", N_("Première connexion — 3 / 3 Adresse e-mail"), "eleve"),
    Step.FC_PROVIDER: Heading("", N_("FranceConnect (simulation) — Fournisseur"), "2"),
    Step.FC_LOGIN: Heading("", N_("FranceConnect (simulation) — Connexion"), "2"),
    Step.FC_IDENTITY: Heading("", N_("FranceConnect (simulation) — Identité"), "2"),
    Step.FC_MOBILE: Heading("", N_("FranceConnect (simulation) — Première connexion"), "4"),
    Step.FC_CODE: Heading("", N_("FranceConnect (simulation) — Code SMS"), "5"),
    Step.FC_CHILDREN: Heading("", N_("FranceConnect (simulation) — Mes enfants"), "6"),
    Step.FC_SERVICES: Heading("", N_("Connecté avec FranceConnect (simulation)"), "8"),
}
"""The steps' names, for a front end that writes them out (the line mode)."""
