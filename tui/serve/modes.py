"""What an SSH session runs: the full-screen app, or the line mode (``tui.lines``) for a client
that asks for it with the user name ``lignes`` (``ssh lignes@host``) or ``TERM=dumb`` — a
screen reader, a braille display, a dumb terminal, a very slow link."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.serve.child import app_command

__all__ = ["LINES_USER", "SessionPlan", "plan_session", "wants_lines"]

LINES_USER = "lignes"


def wants_lines(user: str, term: str) -> bool:
    """Whether the client asked for the line mode: by its user name, or a terminal that can
    only write lines."""
    return user == LINES_USER or term.strip().lower() == "dumb"


@dataclass(frozen=True)
class SessionPlan:
    command: list[str]
    """The argv the session's pty runs."""
    lines: bool
    """The line mode: the session writes no terminal reset when it closes."""


def plan_session(
    configured: Sequence[str] | None, db: Path | None, *, user: str, term: str
) -> SessionPlan:
    """What one session runs: ``configured`` when the server was given a command (tests),
    else the app or the line mode on ``db`` (``None``: the database of the session's
    environment)."""
    if configured:
        return SessionPlan(list(configured), lines=False)
    lines = wants_lines(user, term)
    return SessionPlan(app_command(db, lines=lines), lines=lines)
