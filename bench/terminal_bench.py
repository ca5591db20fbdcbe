"""What the app costs on a slow link: every byte it writes to a real 80×24 pseudo-terminal.

Walks the whole guardian flow (Sophie Martin, two children) with keystrokes, one key at a time,
as a parent on SSH would, and measures beside a bare Textual app (one Label, one Input) run the
same way:

- start: time from launch to the first complete screen (its last byte before the screen went
  quiet), and the bytes of that first screen; the start is also measured ``--starts`` more
  times, the bare app and the app in turn, and the table gives the medians (one start on a
  shared machine is noise);
- bytes per typed character in a field;
- bytes per second on an idle screen (each screen of the flow);
- the whole flow's bytes, raw and zlib-compressed the way ``ssh -C`` does (one stream, flushed
  per packet);
- the peak memory of the session's process (its ru_maxrss);
- the line mode as ``ssh lignes@…`` gets it: the same registration, typed a character at a
  time (a password at once: unechoed, no byte says it was read), and bytes per character.

Run: ``.venv/bin/python bench/terminal_bench.py [--idle SECONDS] [--starts N] [--markdown FILE]
[--lines-only]``.
COLUMNS/LINES are never set in the child's environment: the pty's size is what the app reads.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from services import Settings, build_services
from services.demo import load_demo
from services.passwords import PasswordHasher
from tui.serve.child import app_command

__all__ = ["main"]

WIDTH, HEIGHT = 80, 24
QUIET = 0.4
"""A screen is complete once the app has written nothing for this long."""
TAB, ENTER = "\t", "\r"
PASSWORD = "Cerf-volant#29"
ESCAPES = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[P^_][^\x1b]*\x1b\\|[@-Z\\-_])"
)

BARE_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Input, Label

    class Bare(App):
        def compose(self):
            yield Label("Bienvenue")
            yield Input(placeholder="Nom")

    Bare().run()
    """
)


class Screen:
    """Just enough of a terminal to know where the app drew: cursor moves and text."""

    TOKENS = re.compile(r"\x1b\[(\d*);?(\d*)H|" + ESCAPES.pattern + r"|[\r\n]|[^\x1b\r\n]")

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.cells = [[" "] * width for _ in range(height)]

    def feed(self, raw: bytes) -> Screen:
        row = col = 0
        for token in self.TOKENS.finditer(raw.decode("utf-8", "replace")):
            text = token.group(0)
            if text.startswith("\x1b[") and text.endswith("H"):
                row, col = int(token.group(1) or 1) - 1, int(token.group(2) or 1) - 1
            elif text == "\r":
                col = 0
            elif text == "\n":
                row += 1
            elif not text.startswith("\x1b"):
                if 0 <= row < self.height and 0 <= col < self.width:
                    self.cells[row][col] = text
                col += 1
        return self

    def lines(self) -> list[str]:
        return ["".join(cells) for cells in self.cells]


@dataclass
class Session:
    """One app on its own pty; every byte it writes is kept, with the time it arrived."""

    command: list[str]
    started: float = 0.0
    chunks: list[tuple[float, bytes]] = field(default_factory=list)

    def __post_init__(self) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", HEIGHT, WIDTH, 0, 0))
        env = {k: os.environ[k] for k in ("PATH", "HOME", "TZ", "PYTHONPATH") if k in os.environ}
        env.update(LANG="C.UTF-8", TERM="xterm-256color")
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            self.command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.master = master

    @property
    def total(self) -> int:
        return sum(len(chunk) for _, chunk in self.chunks)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], max(timeout, 0))
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:
            data = b""
        if not data:
            raise EOFError("the app ended")
        self.chunks.append((time.monotonic(), data))
        return True

    def settle(self, quiet: float = QUIET, limit: float = 60.0, *, wait: bool = True) -> int:
        """Read until the app has written something (unless ``wait`` is false) and then
        nothing for ``quiet`` seconds; the bytes read."""
        before, mark = self.total, len(self.chunks)
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if not self._read(quiet) and (len(self.chunks) > mark or not wait):
                return self.total - before
        raise TimeoutError("the app never went quiet")

    def screen(self) -> Screen:
        """What the terminal shows now."""
        return Screen(WIDTH, HEIGHT).feed(b"".join(chunk for _, chunk in self.chunks))

    def until(self, text: str, limit: float = 60.0) -> int:
        """Read until ``text`` shows on the terminal, then until quiet; the bytes read.

        The terminal is looked at, not the bytes: the app only sends the cells that changed,
        so a sentence that partly was on the previous screen never crosses the wire whole."""
        before = self.total
        deadline = time.monotonic() + limit
        while not any(text in line for line in self.screen().lines()):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{text!r} never showed")
            self._read(deadline - time.monotonic())
        self.settle(wait=False)
        return self.total - before

    def idle(self, seconds: float) -> float:
        """Bytes per second written while nobody types."""
        before = self.total
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self._read(left)
        return (self.total - before) / seconds

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def click(self, text: str) -> None:
        """Mouse press and release on the first character of ``text`` as now on screen."""
        for row, line in enumerate(self.screen().lines()):
            col = line.find(text)
            if col >= 0:
                self.send(f"\x1b[<0;{col + 1};{row + 1}M\x1b[<0;{col + 1};{row + 1}m")
                return
        raise LookupError(f"{text!r} is not on the screen")

    def key(self, keys: str) -> int:
        self.send(keys)
        return self.settle()

    def zlib_total(self) -> int:
        """What ``ssh -C`` would carry: one zlib stream, flushed after each write."""
        compressor = zlib.compressobj(6)
        size = 0
        for _, chunk in self.chunks:
            size += len(compressor.compress(chunk)) + len(compressor.flush(zlib.Z_SYNC_FLUSH))
        return size

    def stop(self, key: str = "\x11") -> int:
        """End the app (Ctrl+Q; the line mode, Ctrl+D) and return its peak memory in KiB."""
        self.send(key)
        try:
            while True:
                self._read(5.0)
        except EOFError:
            pass
        _, _, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = 0
        os.close(self.master)
        return int(usage.ru_maxrss)


@dataclass
class Result:
    name: str
    start_seconds: float = 0.0
    """The median of every start measured."""
    starts: list[float] = field(default_factory=list)
    first_screen_bytes: int = 0
    per_char: list[int] = field(default_factory=list)
    idle: dict[str, float] = field(default_factory=dict)
    screens: dict[str, int] = field(default_factory=dict)
    """Bytes from the key that left the previous screen to this one being quiet."""
    total: int = 0
    total_zlib: int = 0
    peak_kib: int = 0


def first_screen(session: Session, text: str, result: Result) -> None:
    result.first_screen_bytes = session.until(text)
    result.starts.append(session.chunks[-1][0] - session.started)
    result.start_seconds = statistics.median(result.starts)


def start_again(command: list[str], text: str, result: Result) -> None:
    """One more start of ``command`` up to its first complete screen, then Ctrl+Q."""
    session = Session(command)
    scratch = Result(result.name)
    first_screen(session, text, scratch)
    session.stop()
    result.starts.extend(scratch.starts)
    result.start_seconds = statistics.median(result.starts)


def type_text(session: Session, text: str, result: Result) -> None:
    for character in text:
        result.per_char.append(session.key(character))


def bare(idle_seconds: float) -> Result:
    result = Result("Textual nu (Label + Input)")
    session = Session([sys.executable, "-c", BARE_APP])
    first_screen(session, "Bienvenue", result)
    result.idle["écran"] = session.idle(idle_seconds)
    type_text(session, "Martin", result)
    result.total, result.total_zlib = session.total, session.zlib_total()
    result.peak_kib = session.stop()
    return result


def app(db: Path, idle_seconds: float) -> Result:
    services = build_services(Settings(db_path=db))
    result = Result("ÉduConnect")
    session = Session(app_command(db))

    def screen(name: str, keys: list[str], expected: str) -> None:
        for key in keys[:-1]:
            session.key(key)
        session.send(keys[-1])
        result.screens[name] = session.until(expected)
        result.idle[name] = session.idle(idle_seconds)

    first_screen(session, "Se connecter", result)
    result.screens["1 accès"] = result.first_screen_bytes
    result.idle["1 accès"] = session.idle(idle_seconds)
    screen("1.1 profil ENT", [TAB, ENTER], "Vous souhaitez vous connecter")
    screen("1.2 profil ÉduConnect", [TAB, ENTER], "Je sélectionne mon profil")
    screen("2 authentification", [ENTER], "Je me connecte avec mon compte")
    session.click("Je n'ai pas de compte")
    result.screens["3 activation"] = session.until("Activation du compte")
    result.idle["3 activation"] = session.idle(idle_seconds)
    type_text(session, "Martin", result)
    session.key(TAB)
    type_text(session, "Sophie", result)
    session.key(TAB)
    type_text(session, "06 12 34 56 78", result)
    screen("4 confirmation SMS", [ENTER], "Recevoir mon code SMS")
    screen("4 boîte Confirmation par SMS", [ENTER], "Confirmation par SMS")
    screen("5 code", [ENTER], "J'active mon compte")
    sms = services.outbox.messages(channel="sms", to="+33612345678")[-1].text
    code = re.search(r"code d'activation est ([A-Z]{6})", sms)
    assert code, sms
    type_text(session, code.group(1), result)
    screen("6 enfants", [ENTER], "Je confirme être le représentant légal")
    session.key(TAB)
    type_text(session, "05/09/2008", result)
    session.key(ENTER)
    type_text(session, "14/03/2012", result)
    screen("7 mot de passe", [ENTER], "Mot de passe")
    type_text(session, PASSWORD, result)
    session.key(ENTER)
    type_text(session, PASSWORD, result)
    screen("8 compte activé", [ENTER], "Votre compte est activé")
    result.total, result.total_zlib = session.total, session.zlib_total()
    result.peak_kib = session.stop()
    return result


@dataclass
class LinesResult:
    total: int = 0  # Up to the choice after « Votre compte est activé ».
    total_zlib: int = 0
    per_char: list[int] = field(default_factory=list)


LINES_GOAL = 6_000
LINES_REGISTRATION = [
    ("2", "Je sélectionne mon profil :"),
    ("1", "Votre choix :"),
    ("2", "Nom :"),
    ("Martin", "Prénom :"),
    ("Sophie", "N° de téléphone portable :"),
    ("06 12 34 56 78", "Votre choix :"),
    ("1", "(valable 30min) :"),
    ("", "Je suis le représentant légal de cet élève ? :"),
    ("oui", "(JJ/MM/AAAA) :"),
    ("05/09/2008", "Je suis le représentant légal de cet élève ? :"),
    ("1", "(JJ/MM/AAAA) :"),
    ("14/03/2012", "Nouveau mot de passe :"),
    (PASSWORD, "Confirmation du mot de passe :"),
    (PASSWORD, "Votre choix :"),
]
"""Sophie Martin's registration in line mode: each answer (``""``: the SMS code), then what
shows once it is read."""


def lines_until(session: Session, text: str, limit: float = 60.0) -> None:
    """Read until ``text`` shows among the lines written since now, then until quiet."""
    mark, deadline = len(session.chunks), time.monotonic() + limit
    while text.encode() not in b"".join(chunk for _, chunk in session.chunks[mark:]):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{text!r} never showed")
        session._read(deadline - time.monotonic())
    session.settle(wait=False)


def lines_mode(db: Path) -> LinesResult:
    services = build_services(Settings(db_path=db))
    result = LinesResult()
    session = Session(app_command(db, lines=True))
    lines_until(session, "Site de départ :")
    for answer, expected in LINES_REGISTRATION:
        if answer == PASSWORD:
            session.send(answer)
        else:
            if not answer:
                sms = services.outbox.messages(channel="sms", to="+33612345678")[-1].text
                code = re.search(r"code d'activation est ([A-Z]{6})", sms)
                assert code, sms
                answer = code.group(1)
            for character in answer:
                result.per_char.append(session.key(character))
        session.send(ENTER)
        lines_until(session, expected)
    result.total, result.total_zlib = session.total, session.zlib_total()
    session.stop("\x04")
    return result


def lines_rows(result: LinesResult, app_total: int | None) -> list[str]:
    """The line mode's rows: its registration against the full-screen app's."""
    compared = "" if app_total is None else f" (plein écran : {octets(app_total)})"
    return [
        f"| mode lignes (`ssh lignes@…`) : parcours complet, brut |  | {octets(result.total)}"
        f"{compared} | ≤ 6\u202f000 o | {'✓' if result.total <= LINES_GOAL else '✗'} |",
        f"| mode lignes : parcours complet, zlib (ssh -C) |  | {octets(result.total_zlib)} |  |  |",
        f"| mode lignes : octets par caractère tapé (moyenne / max) |  | "
        f"{statistics.mean(result.per_char):.1f} / {max(result.per_char)} o |  |  |",
    ]


def table(
    bare_result: Result, app_result: Result, lines_result: LinesResult, idle_seconds: float
) -> str:
    def row(label: str, bare_value: str, app_value: str, target: str, ok: bool | None) -> str:
        verdict = "" if ok is None else ("✓" if ok else "✗")
        return f"| {label} | {bare_value} | {app_value} | {target} | {verdict} |"

    ratio = app_result.start_seconds / bare_result.start_seconds
    app_ratios = [
        app_start / bare_start
        for app_start, bare_start in zip(app_result.starts, bare_result.starts, strict=True)
    ]
    app_mean = statistics.mean(app_result.per_char)
    app_max = max(app_result.per_char)
    worst_idle = max(app_result.idle.values())
    lines = [
        "| mesure | Textual nu | ÉduConnect | objectif | |",
        "|---|---:|---:|---|---|",
        row(
            f"démarrage → premier écran complet (médiane de {len(app_result.starts)})",
            f"{bare_result.start_seconds:.2f} s",
            f"{app_result.start_seconds:.2f} s (×{ratio:.2f}; "
            f"{min(app_ratios):.2f} à {max(app_ratios):.2f})",
            "≤ 1,3 × Textual nu",
            ratio <= 1.3,
        ),
        row(
            "octets du premier écran",
            octets(bare_result.first_screen_bytes),
            octets(app_result.first_screen_bytes),
            "",
            None,
        ),
        row(
            "octets par caractère tapé (moyenne / max)",
            f"{statistics.mean(bare_result.per_char):.0f} / {max(bare_result.per_char)} o",
            f"{app_mean:.0f} / {app_max} o",
            "≤ 200 o",
            app_max <= 200,
        ),
        row(
            f"écran inactif (pire écran, {idle_seconds:.0f} s chacun)",
            f"{max(bare_result.idle.values()):.0f} o/s",
            f"{worst_idle:.0f} o/s",
            "0 o/s",
            worst_idle == 0,
        ),
        row(
            "parcours complet, brut",
            "",
            octets(app_result.total),
            "≤ 60\u202f000 o",
            app_result.total <= 60_000,
        ),
        row("parcours complet, zlib (ssh -C)", "", octets(app_result.total_zlib), "", None),
        row(
            "mémoire max. d'une session",
            f"{bare_result.peak_kib / 1024:.0f} Mio",
            f"{app_result.peak_kib / 1024:.0f} Mio",
            "",
            None,
        ),
        *lines_rows(lines_result, app_result.total),
    ]
    lines += [
        "",
        "| écran de l'application | octets pour l'afficher | inactif |",
        "|---|---:|---:|",
    ]
    lines += [
        f"| {name} | {octets(app_result.screens.get(name, 0))} | {rate:.0f} o/s |"
        for name, rate in app_result.idle.items()
    ]
    lines += [
        "",
        "Octets par caractère tapé, dans l'ordre : " + " ".join(map(str, app_result.per_char)),
    ]
    return "\n".join(lines)


def octets(count: int) -> str:
    return f"{count:,} o".replace(",", "\u202f")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=float, default=3.0, help="seconds idle on each screen")
    parser.add_argument(
        "--starts", type=int, default=6, help="more starts of each app, for the start medians"
    )
    parser.add_argument("--markdown", type=Path, default=None, help="also write the table here")
    parser.add_argument(
        "--lines-only", action="store_true", help="only the line mode's rows (half a minute)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        # Sophie Martin registers in each mode: each on its own demo file.
        db, lines_db = Path(folder) / "bench.json", Path(folder) / "lines.json"
        for path in (db, lines_db):
            services = build_services(Settings(db_path=path))
            load_demo(services.store, PasswordHasher(services.settings.hashing), services.clock)
        lines_result = lines_mode(lines_db)
        if args.lines_only:
            print("\n".join(lines_rows(lines_result, None)))
            return
        bare_result = bare(args.idle)
        app_result = app(db, args.idle)
        for _ in range(args.starts):
            start_again([sys.executable, "-c", BARE_APP], "Bienvenue", bare_result)
            start_again(app_command(db), "Se connecter", app_result)
    text = table(bare_result, app_result, lines_result, args.idle)
    print(text)
    if args.markdown is not None:
        args.markdown.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
