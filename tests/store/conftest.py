"""A fresh, opened store in a temporary folder for each store test."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "educonnect.json"


@pytest.fixture
def store(db_path: Path) -> Store:
    return Store(db_path).open()
