"""No byte a terminal sends ends a session, and an unexpected error never puts a traceback on
the person's screen: the session's program on a real pty, fed bytes as a terminal sends them."""

from __future__ import annotations

import os
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services import Services
from tests.serve._pty import PtyProgram, child_argv, on_pty
from tui.serve.child import LOG_FD_VARIABLE
from tui.terminal.guarded import ENDED

TAB, ENTER, CTRL_L, CTRL_Q = b"\t", b"\r", b"\x0c", b"\x11"


def press(program: PtyProgram, key: bytes, expected: str) -> None:
    program.write(key)
    program.read_until(lambda: program.shows(expected))


def to_login(program: PtyProgram) -> None:
    """Step 1 to step 2, a key at a time: ENT of the collège, Montpellier, Élève."""
    program.read_until(lambda: program.shows("Se connecter"))
    press(program, TAB, "Se connecter")
    press(program, ENTER, "Vous souhaitez vous connecter à votre ENT")
    press(program, TAB, "Valider")
    press(program, ENTER, "Je sélectionne mon profil")
    press(program, ENTER, "Je me connecte avec mon compte")


def answers(program: PtyProgram) -> bool:
    """Whether the app still repaints its screen on Ctrl+L. The screen is wiped first, so only
    a live app can put its footer back. Ctrl+L is sent again while nothing comes: one sent
    while the app was still reading an escape sequence is part of that sequence."""
    program.screen.reset()
    for _ in range(30):
        program.write(CTRL_L)
        try:
            program.read_until(lambda: program.shows("Quitter"), timeout=1.0)
        except TimeoutError:
            continue
        except EOFError:
            return False
        return True
    return False


class TestLatin1Terminal:
    def test_a_latin1_name_is_read_and_the_session_goes_on(self, demo_services: Services) -> None:
        """« Lefèvre » from a Latin-1 terminal (``Lef\\xe8vre``) shows as « Lefèvre »; an « è »
        typed on its own shows too; Windows-1252's « œ » as well; then Ctrl+Q ends the app
        normally, and nothing on the screen was a traceback."""
        with on_pty(child_argv(demo_services.settings.db_path)) as program:
            to_login(program)

            program.write(b"Lef\xe8vre")
            program.read_until(lambda: program.shows("Lefèvre"))
            program.write(b"\xe8")
            program.read_until(lambda: program.shows("Lefèvreè"))
            program.write(b"C\x9cur")
            program.read_until(lambda: program.shows("LefèvreèCœur"))

            program.write(CTRL_Q)
            assert program.read_to_end() == 0
        assert b"Traceback" not in program.raw


class TestRandomBytes:
    def test_no_byte_string_ends_the_session(self, demo_services: Services) -> None:
        """Random byte strings, each in one write, to one running app: after each, the app still
        answers. Ctrl+Q is left out: it is the key that ends the app on purpose. The app is
        shared by the examples, so a failure names every write since it started: the one that
        broke it may come before the example Hypothesis reports."""
        written: list[bytes] = []
        with on_pty(child_argv(demo_services.settings.db_path)) as program:
            program.read_until(lambda: program.shows("Se connecter"))

            @settings(
                max_examples=60,
                deadline=None,
                database=None,
                suppress_health_check=[HealthCheck.too_slow],
            )
            @given(st.binary(min_size=1, max_size=64).filter(lambda data: CTRL_Q not in data))
            def survives(data: bytes) -> None:
                written.append(data)
                program.write(data)
                assert answers(program), f"no answer after {written!r}:\n{program.screen_text()}"

            survives()
            assert b"Traceback" not in program.raw


class TestUnexpectedError:
    def test_the_person_reads_one_french_line_and_the_log_gets_the_traceback(self) -> None:
        """An error in the app ends it with the French line: no traceback, no server path on
        the screen; the traceback goes to the descriptor the server named."""
        log_read, log_write = os.pipe()
        argv = [sys.executable, "-m", "tests.serve._failing_app"]
        env = {LOG_FD_VARIABLE: str(log_write)}
        with on_pty(argv, env=env, pass_fds=(log_write,)) as program:
            os.close(log_write)
            program.read_until(lambda: program.shows("Appuyez sur x"))
            program.write(b"x")
            assert program.read_to_end() == 1
        with os.fdopen(log_read, encoding="utf-8") as log:
            logged = log.read()

        shown = " ".join(program.raw.decode("utf-8", "replace").split())
        assert ENDED in shown
        assert "Traceback" not in shown
        assert "/srv/educonnect" not in shown
        assert "Traceback" in logged
        assert "RuntimeError: panne simulée dans /srv/educonnect/secret.py" in logged
