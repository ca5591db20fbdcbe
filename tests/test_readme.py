"""The README is what a trainer and a new developer read first: its promises are checked."""

from __future__ import annotations

import re
from pathlib import Path

from services.demo import DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD, DEMO_GUARDIANS, DEMO_PUPILS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


class TestSetUpCommands:
    def test_readme_opens_with_exactly_the_demo_and_test_commands(self) -> None:
        """The first block of the README holds two commands: the demo, then the tests."""
        first_block = re.search(r"```\n(.*?)```", README, re.DOTALL)
        assert first_block is not None
        assert README.index("```") < README.index("\n## ")
        commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
        assert commands == ["make demo", "make test"]

    def test_ci_runs_the_readme_test_command(self) -> None:
        """CI runs exactly what the README tells developers to run."""
        script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
        lines = [line for line in script.splitlines() if line and not line.startswith("#")]
        assert lines[-1] == "make test"


class TestDemoFamilies:
    def test_every_demo_family_is_listed_with_what_a_trainer_types(self) -> None:
        """Name, mobile as typed, and each child's date of birth (JJ/MM/AAAA) are in the README,
        so a trainer can walk the flow without opening the code."""
        pupils = {pupil.id: pupil for pupil in DEMO_PUPILS}
        for guardian in DEMO_GUARDIANS:
            row = next(
                (
                    line
                    for line in README.splitlines()
                    if line.startswith(f"| {guardian.prenom} {guardian.nom} |")
                    and (guardian.portable or "—") in line
                ),
                None,
            )
            assert row is not None, f"{guardian.prenom} {guardian.nom} missing from the README"
            for pupil_id in guardian.children:
                pupil = pupils[pupil_id]
                assert f"{pupil.prenom} {pupil.nom} ({pupil.naissance:%d/%m/%Y}" in row

    def test_the_active_demo_account_is_given(self) -> None:
        """The already active account can be used to try the login."""
        assert f"`{DEMO_ACTIVE_IDENTIFIANT}`" in README
        assert f"`{DEMO_ACTIVE_PASSWORD}`" in README
