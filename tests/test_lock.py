"""The lock a fresh machine installs from (``uv.lock``) still says what ``pyproject.toml`` asks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def uv_command() -> str:
    """The uv that `make` installed from requirements-uv.txt, else one on the PATH."""
    installed = ROOT / ".tools" / "bin" / "uv"
    found = str(installed) if installed.exists() else shutil.which("uv")
    if found is None:
        pytest.fail("uv est introuvable : lancez la suite avec `make test`, qui l'installe.")
    return found


class TestLock:
    def test_the_lock_matches_pyproject(self) -> None:
        """A dependency added, removed or given another range in pyproject.toml without
        `make lock` fails here (checked offline, from the lock and uv's cache)."""
        result = subprocess.run(
            [uv_command(), "lock", "--check", "--offline", "--quiet"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
