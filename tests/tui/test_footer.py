"""The footer shows each key's description in the language of the moment: the screens'
``BINDINGS`` hold msgids (``N_()``), translated only when the footer draws them."""

from __future__ import annotations

from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets._footer import FooterKey

from services.i18n import N_
from tui.widgets import CalmFooter


class Keys(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Retour")),
        Binding("f3", "toggle", N_("Afficher / masquer")),
    ]

    def compose(self) -> ComposeResult:
        yield CalmFooter()


class KeysApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Keys())


async def test_the_footer_translates_the_descriptions_where_it_shows_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    english = {"Retour": "Back", "Afficher / masquer": "Show / hide"}
    monkeypatch.setattr("tui.widgets.footer._", lambda message: english.get(message, message))
    app = KeysApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        shown = {key.key: key.description for key in app.screen.query(FooterKey)}
        assert shown == {"escape": "Back", "f3": "Show / hide"}
        # The bindings themselves keep their msgids: another language can still be shown.
        descriptions = [b.description for b in Keys.BINDINGS if isinstance(b, Binding)]
        assert descriptions == ["Retour", "Afficher / masquer"]
