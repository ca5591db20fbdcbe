"""The line mode (`educonnect lignes`) driven as a script drives it: answers on standard
input, one per line; what it writes compared with reviewed transcripts
(`tests/lines/transcripts/`, rewritten with ``LINES_UPDATE=1`` — read the diff before
committing it)."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path

import pytest

from services import ManualClock, Services
from services.demo import DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD
from services.errors import SessionEnded
from store.records import AccountKind
from tui.headings import HEADINGS
from tui.journey import Step
from tui.lines import Console, run_lines
from tui.lines.console import WIDTH, match_option
from tui.lines.steps import HANDLERS

TRANSCRIPTS = Path(__file__).parent / "transcripts"
Answer = str | Callable[[], str]


class Script:
    """Standard input from a pipe: one answer per line, some known only once the run is
    under way (the code the SMS brought)."""

    def __init__(self, answers: Iterable[Answer], *, interrupt: bool = False) -> None:
        self.answers = list(answers)
        self.interrupt = interrupt

    def readline(self) -> str:
        if not self.answers:
            if self.interrupt:
                raise KeyboardInterrupt
            return ""
        answer = self.answers.pop(0)
        return (answer() if callable(answer) else answer) + "\n"

    def isatty(self) -> bool:
        return False


def run(
    services: Services,
    answers: Iterable[Answer],
    *,
    ascii_only: bool = False,
    interrupt: bool = False,
) -> str:
    """The whole transcript of a run fed with ``answers``, then the end of the input (or
    Ctrl+C, with ``interrupt``)."""
    out = io.StringIO()
    script = Script(answers, interrupt=interrupt)
    run_lines(services, Console(script, out, ascii_only=ascii_only))
    return out.getvalue()


def sms_code(services: Services) -> Callable[[], str]:
    def read() -> str:
        text = services.outbox.messages(channel="sms")[-1].text
        match = re.search(r"code .* est ([A-Z]{6})\.", text)
        assert match, text
        return match.group(1)

    return read


def check_transcript(name: str, transcript: str) -> None:
    path = TRANSCRIPTS / f"{name}.txt"
    if os.environ.get("LINES_UPDATE"):
        path.write_text(transcript, encoding="utf-8")
    assert transcript.splitlines() == path.read_text(encoding="utf-8").splitlines()


def check_plain(transcript: str) -> None:
    """Lines only: no escape byte (no cursor move, no colour), none wider than 80."""
    assert "\x1b" not in transcript
    assert all(ord(c) >= 32 or c == "\n" for c in transcript)
    assert max(len(line) for line in transcript.splitlines()) <= WIDTH


TO_LOGIN = ["2", "rep", "1"]
"""Téléservices, « Représentant légal », « Se connecter »."""

REGISTRATION = ["2", "1", "2", "Martin", "Sophie", "06 12 34 56 78", "1"]
"""Steps 1 to 4 for Sophie Martin (demo family: Emma, 05/09/2008, then Lucas, 14/03/2012)."""

NEW_PASSWORD = "Tournesol-Bleu-42"


class TestJourneys:
    def test_login_lists_the_services_and_mon_compte(self, demo_services: Services) -> None:
        transcript = run(
            demo_services, [*TO_LOGIN, DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD, "2"]
        )
        check_transcript("login", transcript)
        check_plain(transcript)
        assert DEMO_ACTIVE_PASSWORD not in transcript
        assert "Identifiant : c.moreau1" in transcript
        assert "  1. Mon compte" in transcript

    def test_registration_steps_3_to_8(self, demo_services: Services) -> None:
        transcript = run(
            demo_services,
            [
                *REGISTRATION,
                "telephone",
                sms_code(demo_services),
                "oui",
                "05/09/2008",
                "1",
                "14/03/2012",
                NEW_PASSWORD,
                NEW_PASSWORD,
                "1",
            ],
        )
        check_transcript("registration", transcript)
        check_plain(transcript)
        assert NEW_PASSWORD not in transcript
        assert "Étape 3 sur 7 — Activation du compte" in transcript
        assert "Votre compte est activé" in transcript
        session = demo_services.login.login("s.martin1", NEW_PASSWORD, profile=AccountKind.GUARDIAN)
        assert session.identifiant == "s.martin1"

    def test_the_ent_site_asks_its_own_profile_first(self, demo_services: Services) -> None:
        transcript = run(demo_services, ["3", "1", "2"])
        assert "Étape 1.1 sur 7 — Profil ENT" in transcript
        assert "Étape 1.2 sur 7 — Profil ÉduConnect" in transcript
        assert "Étape 2 sur 7 — Authentification\n" in transcript

    def test_an_active_account_is_named_after_the_right_code(self, demo_services: Services) -> None:
        answers = ["2", "1", "2", "Moreau", "Claire", "06 45 12 34 56", "1"]
        transcript = run(demo_services, [*answers, sms_code(demo_services), "1"])
        assert "Vous avez déjà un compte" in transcript
        assert "Votre identifiant : c.moreau1" in transcript
        assert transcript.count("Étape 2 sur 7 — Authentification") == 2


class TestRecovery:
    def test_identifiant_oublie_gives_the_neutral_answer(self, demo_services: Services) -> None:
        answers = ["2", "1", "ident", "1", "Moreau", "Claire", "06 45 12 34 56", "1"]
        transcript = run(demo_services, answers)
        check_transcript("identifiant-oublie", transcript)
        check_plain(transcript)
        [sms] = demo_services.outbox.messages(channel="sms")
        assert DEMO_ACTIVE_IDENTIFIANT in sms.text
        assert DEMO_ACTIVE_IDENTIFIANT not in transcript.split("Numéro saisi")[1]
        assert transcript.count("Étape 2 sur 7 — Authentification") == 2

    def test_mot_de_passe_oublie_sets_a_new_password(self, demo_services: Services) -> None:
        answers: list[Answer] = ["2", "1", "mot", "1", DEMO_ACTIVE_IDENTIFIANT]
        answers += [sms_code(demo_services), "Court", "Court", NEW_PASSWORD, NEW_PASSWORD, "1"]
        transcript = run(demo_services, answers)
        check_transcript("mot-de-passe-oublie", transcript)
        check_plain(transcript)
        assert "Votre mot de passe a été modifié" in transcript
        session = demo_services.login.login(
            DEMO_ACTIVE_IDENTIFIANT, NEW_PASSWORD, profile=AccountKind.GUARDIAN
        )
        assert session.identifiant == DEMO_ACTIVE_IDENTIFIANT

    def test_a_wrong_reset_code_is_refused_then_asked_again(self, demo_services: Services) -> None:
        transcript = run(demo_services, ["2", "1", "4", "1", DEMO_ACTIVE_IDENTIFIANT, "ZZZZZZ"])
        lines = transcript.splitlines()
        typed = lines.index("Code reçu (valable 30 min) : ZZZZZZ")
        assert lines[typed + 1].startswith("Erreur : ")
        assert lines[-3] == "Code reçu (valable 30 min) : "


def mail_code(services: Services) -> Callable[[], str]:
    def read() -> str:
        text = services.outbox.messages(channel="email")[-1].text
        match = re.search(r"code de confirmation est ([A-Z]{6})\.", text)
        assert match, text
        return match.group(1)

    return read


LOGGED_IN = [*TO_LOGIN, DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD]


class TestMonCompte:
    def test_an_address_added_then_confirmed_with_the_mailed_code(
        self, demo_services: Services
    ) -> None:
        answers: list[Answer] = [*LOGGED_IN, "mon", "ajouter", "claire@example.fr", "courriel"]
        transcript = run(demo_services, [*answers, mail_code(demo_services), "mes", "se"])
        check_transcript("mon-compte-adresse", transcript)
        check_plain(transcript)
        assert "Adresse e-mail : claire@example.fr (confirmée)" in transcript
        assert transcript.count("Connecté — Mes services") == 2

    def test_a_changed_password_is_the_one_that_logs_in(self, demo_services: Services) -> None:
        answers = [*LOGGED_IN, "1", "1", "Mauvais-1", NEW_PASSWORD, NEW_PASSWORD]
        answers += [DEMO_ACTIVE_PASSWORD, NEW_PASSWORD, NEW_PASSWORD]
        transcript = run(demo_services, answers)
        check_plain(transcript)
        lines = transcript.splitlines()
        refused = lines.index("Erreur : Le mot de passe actuel est incorrect.")
        assert lines[refused + 1 : refused + 4] == [
            "Mot de passe actuel : ",
            "Nouveau mot de passe : ",
            "Confirmation du mot de passe : ",
        ]
        assert "Votre mot de passe a été modifié. Les autres sessions" in transcript
        assert transcript.count("\nMon compte\n") == 2
        assert any(line.startswith("Mot de passe : modifié le ") for line in lines)
        demo_services.login.login(
            DEMO_ACTIVE_IDENTIFIANT, NEW_PASSWORD, profile=AccountKind.GUARDIAN
        )

    def test_a_session_closed_elsewhere_leads_back_to_the_login(
        self, demo_services: Services
    ) -> None:
        """The password changed from another session: « Mon compte » finds this one closed,
        says so, and the login comes back."""

        def changed_elsewhere() -> str:
            login = demo_services.login
            other = login.login(
                DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD, profile=AccountKind.GUARDIAN
            )
            demo_services.account.change_password(
                other, DEMO_ACTIVE_PASSWORD, NEW_PASSWORD, NEW_PASSWORD
            )
            return "mon"

        transcript = run(demo_services, [*LOGGED_IN, changed_elsewhere])
        lines = transcript.splitlines()
        asked = lines.index("Votre choix : mon")
        ended = SessionEnded().message
        assert lines[asked + 1 : asked + 4] == ["", "Mon compte", "Connexion"]
        assert " ".join(lines[asked + 4 :]).startswith(ended)
        assert "Identifiant : c.moreau1" not in transcript.split("Votre choix : mon")[1]
        assert transcript.split(ended)[1].startswith("\n\nÉtape 2 sur 7 — Authentification")


class TestPupilFirstLogin:
    def test_the_notice_then_identity_password_and_address(self, demo_services: Services) -> None:
        issued = demo_services.admin.issue_for_pupil("E003").issued[0]
        answers: list[Answer] = ["2", "élève", "1", issued.identifiant, issued.password]
        answers += ["01/01/2000", "22/01/2014", NEW_PASSWORD, NEW_PASSWORD]
        answers += ["ajouter", "lea@example.fr", mail_code(demo_services), "se"]
        transcript = run(demo_services, answers)
        check_transcript("premiere-connexion-eleve", transcript)
        check_plain(transcript)
        assert issued.password not in transcript
        assert "Première connexion — 1 / 3 Identité" in transcript
        assert "Adresse e-mail confirmée" in transcript
        assert "Votre classe" in transcript
        demo_services.pupils.login(issued.identifiant, NEW_PASSWORD)

    def test_retour_before_activation_goes_back_to_the_login(self, demo_services: Services) -> None:
        issued = demo_services.admin.issue_for_pupil("E003").issued[0]
        answers = ["2", "élève", "1", issued.identifiant, issued.password, "retour"]
        transcript = run(demo_services, answers)
        assert transcript.count("Étape 2 sur 7 — Authentification") == 2


class TestFranceConnect:
    def test_first_use_links_the_identity_and_opens_the_services(
        self, demo_services: Services
    ) -> None:
        answers: list[Answer] = ["2", "1", "s'i", "ameli", "thomas.bernard", "demo", "1"]
        answers += ["06 23 45 67 89", sms_code(demo_services), "oui", "22/01/2014", "se"]
        transcript = run(demo_services, answers)
        check_transcript("franceconnect", transcript)
        check_plain(transcript)
        assert transcript.count("Simulation — aucune donnée n'est échangée") == 7
        assert "Connecté(e) avec FranceConnect, sans mot de passe ÉduConnect." in transcript
        assert "Bonjour Thomas BERNARD" in transcript


class TestRefusals:
    def test_an_unknown_choice_is_one_error_line_then_the_same_prompt(
        self, demo_services: Services
    ) -> None:
        before = demo_services.settings.db_path.read_bytes()
        transcript = run(demo_services, ["9", "3", "4"])
        lines = transcript.splitlines()
        first = lines.index("Site de départ : 9")
        assert lines[first + 1] == "Erreur : Réponse non reconnue : tapez un numéro de 1 à 3."
        assert lines[first + 2] == "Site de départ : 3"
        refusal = lines.index("Profil : 4")
        assert lines[refusal + 1].startswith("Erreur : « Élève ou parent de l'enseignement")
        assert lines[-3:] == ["Profil : ", "", "Au revoir."]
        assert all(
            line.startswith(("Erreur", "ÉduConnect", "représentant"))
            for line in lines[refusal + 1 : -3]
        )
        assert demo_services.settings.db_path.read_bytes() == before

    def test_a_refused_password_names_the_rules_not_met_and_asks_again(
        self, demo_services: Services
    ) -> None:
        answers: list[Answer] = [
            *REGISTRATION,
            sms_code(demo_services),
            "1",
            "05/09/2008",
            "1",
            "14/03/2012",
        ]
        transcript = run(demo_services, [*answers, "court", "court"])
        lines = transcript.splitlines()
        refusal = next(i for i, line in enumerate(lines) if line.startswith("Erreur : "))
        assert "Majuscule (au moins une)" in "\n".join(lines[refusal:])
        assert lines[-3] == "Nouveau mot de passe : "
        assert "court" not in transcript
        with pytest.raises(Exception, match="incorrect"):
            demo_services.login.login("s.martin1", "court", profile=AccountKind.GUARDIAN)

    def test_a_wrong_code_is_refused_then_asked_again(self, demo_services: Services) -> None:
        transcript = run(demo_services, [*REGISTRATION, "ZZZZZZ"])
        lines = transcript.splitlines()
        typed = lines.index("J'indique le code d'activation reçu par SMS (valable 30min) : ZZZZZZ")
        assert lines[typed + 1].startswith("Erreur : ")
        assert lines[-3].startswith("J'indique le code d'activation")


BERNARD = ["2", "1", "2", "Bernard", "Thomas", "06 23 45 67 89", "1"]
"""Steps 1 to 4 for Thomas Bernard, whose one child (Léa) is his only link."""


class TestRegistrationRefusals:
    def test_non_on_a_single_link_is_refused_then_asked_again(
        self, demo_services: Services
    ) -> None:
        transcript = run(demo_services, [*BERNARD, sms_code(demo_services), "non"])
        lines = transcript.splitlines()
        typed = lines.index("Je suis le représentant légal de cet élève ? : non")
        assert lines[typed + 1].startswith("Erreur : S'il y a un seul lien responsable-élève")
        assert lines[-3] == "Je suis le représentant légal de cet élève ? : "

    def test_three_wrong_dates_end_the_activation_and_offer_to_start_again(
        self, demo_services: Services
    ) -> None:
        answers: list[Answer] = [*BERNARD, sms_code(demo_services)]
        for wrong in ("01/01/2000", "01/01/2001", "01/01/2002"):
            answers += ["oui", wrong]
        transcript = run(demo_services, [*answers, "1"])
        assert "Il vous reste 1 essai." in transcript
        lines = transcript.splitlines()
        restart = lines.index("  1. Recommencer l'activation")
        assert lines[restart - 3].startswith("Erreur : Trop de dates de naissance erronées")
        assert lines[-3:] == ["Nom : ", "", "Au revoir."]
        assert lines[restart + 3] == "Étape 3 sur 7 — Activation du compte"

    def test_a_new_code_waits_for_the_sending_limit(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """« renvoyer » too soon is one refusal line and the same prompt; a minute later it
        sends a new code, which the person then types."""

        def a_minute_later() -> str:
            clock.advance(timedelta(seconds=61))
            return "renvoyer"

        answers: list[Answer] = [*BERNARD, "renvoyer", a_minute_later, sms_code(demo_services)]
        transcript = run(demo_services, answers)
        lines = transcript.splitlines()
        label = "J'indique le code d'activation reçu par SMS (valable 30min) : "
        first = lines.index(f"{label}renvoyer")
        assert lines[first + 1].startswith("Erreur : Un code vient d'être envoyé.")
        assert lines[first + 3] == f"{label}renvoyer"
        assert "Un nouveau code a été envoyé au +33 6 23 45 67 89." in transcript
        assert len(demo_services.outbox.messages(channel="sms")) == 2
        assert "Étape 6 sur 7 — Mes enfants" in transcript

    def test_a_code_asked_again_too_soon_is_refused_at_the_same_prompt(
        self, demo_services: Services
    ) -> None:
        transcript = run(demo_services, [*BERNARD, "retour", "1"])
        lines = transcript.splitlines()
        assert lines[-6:] == [
            "Votre choix : 1",
            "Erreur : Un code vient d'être envoyé. Attendez 60 secondes avant d'en demander",
            "un nouveau.",
            "Votre choix : ",
            "",
            "Au revoir.",
        ]
        assert len(demo_services.outbox.messages(channel="sms")) == 1

    def test_retour_at_step_6_abandons_the_activation_once_confirmed(
        self, demo_services: Services
    ) -> None:
        answers: list[Answer] = [*BERNARD, sms_code(demo_services), "retour", "1", "retour"]
        transcript = run(demo_services, [*answers, "abandonner"])
        lines = transcript.splitlines()
        assert transcript.count("Abandonner l'activation ?") == 2
        # « Continuer l'activation » asks the same question again, on the same step.
        question = "Je suis le représentant légal de cet élève ? : retour"
        assert lines.count(question) == 2
        assert "Étape 5 sur 7" not in transcript.split("Étape 6 sur 7")[1]
        assert lines[-4:] == [
            "  5. S'identifier avec FranceConnect",
            "Votre choix : ",
            "",
            "Au revoir.",
        ]


class TestLeaving:
    def test_end_of_input_leaves_cleanly(self, demo_services: Services) -> None:
        transcript = run(demo_services, ["2"])
        assert transcript.endswith("Profil ÉduConnect\n") is False
        assert transcript.splitlines()[-1] == "Au revoir."

    def test_ctrl_c_leaves_cleanly(self, demo_services: Services) -> None:
        transcript = run(demo_services, ["2"], interrupt=True)
        assert transcript.splitlines()[-1] == "Au revoir."

    def test_quitter_leaves_and_retour_goes_back(self, demo_services: Services) -> None:
        transcript = run(demo_services, ["2", "retour", "retour", "quitter", "1"])
        assert transcript.count("Étape 1 sur 7 — Accès au service") == 2
        lines = transcript.splitlines()
        refused = len(lines) - 1 - lines[::-1].index("Site de départ : retour")
        assert lines[refused + 1 : refused + 3] == [
            "Erreur : Il n'y a pas d'étape précédente ici.",
            "Site de départ : quitter",
        ]
        assert transcript.splitlines()[-1] == "Au revoir."

    def test_aide_writes_the_whole_guide_text_of_the_step(self, demo_services: Services) -> None:
        transcript = run(demo_services, ["?"])
        assert "recommandée et à privilégier" in transcript


class TestEveryStep:
    @pytest.mark.parametrize("step", list(Step))
    def test_every_step_of_the_journey_has_its_lines(self, step: Step) -> None:
        """The line mode walks the whole table: no step of the app is missing from it."""
        assert step in HANDLERS
        assert step in HEADINGS


class TestOutput:
    def test_ascii_when_the_locale_is_not_utf8(self, demo_services: Services) -> None:
        transcript = run(demo_services, [*TO_LOGIN, "x", "y"], ascii_only=True)
        transcript.encode("ascii")
        assert "Etape 2 sur 7 - Authentification" in transcript
        assert 'choisissez le lien "Je n\'ai pas de compte".' in transcript
        check_plain(transcript)

    @pytest.mark.parametrize(
        ("answer", "found"),
        [("2", 1), ("rep", 0), ("ELE", 1), ("é", 1), ("", None), ("3", None), ("x", None)],
    )
    def test_a_choice_by_number_or_first_letters(self, answer: str, found: int | None) -> None:
        assert match_option(answer, ["Représentant légal", "Élève"]) == found
