"""Every press of a button acts at once: a second Enter or click is never swallowed."""

from __future__ import annotations

import ast
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Button

from tui.widgets import InstantButton

TUI = Path(__file__).resolve().parents[2] / "tui"


class Counter(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.presses = 0

    def compose(self) -> ComposeResult:
        yield InstantButton("Se connecter", id="login")

    def on_button_pressed(self) -> None:
        self.presses += 1


class TestInstantButton:
    async def test_two_presses_in_a_row_both_act(self) -> None:
        """Two Enters on the focused button with nothing in between: two presses reach the
        screen. (Textual's Button drops the second during its 0.2 s press effect: ten quick
        wrong passwords then counted as nine.)"""
        app = Counter()
        async with app.run_test() as pilot:
            button = app.query_one("#login", Button)
            button.action_press()
            button.action_press()
            await pilot.pause()
            assert app.presses == 2
            assert not button.has_class("-active")

    def test_the_app_builds_no_plain_textual_button(self) -> None:
        """Every button of the families' and the school's apps is an ``InstantButton``."""
        plain = [
            f"{path.relative_to(TUI)}:{node.lineno}"
            for path in sorted(TUI.rglob("*.py"))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "Button"
        ]
        assert plain == []
