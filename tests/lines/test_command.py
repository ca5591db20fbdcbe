"""`educonnect lignes`: the line mode on a data file, answers piped in."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from services.demo import DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD
from tui.cli import main


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    db = tmp_path / "lines.json"
    result = CliRunner().invoke(main, ["demo", "--no-app", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def test_a_piped_login_on_the_demo_file(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    # Whatever locale this test run itself started in.
    monkeypatch.setattr("tui.lines.console.python_found_c_locale", lambda: False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_CTYPE", raising=False)
    answers = ["2", "1", "1", DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD, "quitter"]
    result = CliRunner().invoke(
        main, ["lignes", "--db", str(demo_db)], input="\n".join(answers) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "Étape 2 sur 7 — Authentification" in result.output
    assert "Bonjour Claire MOREAU" in result.output
    assert result.output.splitlines()[-1] == "Au revoir."
    assert "\x1b" not in result.output


def test_ascii_when_the_locale_is_not_utf8(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "C")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_CTYPE", raising=False)
    result = CliRunner().invoke(main, ["lignes", "--db", str(demo_db)], input="quitter\n")
    assert result.exit_code == 0, result.output
    assert "Etape 1 sur 7 - Acces au service" in result.output
    result.output.encode("ascii")


def test_an_unexpected_error_is_a_sentence_not_a_traceback(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    def broken(services: object, console: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("tui.lines.run_lines", broken)
    result = CliRunner().invoke(main, ["lignes", "--db", str(demo_db)], input="")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "Une erreur inattendue a arrêté le mode lignes" in result.output
