"""``educonnect demo --autoplay``: the app plays a parcours by itself, on its real screens,
with a caption line saying what the person does and why (``script`` the parcours as data,
``player`` what plays them, ``app`` the app that hosts the player)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services import Services

__all__ = ["run_autoplay"]


def run_autoplay(
    services: Services, parcours: str, speed: float, language: str | None = None
) -> None:
    """The app on ``services``, playing ``parcours`` (a name of ``script.PARCOURS``), in
    ``language`` as ``--langue`` gives it."""
    # Textual is imported only once a screen is really shown, as ``run_app`` does.
    from tui.autoplay.app import AutoplayApp
    from tui.autoplay.player import Pace
    from tui.autoplay.script import PARCOURS
    from tui.cli.plumbing import log_to_user_file

    log_to_user_file()
    AutoplayApp(services, PARCOURS[parcours], Pace(speed), language).run()
