"""The line mode's prompts: refusals said in one line then the same prompt, leaving, going
back, and output that is lines only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services import ManualClock, Services, Settings
from services.formatting import hour
from store.records import AccountKind
from tests.lines.script import BERNARD, REGISTRATION, TO_LOGIN, Answer, check_plain, run, sms_code
from tui.headings import HEADINGS
from tui.journey import Step
from tui.lines.console import match_option
from tui.lines.steps import HANDLERS


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


class TestPupilNotices:
    def test_a_pupils_forgotten_identifiant_says_whom_to_ask_then_the_same_prompt(
        self, demo_services: Services
    ) -> None:
        transcript = run(demo_services, ["2", "élève", "ident"])
        lines = transcript.splitlines()
        asked = lines.index("Votre choix : ident")
        assert lines[asked + 1].startswith("Erreur : Votre identifiant figure sur la notice")
        assert lines[-3:] == ["Votre choix : ", "", "Au revoir."]


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


class TestGuideText:
    def test_no_keyboard_hint_of_the_full_screen_app_is_written(
        self, demo_services: Services
    ) -> None:
        """The guide's « (clavier : Tab …) » are the screens' keys: lines have none."""
        transcript = run(demo_services, [*TO_LOGIN[:2], "?", "2", "aide"])
        assert "clavier" not in transcript.lower()
        assert "Tab" not in transcript
        assert "choisissez le lien « Je n'ai pas de compte »." in transcript


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


class TestThreeWrongDatesWhileStartsWait:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        """One start per mobile and per hour: after three wrong dates, a new try must wait."""
        return settings.model_copy(update={"max_starts_per_mobile": 1})

    def test_the_end_says_from_when_and_offers_the_login_not_step_3(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Step 3 would refuse a new start: « Retour à la connexion » is the one choice."""
        answers: list[Answer] = [*BERNARD, sms_code(demo_services)]
        for wrong in ("01/01/2000", "01/01/2001", "01/01/2002"):
            answers += ["oui", wrong]
        transcript = run(demo_services, [*answers, "1"])
        lines = transcript.splitlines()
        back = lines.index("  1. Retour à la connexion")
        ended = lines[back - 3]
        assert ended.startswith("Erreur : Trop de dates de naissance erronées")
        assert f"à partir de {hour(clock.now() + timedelta(hours=1))}" in " ".join(
            lines[back - 3 : back]
        )
        assert "Recommencer l'activation" not in transcript
        assert lines[back + 3] == "Étape 2 sur 7 — Authentification"
