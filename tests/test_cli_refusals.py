"""Every `educonnect` command refuses a damaged store the same way: one French line naming the
file on stderr, exit code 2, no traceback, and not one file changed or created.

The commands are read from the root group, so a new command is covered as soon as it exists
(and fails `test_every_command_has_arguments` until it is given some below), unless it never
opens a data file (``NO_DATA_FILE``).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from services import ServiceError
from store import StoreError
from tests._damage import CASES, Case, complete_store, folder_state
from tui.cli import main
from tui.cli.plumbing import refusal_sentence

SAMPLE = Path(__file__).parent / "data" / "export-etablissement.csv"
EDUCONNECT = Path(sys.executable).with_name("educonnect")
OUT = "{out}"
DB = "{db}"
# Each refusal of the store says one of these.
FRENCH = (
    "est endommagé",
    "est illisible",
    "ne peut pas être utilisé",
    "n'est pas un fichier de données",
    "version plus récente",
)

# The least each command needs to reach the data file. `{out}` is a folder outside the store,
# `{db}` the data file (for the commands that name it themselves rather than with --db).
ARGUMENTS: dict[tuple[str, ...], list[str]] = {
    (): [],
    ("import",): [str(SAMPLE)],
    ("sms",): [],
    ("mail",): [],
    ("lignes",): [],
    ("demo",): ["--no-app"],
    ("serve", "ssh"): ["--port", "0"],
    ("serve", "web"): [],
    ("admin",): [],
    ("admin", "accounts"): [],
    ("admin", "issue"): ["--tous", "--out", OUT],
    ("admin", "stats"): [],
    ("admin", "disputes"): [],
    ("admin", "audit"): [],
    ("admin", "unlock"): ["s.martin1"],
    ("admin", "reset"): ["s.martin1", "--out", OUT],
    ("admin", "copier"): ["--de", DB, "--vers", f"{OUT}/copie.json"],
}


def runnable_commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command line that runs something: the leaves, and the groups that do something
    without a subcommand (the app, the administration app)."""
    if group.invoke_without_command:
        yield path
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from runnable_commands(command, (*path, name))
        else:
            yield (*path, name)


# Commands that never open a data file: `guide` walks the app on a fresh copy of the demo
# families in a temporary folder of its own, and has no --db.
NO_DATA_FILE = {("guide",)}
COMMANDS = [command for command in runnable_commands(main) if command not in NO_DATA_FILE]


def command_id(command: tuple[str, ...]) -> str:
    return " ".join(command) or "(app)"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One complete store, copied for each test (building it costs fsyncs)."""
    folder = tmp_path_factory.mktemp("modele")
    complete_store(folder)
    return folder


@pytest.fixture(autouse=True)
def nothing_is_served(monkeypatch: pytest.MonkeyPatch) -> None:
    """A damaged store must be refused before an app or a server starts: reaching one fails
    the command (exit 1) instead of waiting for a terminal or a connection."""

    def reached(*args: object, **kwargs: object) -> None:
        raise AssertionError("lancé sur un fichier endommagé")

    for target in (
        "tui.cli.run_app",
        "tui.cli.demo.run_app",
        "tui.admin.make_admin_app",
        "tui.serve.ssh.serve_forever",
        "tui.serve.web.serve_web",
    ):
        monkeypatch.setattr(target, reached)


def damaged_copy(template: Path, tmp_path: Path, case: Case) -> tuple[Path, Path]:
    folder = tmp_path / "donnees"
    shutil.copytree(template, folder, symlinks=True)
    db = folder / "educonnect.json"
    return db, case.damage(db)


def command_line(command: tuple[str, ...], db: Path, out: Path) -> list[str]:
    arguments = [
        argument.replace(OUT, str(out)).replace(DB, str(db)) for argument in ARGUMENTS[command]
    ]
    return ["--db", str(db), *command, *arguments]


def assert_refused(stderr: str, output: str, exit_code: int, damaged: Path, what: str) -> None:
    assert exit_code == 2, f"{what}\n{output}"
    assert "Traceback" not in output, what
    assert "Error" not in output, what
    assert any(words in stderr for words in FRENCH), f"{what}: pas en français\n{stderr}"
    assert stderr.count("\n") == 1, f"{what}: une seule ligne attendue\n{stderr}"
    assert str(damaged) in stderr, f"{what}: le fichier n'est pas nommé\n{stderr}"


def test_every_command_has_arguments() -> None:
    """The table above names exactly the commands the root group has."""
    assert sorted(COMMANDS) == sorted(ARGUMENTS)


def test_the_commands_left_out_take_no_data_file() -> None:
    """A command left out of the corpus must have no way to be given a data file."""
    for path in NO_DATA_FILE:
        command: click.Command = main
        for name in path:
            assert isinstance(command, click.Group)
            command = command.commands[name]
        assert "db" not in {parameter.name for parameter in command.params}


def test_the_corpus_is_big_enough() -> None:
    """At least 30 kinds of damage, each with its own name."""
    assert len({case.name for case in CASES}) == len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
@pytest.mark.parametrize("command", COMMANDS, ids=[command_id(c) for c in COMMANDS])
def test_command_refuses_damaged_store(
    template: Path, tmp_path: Path, command: tuple[str, ...], case: Case
) -> None:
    """The command on a store with this damage: refused as the module says, the folder (and
    the notices folder) exactly as before."""
    db, damaged = damaged_copy(template, tmp_path, case)
    out = tmp_path / "avis"
    before = folder_state(db.parent)

    result = CliRunner().invoke(main, command_line(command, db, out))

    assert_refused(result.stderr, result.output, result.exit_code, damaged, case.what)
    assert folder_state(db.parent) == before, case.what
    assert not out.exists()


@pytest.mark.parametrize(
    ("case_name", "command"),
    [
        ("record-unknown-enum", ("admin", "accounts")),
        ("data-is-fifo", ("sms",)),
        # The administration app, launched for real: refused before Textual starts.
        ("audit-binary-garbage", ("admin",)),
    ],
)
def test_no_traceback_reaches_a_real_stderr(
    template: Path, tmp_path: Path, case_name: str, command: tuple[str, ...]
) -> None:
    """The installed `educonnect` in its own process: the same single French line on its
    stderr, exit code 2."""
    case = next(case for case in CASES if case.name == case_name)
    db, damaged = damaged_copy(template, tmp_path, case)
    before = folder_state(db.parent)

    done = subprocess.run(
        [str(EDUCONNECT), *command_line(command, db, tmp_path / "avis")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert_refused(done.stderr, done.stdout + done.stderr, done.returncode, damaged, case.what)
    assert folder_state(db.parent) == before


class TestRefusalSentence:
    @pytest.mark.parametrize(
        ("code", "reason"),
        [
            (errno.ENOENT, "il n'existe pas"),
            (errno.EACCES, "accès refusé"),
            (errno.EPERM, "opération non permise"),
            (errno.EROFS, "lecture seule"),
            (errno.ENOSPC, "le disque est plein"),
            (errno.EISDIR, "c'est un dossier"),
            (errno.ENOTDIR, "n'est pas un dossier"),
            (errno.EEXIST, "il existe déjà"),
            (errno.ENAMETOOLONG, "le nom est trop long"),
            (errno.ELOOP, "trop de liens symboliques"),
            (errno.EDQUOT, "quota"),
            (errno.EIO, "erreur d'entrée-sortie"),
            (errno.ENXIO, "erreur du système n° 6 (ENXIO)"),
        ],
        ids=lambda value: errno.errorcode[value] if isinstance(value, int) else "",
    )
    def test_os_errors_in_french_naming_the_file(self, code: int, reason: str) -> None:
        """Each errno has its French reason (an unknown one its number and name), never the
        system's English text, and the sentence names the file."""
        sentence = refusal_sentence(OSError(code, os.strerror(code), "/srv/educonnect/x.json"))

        assert sentence.startswith("Le fichier /srv/educonnect/x.json ne peut pas être utilisé")
        assert reason in sentence
        assert os.strerror(code) not in sentence

    def test_os_error_without_a_file(self) -> None:
        """An error the system gave without a file name is still said, in French."""
        assert refusal_sentence(OSError(errno.ENOSPC, "No space left on device")) == (
            "Une opération sur un fichier a échoué : le disque est plein."
        )

    def test_store_and_service_errors_keep_their_sentence(self) -> None:
        assert refusal_sentence(StoreError(Path("x"), "Phrase du stockage.")) == (
            "Phrase du stockage."
        )
        assert refusal_sentence(ServiceError.relaying("Phrase du service.")) == "Phrase du service."


class TestOneHandler:
    @pytest.mark.parametrize(
        "error",
        [
            OSError(errno.ENOSPC, "No space left on device", "/srv/x.json"),
            StoreError(Path("/srv/x.json"), "Le fichier /srv/x.json ne va pas."),
            ServiceError.relaying("Le fichier /srv/x.json ne va pas."),
        ],
        ids=["os", "store", "service"],
    )
    @pytest.mark.parametrize(
        ("command", "module"),
        [(["sms"], "tui.cli.outboxes"), (["admin", "stats"], "tui.cli.admin")],
        ids=["sms", "admin"],
    )
    def test_raised_anywhere_in_a_command(
        self, monkeypatch: pytest.MonkeyPatch, command: list[str], module: str, error: Exception
    ) -> None:
        """Whatever a command raises of the three kinds ends as its French line and exit
        code 2: the handler is the root group's, not the command's."""

        def failing(db: str | None) -> None:
            raise error

        monkeypatch.setattr(f"{module}.open_services", failing)

        result = CliRunner().invoke(main, command)

        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1
        assert "/srv/x.json" in result.stderr
        assert "Traceback" not in result.output

    def test_a_closed_pipe_is_left_to_click(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """`educonnect sms | head`: a reader that went away is not a refusal (click ends
        quietly with exit code 1)."""

        def closed(db: str | None) -> None:
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")

        monkeypatch.setattr("tui.cli.outboxes.open_services", closed)

        result = CliRunner().invoke(main, ["sms"])

        assert result.exit_code == 1
        assert result.stderr == ""


NOBODY = 65534


def run_as_nobody(arguments: list[str]) -> tuple[int, str, str]:
    """``educonnect ARGUMENTS`` in a forked child that has dropped root for ``nobody``: as
    root, no permission is ever refused. Returns its exit code, stderr and whole output."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            os.setgroups([])
            os.setresgid(NOBODY, NOBODY, NOBODY)
            os.setresuid(NOBODY, NOBODY, NOBODY)
            result = CliRunner().invoke(main, arguments)
            report = json.dumps([result.exit_code, result.stderr, result.output])
        except BaseException as error:
            report = json.dumps([-1, repr(error), repr(error)])
        os.write(write_end, report.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        exit_code, stderr, output = json.loads(pipe.read())
    os.waitpid(pid, 0)
    return exit_code, stderr, output


@pytest.mark.skipif(os.geteuid() != 0, reason="changing to the nobody account needs root")
@pytest.mark.parametrize(
    "unreadable",
    [".lock", "", ".audit.jsonl", ".outbox.jsonl"],
    ids=["lock", "data", "audit", "outbox"],
)
def test_unreadable_files_are_refused(template: Path, unreadable: str) -> None:
    """A file of the store this account may not read (mode 0000): refused with « accès
    refusé » naming it, exit 2, nothing changed. (The key is not read when the store opens:
    it stays private to the session account, docs/deployment.md.)"""
    folder = Path(tempfile.mkdtemp(prefix="educonnect-nobody-"))
    try:
        shutil.copytree(template, folder / "donnees", symlinks=True)
        for path in [folder, *folder.rglob("*")]:
            os.chown(path, NOBODY, NOBODY)
        db = folder / "donnees" / "educonnect.json"
        damaged = db.with_name(db.name + unreadable)
        damaged.chmod(0)
        before = folder_state(folder)

        exit_code, stderr, output = run_as_nobody(["--db", str(db), "admin", "audit"])

        assert_refused(stderr, output, exit_code, damaged, f"{damaged} en 0000")
        assert "accès refusé" in stderr
        assert folder_state(folder) == before
    finally:
        shutil.rmtree(folder)


def test_a_file_where_the_folder_should_be(tmp_path: Path) -> None:
    """`--db FILE/educonnect.json` where FILE is a file: said so in French (not « il existe
    déjà », what mkdir reports), exit 2, the file untouched."""
    blocker = tmp_path / "donnees"
    blocker.write_bytes(b"pas un dossier")
    before = folder_state(tmp_path)

    result = CliRunner().invoke(main, ["--db", str(blocker / "educonnect.json"), "sms"])

    assert_refused(result.stderr, result.output, result.exit_code, blocker, "dossier")
    assert "n'est pas un dossier" in result.stderr
    assert folder_state(tmp_path) == before
