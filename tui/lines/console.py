"""Plain lines and one prompt at a time: what a screen reader, a braille display, ``TERM=dumb``
or a script can follow.

Nothing here moves a cursor or colours anything: the output is text and newlines only, each
line at most 80 columns. Answers are read one line at a time, from a terminal or a pipe.
"""

from __future__ import annotations

import getpass
import os
import re
import textwrap
import unicodedata
from collections.abc import Callable, Sequence
from typing import Protocol, TextIO

from services.errors import ServiceError
from services.refusals import ErrorCode
from tui.glyphs import ASCII_GLYPHS, python_found_c_locale, wants_ascii
from tui.language import N_, _, current, french, inline, plain_lines, translation

__all__ = [
    "WIDTH",
    "Answers",
    "Console",
    "GoBack",
    "Leave",
    "output_wants_ascii",
    "plain_ascii",
]

WIDTH = 80

# The refusals whose sentence names a screen's button: here the way to a new code is a word.
_LINE_SENTENCES = {
    ErrorCode.CODE_EXPIRED: N_(
        "Ce code a expiré (il n'est valable que 30 minutes). Tapez « renvoyer » pour recevoir "
        "un nouveau code."
    ),
    ErrorCode.CODE_VOIDED: N_(
        "Trop d'essais : ce code n'est plus valable. Tapez « renvoyer » pour recevoir un "
        "nouveau code."
    ),
    ErrorCode.EMAIL_CODE_EXPIRED: N_(
        "Ce code a expiré (il n'est valable que 30 minutes). Tapez « renvoyer » pour recevoir "
        "un nouveau code."
    ),
    ErrorCode.EMAIL_CODE_VOIDED: N_(
        "Ce code n'est plus valable. Tapez « renvoyer » pour recevoir un nouveau code."
    ),
}

# Typography a non-UTF-8 terminal cannot show, and that NFKD does not take apart.
ASCII_PUNCTUATION = str.maketrans(
    {
        "«": '"',
        "»": '"',
        "—": "-",
        "–": "-",
        "’": "'",
        "œ": "oe",
        "Œ": "OE",
        "æ": "ae",
        "°": "o",
    }
)


# French typography puts a space inside « » and before : ; ? ! — a line must not break there.
NO_BREAK = re.compile(r" (?=»)|(?<=«) | (?=[:;?!](?:\s|$))")


def wrap(
    text: str, width: int = WIDTH, initial_indent: str = "", subsequent_indent: str = ""
) -> list[str]:
    """``text`` in lines of at most 80 columns, never broken inside « … » nor before « : »."""
    glued = NO_BREAK.sub("\N{NO-BREAK SPACE}", text)
    lines = textwrap.wrap(
        glued,
        width,
        initial_indent=initial_indent,
        subsequent_indent=subsequent_indent,
        break_on_hyphens=False,
    )
    return [line.replace("\N{NO-BREAK SPACE}", " ") for line in lines]


def plain_ascii(text: str) -> str:
    """``text`` in ASCII: accents dropped (« é » → « e »), symbols as ``tui.glyphs`` draws
    them, French quotes and dashes as their ASCII look-alikes."""
    # « mot » is "mot": the spaces inside French quotes go with them.
    text = re.sub(r"«\s*", "«", re.sub(r"\s*»", "»", text))
    text = text.translate(ASCII_PUNCTUATION).translate(ASCII_GLYPHS)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def output_wants_ascii(stdout: TextIO) -> bool:
    """ASCII when the locale (or the output) is not UTF-8, or with ``--ascii``; unlike the
    app, a dumb terminal gets accents: it draws no boxes, but it shows the letters."""
    environ = {name: value for name, value in os.environ.items() if name != "TERM"}
    encoding = (getattr(stdout, "encoding", None) or "").lower().replace("_", "-")
    return wants_ascii(environ, c_locale_at_start=python_found_c_locale()) or encoding not in (
        "utf-8",
        "utf8",
    )


class Answers(Protocol):
    """Where answers come from: a terminal, a pipe, a test's script."""

    def readline(self) -> str: ...

    def isatty(self) -> bool: ...


class GoBack(Exception):
    """« retour » typed at a prompt."""


class Leave(Exception):
    """« quitter », Ctrl+D or Ctrl+C."""


class Console:
    """Writes wrapped lines and asks one question at a time.

    At every prompt « retour » goes back one step, « aide » (or « ? ») writes the whole guide
    text of the step, « quitter » leaves; the end of the input (Ctrl+D, or a script's last
    line read) leaves too. When answers come from a pipe they are written after their prompt,
    so that the transcript reads as the session went (never a password)."""

    def __init__(
        self,
        stdin: Answers,
        stdout: TextIO,
        *,
        ascii_only: bool = False,
        read_secret: Callable[[str], str] | None = None,
    ) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.ascii_only = ascii_only
        self.interactive = stdin.isatty()
        self.read_secret = read_secret or (getpass.getpass if self.interactive else None)
        self.help_text = ""
        self.can_go_back = True

    def write(self, line: str) -> None:
        # Written as it is: an answer echoed here is the person's own text, never laid out.
        self.stdout.write((plain_ascii(line) if self.ascii_only else line) + "\n")
        self.stdout.flush()

    def say(self, text: str = "") -> None:
        """``text`` wrapped at 80 columns; its own line breaks are kept, and an indented line
        keeps its indent on the lines it wraps to."""
        # Bilingual mode: each French line, then its translation (``tui.language``).
        text = plain_lines(text)
        if self.ascii_only:
            text = plain_ascii(text)
        for paragraph in text.split("\n"):
            if not paragraph.strip():
                self.write("")
                continue
            indent = " " * (len(paragraph) - len(paragraph.lstrip()))
            for line in wrap(paragraph, subsequent_indent=indent):
                self.write(line)

    def item(self, text: str, marker: str = "-") -> None:
        """One entry of a list, its continuation lines (and its translation) under its text."""
        text = plain_lines(text)
        if self.ascii_only:
            text = plain_ascii(text)
        indent = " " * (len(marker) + 3)
        for number, paragraph in enumerate(text.split("\n")):
            first = f"  {marker} " if number == 0 else indent
            for line in wrap(paragraph, initial_indent=first, subsequent_indent=indent):
                self.write(line)

    def error(self, message: str) -> None:
        self.say(_("Erreur : %(message)s") % {"message": message})

    def refused(self, error: ServiceError) -> None:
        """A service's refusal, in the words of the line mode where a screen's differ."""
        line_sentence = _LINE_SENTENCES.get(error.code)
        self.error(_(line_sentence) if line_sentence else error.text(current()))

    def ask(
        self,
        label: str,
        *,
        secret: bool = False,
        extra: dict[str, Callable[[], None]] | None = None,
    ) -> str:
        """The answer to ``label``, stripped (not for a password). ``extra``: more commands
        this prompt understands, each answered by a call, then the same prompt again."""
        commands = extra or {}
        while True:
            answer = self._read(label, secret=secret)
            word = answer.strip().lower()
            if word == "retour" and self.can_go_back:
                raise GoBack()
            if word == "retour":
                self.error(_("Il n'y a pas d'étape précédente ici."))
                continue
            if word == "quitter":
                raise Leave()
            if word in ("aide", "?"):
                self.say(self.help_text)
                continue
            if word in commands:
                commands[word]()
                continue
            return answer if secret else answer.strip()

    def choose(
        self,
        label: str,
        options: Sequence[str],
        refuse: Callable[[int], str | None] = lambda _index: None,
    ) -> int:
        """The index of the option chosen, by its number or the first letters of its label;
        ``refuse`` says why an option cannot be taken (then the same prompt again)."""
        for number, option in enumerate(options, start=1):
            self.item(option, f"{number}.")
        while True:
            found = match_option(self.ask(label), options)
            if found is None:
                self.error(
                    _("Réponse non reconnue : tapez un numéro de 1 à %(count)d.")
                    % {"count": len(options)}
                )
                continue
            refusal = refuse(found)
            if refusal is None:
                return found
            self.error(refusal)

    def _read(self, label: str, *, secret: bool) -> str:
        # A prompt stays one question: its translation in brackets, before the colon.
        lines = wrap(f"{inline(label)} :", WIDTH - 1) or [":"]
        for line in lines[:-1]:
            self.write(line)
        prompt = lines[-1] + " "
        if self.ascii_only:
            prompt = plain_ascii(prompt)
        try:
            if secret and self.read_secret is not None:
                return self.read_secret(prompt)
            self.stdout.write(prompt)
            self.stdout.flush()
            answer = self.stdin.readline()
        except (EOFError, KeyboardInterrupt) as stop:
            self.write("")
            raise Leave() from stop
        if not answer:
            self.write("")
            raise Leave()
        answer = answer.rstrip("\r\n")
        if not self.interactive:
            self.write("" if secret else answer)
        return answer


def folded(text: str) -> str:
    """Lower case without accents: « élève » and « Eleve » start alike."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def match_option(answer: str, options: Sequence[str]) -> int | None:
    """The option numbered ``answer``, else the only one whose label starts with it."""
    answer = answer.strip()
    if answer.isdigit():
        index = int(answer) - 1
        return index if 0 <= index < len(options) else None
    if not answer:
        return None
    # The French label, or its translation in bilingual mode (``tui.language``).
    starting = [
        i
        for i, option in enumerate(options)
        if any(
            folded(side).startswith(folded(answer))
            for side in (french(option), translation(option))
        )
    ]
    return starting[0] if len(starting) == 1 else None
