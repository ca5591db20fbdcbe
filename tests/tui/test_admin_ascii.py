"""The administration app on a terminal that cannot draw box-drawing or symbol characters
(the Linux console, ``--ascii``): ASCII in their place, as in the families' app. Run on a real
pty, as the staff's terminal would receive it: the replacement happens where frames are
written, which a headless test never reaches."""

from __future__ import annotations

import sys

import pytest

from services import Services
from tests.drawable import drawable_anywhere
from tests.serve._pty import PtyProgram, on_pty

TABS = ("Suivi", "Rattachements contestés", "Journal", "Comptes")
CASES = {
    "TERM=linux": ([], {"TERM": "linux"}),
    "--ascii": (["--ascii"], {}),
}


def click(terminal: PtyProgram, text: str) -> None:
    """A click on the first cell of ``text`` where the screen shows it."""
    y, line = next((y, line) for y, line in enumerate(terminal.screen.display) if text in line)
    x = line.index(text) + 1
    terminal.write(f"\x1b[<0;{x + 1};{y + 1}M\x1b[<0;{x + 1};{y + 1}m".encode())


def undrawable(screen: str) -> set[str]:
    return {c for c in screen if not drawable_anywhere(c)}


@pytest.mark.parametrize(("arguments", "env"), CASES.values(), ids=CASES.keys())
def test_every_tab_and_the_issue_dialog_draw_only_what_any_terminal_can(
    demo_services: Services, arguments: list[str], env: dict[str, str]
) -> None:
    """The tabs' underline, the tables, the scrollbar and the dialog's frame in ASCII; the
    names and the French text as they are."""
    db = demo_services.settings.db_path
    program = [sys.executable, "-c", "from tui.cli import main; main()"]
    argv = [*program, *arguments, "admin", "--db", str(db)]
    screens: dict[str, str] = {}
    with on_pty(argv, env=env) as terminal:
        terminal.read_until(lambda: terminal.shows("Payet Hugo"))
        terminal.quiet()
        screens["Comptes"] = terminal.screen_text()
        for tab in TABS:
            click(terminal, tab)
            terminal.settle()
            screens.setdefault(tab, terminal.screen_text())
        terminal.write(b"e")
        terminal.read_until(lambda: terminal.shows("Émettre des identifiants provisoires"))
        terminal.quiet()
        screens["Émettre…"] = terminal.screen_text()
    assert "Comptes activés, par classe" in screens["Suivi"]
    assert "Aucun rattachement contesté." in screens["Rattachements contestés"]
    assert "Journal de sécurité" in screens["Journal"]
    assert "(*) L'élève sélectionné : Hugo Payet (3A)" in screens["Émettre…"]
    left = {name: found for name, screen in screens.items() if (found := undrawable(screen))}
    assert left == {}, "\n\n".join(screens.values())


def test_a_utf8_terminal_keeps_its_frames(demo_services: Services) -> None:
    """The usual case: the tabs' underline and the dialog's frame as Textual draws them."""
    db = demo_services.settings.db_path
    argv = [sys.executable, "-c", "from tui.cli import main; main()", "admin", "--db", str(db)]
    with on_pty(argv, env={"LANG": "C.UTF-8"}) as terminal:
        terminal.read_until(lambda: terminal.shows("Payet Hugo"))
        terminal.quiet()
        assert "━" in terminal.screen_text()
