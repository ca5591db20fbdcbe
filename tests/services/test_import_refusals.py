"""Imports refused as a whole: the data file cannot be written, or the file cannot be parsed."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from services import ManualClock, Services
from services.importer import SchoolImporter
from store import ReadOnlyStoreError

SAMPLE = Path(__file__).parent.parent / "data" / "export-etablissement.csv"


class TestReadOnlyDataFile:
    def test_reimport_into_a_0444_file_is_refused(
        self, services: Services, clock: ManualClock
    ) -> None:
        """A re-import (which rewrites the file even when nothing changed) into a read-only data
        file is refused in French; the file keeps its bytes and its mode."""
        importer = SchoolImporter(services.store, clock)
        text = SAMPLE.read_text(encoding="utf-8")
        importer.import_text(text)
        path = services.settings.db_path
        path.chmod(0o444)
        before = path.read_bytes()

        with pytest.raises(ReadOnlyStoreError, match="lecture seule"):
            importer.import_text(text)

        assert path.read_bytes() == before
        assert stat.S_IMODE(path.stat().st_mode) == 0o444
