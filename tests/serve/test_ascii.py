"""Terminals that cannot draw box-drawing or symbol characters get ASCII, one character for
one, so nothing moves; French letters stay as they are. Run on a real pty, as a person's
terminal would receive it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from services import Services
from tests.drawable import drawable_anywhere
from tests.serve._pty import child_argv, on_pty
from tui.glyphs import ASCII_GLYPHS, wants_ascii

UP, TAB, ENTER = "\x1b[A", "\t", "\r"


@pytest.fixture
def demo_db(demo_services: Services) -> Path:
    return demo_services.settings.db_path


CASES = {
    "TERM=linux": ([], {"TERM": "linux"}),
    "TERM=vt100": ([], {"TERM": "vt100"}),
    "LANG=C": ([], {"LANG": "C"}),
    "LANG=fr_FR.ISO-8859-1": ([], {"LANG": "fr_FR.ISO-8859-1"}),
    "--ascii": (["--ascii"], {}),
}


@pytest.mark.parametrize(("arguments", "env"), CASES.values(), ids=CASES.keys())
def test_steps_1_and_2_draw_only_what_any_terminal_can(
    demo_db: Path, arguments: list[str], env: dict[str, str]
) -> None:
    """Step 1 marks its choice ``(*)``, step 2 its links ``<`` and ``>`` and its columns
    ``|``; no cell holds anything but ASCII, French letters and punctuation."""
    argv = (
        [str(Path(sys.executable).parent / "educonnect"), "--db", str(demo_db), *arguments]
        if arguments
        else child_argv(demo_db)
    )
    with on_pty(argv, env=env) as terminal:
        terminal.read_until(lambda: terminal.shows("Se connecter"))
        terminal.quiet()
        step_1 = terminal.screen_text()
        assert "(*) frederic-bazille" in step_1
        terminal.write(f"{UP}{UP}{TAB}{ENTER}".encode())
        terminal.read_until(lambda: terminal.shows("Je sélectionne mon profil"))
        terminal.write(ENTER.encode())
        terminal.read_until(
            lambda: terminal.shows("Changer de profil") and terminal.shows("FranceConnect ?")
        )
        step_2 = terminal.screen_text()
    assert "< Changer de profil" in step_2
    assert "Identifiant oublié ? >" in step_2
    for screen in (step_1, step_2):
        undrawable = {c for c in screen if not drawable_anywhere(c)}
        assert undrawable == set(), screen


class TestWhenAscii:
    def test_a_utf8_terminal_keeps_its_characters(self) -> None:
        """The usual case: xterm-like TERM, UTF-8 locale."""
        assert not wants_ascii({"TERM": "xterm-256color", "LANG": "fr_FR.UTF-8"})
        assert not wants_ascii({"TERM": "screen", "LC_ALL": "C.utf8", "LANG": "C"})

    def test_no_locale_is_the_c_locale(self) -> None:
        assert wants_ascii({"TERM": "xterm-256color"})

    def test_every_replacement_is_one_ascii_character(self) -> None:
        """Same width as what it replaces: the layout does not move."""
        assert all(len(ascii_) == 1 and ascii_.isascii() for ascii_ in ASCII_GLYPHS.values())
