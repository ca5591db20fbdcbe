"""Every journey of the line mode fed on standard input from start to end, its transcript
compared with the reviewed one."""

from __future__ import annotations

from services import Services
from services.demo import DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD
from services.errors import SessionEnded
from store.records import AccountKind
from tests.lines.script import (
    LOGGED_IN,
    NEW_PASSWORD,
    REGISTRATION,
    TO_LOGIN,
    Answer,
    check_plain,
    check_transcript,
    mail_code,
    run,
    sms_code,
)


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
