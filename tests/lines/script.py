"""Driving the line mode as a script drives it: answers on standard input, one per line;
what it writes compared with reviewed transcripts (`tests/lines/transcripts/`, rewritten with
``LINES_UPDATE=1`` — read the diff before committing it)."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from services import Services
from services.demo import DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD
from tui.lines import Console, run_lines
from tui.lines.console import WIDTH

TRANSCRIPTS = Path(__file__).parent / "transcripts"
Answer = str | Callable[[], str]


class Script:
    """Standard input from a pipe: one answer per line, some known only once the run is
    under way (the code the SMS brought)."""

    def __init__(self, answers: Iterable[Answer], *, interrupt: bool = False) -> None:
        self.answers = list(answers)
        self.interrupt = interrupt

    def readline(self) -> str:
        if not self.answers:
            if self.interrupt:
                raise KeyboardInterrupt
            return ""
        answer = self.answers.pop(0)
        return (answer() if callable(answer) else answer) + "\n"

    def isatty(self) -> bool:
        return False


def run(
    services: Services,
    answers: Iterable[Answer],
    *,
    ascii_only: bool = False,
    interrupt: bool = False,
) -> str:
    """The whole transcript of a run fed with ``answers``, then the end of the input (or
    Ctrl+C, with ``interrupt``)."""
    out = io.StringIO()
    script = Script(answers, interrupt=interrupt)
    run_lines(services, Console(script, out, ascii_only=ascii_only))
    return out.getvalue()


def sms_code(services: Services) -> Callable[[], str]:
    def read() -> str:
        text = services.outbox.messages(channel="sms")[-1].text
        match = re.search(r"code .* est ([A-Z]{6})\.", text)
        assert match, text
        return match.group(1)

    return read


def check_transcript(name: str, transcript: str) -> None:
    path = TRANSCRIPTS / f"{name}.txt"
    if os.environ.get("LINES_UPDATE"):
        path.write_text(transcript, encoding="utf-8")
    assert transcript.splitlines() == path.read_text(encoding="utf-8").splitlines()


def check_plain(transcript: str) -> None:
    """Lines only: no escape byte (no cursor move, no colour), none wider than 80."""
    assert "\x1b" not in transcript
    assert all(ord(c) >= 32 or c == "\n" for c in transcript)
    assert max(len(line) for line in transcript.splitlines()) <= WIDTH


TO_LOGIN = ["2", "rep", "1"]
"""Téléservices, « Représentant légal », « Se connecter »."""

REGISTRATION = ["2", "1", "2", "Martin", "Sophie", "06 12 34 56 78", "1"]
"""Steps 1 to 4 for Sophie Martin (demo family: Emma, 05/09/2008, then Lucas, 14/03/2012)."""

NEW_PASSWORD = "Tournesol-Bleu-42"


def mail_code(services: Services) -> Callable[[], str]:
    def read() -> str:
        text = services.outbox.messages(channel="email")[-1].text
        match = re.search(r"code de confirmation est ([A-Z]{6})\.", text)
        assert match, text
        return match.group(1)

    return read


LOGGED_IN = [*TO_LOGIN, DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD]


BERNARD = ["2", "1", "2", "Bernard", "Thomas", "06 23 45 67 89", "1"]
"""Steps 1 to 4 for Thomas Bernard, whose one child (Léa) is his only link."""
