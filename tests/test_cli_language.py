"""``--langue`` (issue 17) on the commands that show the journeys."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from services import Services
from tui.cli import demo, main
from tui.cli.serve import _hand_language_to_sessions
from tui.language import LANGUAGE_VARIABLE, from_environment, use_language


@pytest.fixture(autouse=True)
def french_again() -> Iterator[None]:
    yield
    use_language(None)


def run(*args: str, stdin: str = "") -> Result:
    return CliRunner().invoke(main, list(args), input=stdin)


def test_a_language_without_a_catalog_is_refused(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "data.json"), "--langue", "xx")
    assert result.exit_code == 2


def test_demo_starts_the_app_in_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str | None] = []

    def run_app(services: Services, language: str | None = None) -> None:
        started.append(language)

    monkeypatch.setattr(demo, "run_app", run_app)
    result = run("demo", "--db", str(tmp_path / "demo.json"), "--langue", "en")
    assert result.exit_code == 0, result.output
    assert started == ["en"]


def test_the_line_mode_writes_the_translation_after_each_line(tmp_path: Path) -> None:
    result = run("lignes", "--db", str(tmp_path / "data.json"), "--langue", "en", stdin="quitter\n")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[lines.index("Au revoir.") + 1] == "Goodbye."


def test_a_server_hands_its_language_to_its_sessions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LANGUAGE_VARIABLE, "")
    _hand_language_to_sessions("en")
    assert from_environment(os.environ) == "en"
    assert from_environment({LANGUAGE_VARIABLE: "xx"}) is None
    assert from_environment({}) is None
