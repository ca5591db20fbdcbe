"""The refusals that depend on time, fed on standard input end to end: the login lock after
too many failures and an activation code past its 30 minutes. The tests' clock is a manual
one (``tests/conftest.py``), moved forward by the answers themselves as a person waiting
between two tries would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from services import ManualClock, Services
from services.demo import DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD
from tests.lines.script import REGISTRATION, TO_LOGIN, Answer, check_plain, run, sms_code


def after(clock: ManualClock, wait: timedelta, answer: Answer) -> Callable[[], str]:
    """``answer``, typed once ``wait`` has gone by."""

    def read() -> str:
        clock.advance(wait)
        return answer() if callable(answer) else answer

    return read


class TestLoginLock:
    def test_the_lock_says_until_when_and_refuses_even_the_right_password(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        settings = demo_services.settings
        # Each try waits out the longest slowdown, so every failure is counted, none is
        # refused for coming too soon.
        tries: list[Answer] = []
        for _n in range(settings.login_lock_after):
            tries += [after(clock, settings.login_wait_max, DEMO_ACTIVE_IDENTIFIANT), "Faux-1"]
        transcript = run(
            demo_services, [*TO_LOGIN, *tries, DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD]
        )
        check_plain(transcript)
        errors = [line for line in transcript.splitlines() if line.startswith("Erreur : ")]
        assert len(errors) == settings.login_lock_after + 1
        assert all("Identifiant ou mot de passe incorrect." in line for line in errors[:-2])
        assert "Patientez 5 secondes avant de réessayer." in " ".join(transcript.split())
        # Ten tries five minutes apart, the first at 8 h 35 (UTC, the tests' zone): the tenth
        # at 9 h 20, locked for 15 minutes.
        locked = "Erreur : Trop d'essais erronés : cet identifiant est verrouillé jusqu'à 09 h 35."
        assert errors[-2:] == [locked, locked]
        assert "Bonjour" not in transcript
        assert "Faux-1" not in transcript
        assert transcript.splitlines()[-3] == "Identifiant : "

    def test_the_lock_ends_at_the_time_it_said(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        settings = demo_services.settings
        tries: list[Answer] = []
        for _n in range(settings.login_lock_after):
            tries += [after(clock, settings.login_wait_max, DEMO_ACTIVE_IDENTIFIANT), "Faux-1"]
        later = after(clock, settings.login_lock_duration, DEMO_ACTIVE_IDENTIFIANT)
        transcript = run(demo_services, [*TO_LOGIN, *tries, later, DEMO_ACTIVE_PASSWORD])
        assert "verrouillé jusqu'à 09 h 35" in transcript
        assert "Bonjour Claire MOREAU" in transcript


class TestExpiredCode:
    def test_a_code_past_30_minutes_is_refused_and_a_new_one_activates(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        late = after(clock, demo_services.settings.code_ttl + timedelta(minutes=1), "")
        answers: list[Answer] = [*REGISTRATION, lambda: late() + sms_code(demo_services)()]
        answers += ["renvoyer", sms_code(demo_services), "oui", "05/09/2008"]
        transcript = run(demo_services, answers)
        check_plain(transcript)
        lines = transcript.splitlines()
        prompt = "J'indique le code d'activation reçu par SMS (valable 30min) : "
        refused = next(i for i, line in enumerate(lines) if line.startswith("Erreur : "))
        assert lines[refused - 1].startswith(prompt) and lines[refused - 1] != prompt
        refusal = " ".join(lines[refused : refused + 2])
        assert refusal.startswith("Erreur : Ce code a expiré (il n'est valable que 30")
        # The way to a new code is the word to type, not the screen's button.
        assert "Tapez « renvoyer »" in refusal and "Je n'ai pas reçu" not in refusal
        assert lines[refused + 2] == f"{prompt}renvoyer"
        assert lines[refused + 3].startswith("Un nouveau code a été envoyé au +33 6 12 34 56 78.")
        assert len(demo_services.outbox.messages(channel="sms")) == 2
        assert "Étape 6 sur 7" in transcript.rsplit("renvoyer", 1)[1]
