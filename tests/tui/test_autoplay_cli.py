"""``educonnect demo --autoplay``: its options reach the player, and what is out of range is
refused before anything is shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from services import Services
from tui.cli import main


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


@pytest.fixture
def played(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, float]]:
    """What ``demo --autoplay`` would play, instead of opening the app."""
    calls: list[tuple[str, float]] = []

    def run_autoplay(services: Services, parcours: str, speed: float, language: str | None) -> None:
        calls.append((parcours, speed) if language is None else (f"{parcours} {language}", speed))

    def run_app(services: Services, language: str | None) -> None:
        calls.append(("app", 0))

    monkeypatch.setattr("tui.cli.demo.run_autoplay", run_autoplay)
    monkeypatch.setattr("tui.cli.demo.run_app", run_app)
    return calls


def test_the_registration_at_the_default_pace(
    played: list[tuple[str, float]], tmp_path: Path
) -> None:
    result = run("demo", "--db", tmp_path / "demo.json", "--autoplay")
    assert result.exit_code == 0, result.output
    assert played == [("inscription", 1.0)]


def test_a_parcours_and_a_pace_by_name(played: list[tuple[str, float]], tmp_path: Path) -> None:
    result = run(
        "demo",
        "--db",
        tmp_path / "demo.json",
        "--autoplay",
        "--parcours",
        "eleve",
        "--vitesse",
        "2",
    )
    assert result.exit_code == 0, result.output
    assert played == [("eleve", 2.0)]


def test_in_a_second_language(played: list[tuple[str, float]], tmp_path: Path) -> None:
    """``--langue`` plays it in the bilingual mode too."""
    result = run("demo", "--db", tmp_path / "demo.json", "--autoplay", "--langue", "en")
    assert result.exit_code == 0, result.output
    assert played == [("inscription en", 1.0)]


def test_without_autoplay_the_ordinary_app(played: list[tuple[str, float]], tmp_path: Path) -> None:
    assert run("demo", "--db", tmp_path / "demo.json").exit_code == 0
    assert played == [("app", 0)]


@pytest.mark.parametrize(
    "option", [("--parcours", "inconnu"), ("--vitesse", "10"), ("--vitesse", "0.1")]
)
def test_an_unknown_parcours_or_a_pace_out_of_range_is_refused(
    played: list[tuple[str, float]], tmp_path: Path, option: tuple[str, str]
) -> None:
    result = run("demo", "--db", tmp_path / "demo.json", "--autoplay", *option)
    assert result.exit_code == 2
    assert option[0] in result.output
    assert played == []
