"""Imports refused as a whole: the data file cannot be written, or the file cannot be parsed."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from services import ManualClock, Services
from services.importer import EXPECTED_HEADER, ImportFileError, SchoolImporter
from store import ReadOnlyStoreError
from tests.services._stored import data_text

SAMPLE = Path(__file__).parent.parent / "data" / "export-etablissement.csv"


@pytest.mark.file_store
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


class TestOversizedHeader:
    @pytest.mark.parametrize("delimiter", [";", ","])
    def test_header_cell_over_the_csv_limit_is_refused(
        self, services: Services, clock: ManualClock, delimiter: str
    ) -> None:
        """A header cell longer than the csv module's 131,072 characters: a French refusal
        naming line 1 (not « field larger than field limit »), the stored data untouched."""
        importer = SchoolImporter(services.store, clock)
        importer.import_text(SAMPLE.read_text(encoding="utf-8"))
        before = data_text(services.store)
        header = EXPECTED_HEADER.replace(";", delimiter) + delimiter + "x" * 131_073

        with pytest.raises(ImportFileError) as refused:
            importer.import_text(header + "\n" + SAMPLE.read_text(encoding="utf-8"))

        assert refused.value.message.startswith("Ligne 1 : la ligne d'en-tête est illisible")
        assert "131\N{NARROW NO-BREAK SPACE}072 caractères" in refused.value.message
        assert "field" not in refused.value.message
        assert data_text(services.store) == before
