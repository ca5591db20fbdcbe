"""The trainer's card: `educonnect demo` prints it, the README shows the same, word for word,
and it fits a terminal of 80 columns and one printed page."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from rich.cells import cell_len

from services.demo import DEMO_GUARDIANS
from tui.cli import main
from tui.cli.trainer_card import trainer_card

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PAGE_LINES = 66
"""What a printed A4 page holds in a terminal's font at 10 points."""


def test_demo_prints_the_card(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "--db", str(tmp_path / "demo.json"), "--no-app"])
    assert result.exit_code == 0, result.output
    prepared, card = result.stdout.split("\n", 1)
    assert str(tmp_path / "demo.json") in prepared
    assert card == trainer_card()


def test_the_readme_shows_the_card_the_command_prints() -> None:
    assert f"```\n{trainer_card()}```\n" in README


def test_the_card_fits_80_columns_and_one_page() -> None:
    lines = trainer_card().splitlines()
    assert len(lines) <= PAGE_LINES
    assert [line for line in lines if cell_len(line) > 80] == []


def test_the_card_says_what_a_trainer_needs() -> None:
    card = trainer_card()
    for guardian in DEMO_GUARDIANS:
        assert f"  {guardian.prenom} {guardian.nom} — " in card
    for key in ("F1 ", "F2 ", "Ctrl+L ", "Échap "):
        assert f"\n  {key}" in card
    for command in (
        "educonnect serve ssh --bac-a-sable",
        "educonnect serve web --bac-a-sable",
        "ssh -p 2222 ",
        "educonnect demo --autoplay ",
        "--parcours mot-de-passe-oublie",
        "--vitesse ",
    ):
        assert command in card
