"""The school's export (establishments, pupils, guardians and their links) read from a CSV file.

The file is checked entirely before anything is written: one bad row and nothing is imported,
with every problem listed by line number, so a secretary can fix the export in one pass.
Re-importing a file changes nothing; a changed row updates its record. The state of existing
links (confirmed or disputed by a guardian) and accounts are never touched, and records absent
from the file are kept: a partial export (one class, one school) must not erase the others.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from services.audit import record_event
from services.clock import Clock
from services.errors import ErrorCode
from services.export_parser import (
    COLUMNS,
    EXPECTED_HEADER,
    ExportParser,
    ImportFileError,
    ImportIssue,
    ParsedExport,
    Seen,
)
from services.i18n import _
from store import Collection, Records, StoreBackend
from store.records import Link

__all__ = [
    "COLUMNS",
    "EXPECTED_HEADER",
    "ImportCounts",
    "ImportFileError",
    "ImportIssue",
    "ImportResult",
    "SchoolImporter",
    "SchoolRecordIds",
    "decode_export",
    "parse_export",
    "read_export",
    "school_record_ids",
]

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ImportCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class ImportResult:
    """What an import did; with ``errors`` nothing at all was written."""

    establishments: ImportCounts = ImportCounts()
    pupils: ImportCounts = ImportCounts()
    guardians: ImportCounts = ImportCounts()
    links: ImportCounts = ImportCounts()
    warnings: tuple[ImportIssue, ...] = ()
    errors: tuple[ImportIssue, ...] = ()

    @property
    def written(self) -> bool:
        return not self.errors


def decode_export(raw: bytes) -> str:
    """UTF-8 (with or without BOM) first, then Windows-1252, as spreadsheets save CSV."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's « Texte Unicode »: Windows-1252 would decode it into NUL-ridden nonsense.
        raise ImportFileError(ErrorCode.IMPORT_FILE_UTF16)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ImportFileError(ErrorCode.IMPORT_FILE_ENCODING, position=error.start) from None


def read_export(path: Path) -> str:
    """The text of an export file, or ``ImportFileError`` saying why it cannot be read."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(ErrorCode.IMPORT_FILE_MISSING, path=str(path)) from None
    except IsADirectoryError:
        raise ImportFileError(ErrorCode.IMPORT_FILE_IS_FOLDER, path=str(path)) from None
    except PermissionError:
        raise ImportFileError(ErrorCode.IMPORT_FILE_ACCESS_DENIED, path=str(path)) from None
    except OSError as error:
        raise ImportFileError(
            ErrorCode.IMPORT_FILE_UNREADABLE, path=str(path), reason=str(error.strerror)
        ) from None
    return decode_export(raw)


def parse_export(text: str, clock: Clock) -> ParsedExport:
    """The export checked, with no store: a refused file needs no data file at all.

    Raises ``ImportFileError`` when the header line cannot be parsed as CSV.
    """
    return ExportParser(clock.now().date()).parse(text)


@dataclass(frozen=True)
class SchoolRecordIds:
    establishments: frozenset[str]
    pupils: frozenset[str]
    guardians: frozenset[str]


def school_record_ids(store: StoreBackend) -> SchoolRecordIds:
    """The ids of the school data a store holds (to tell demo data from a real school's)."""
    records = Records(store.snapshot())
    return SchoolRecordIds(
        establishments=frozenset(records.establishments.values("uai")),
        pupils=frozenset(records.pupils.values("id")),
        guardians=frozenset(records.guardians.values("id")),
    )


class SchoolImporter:
    def __init__(self, store: StoreBackend, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def import_file(self, path: Path) -> ImportResult:
        """Raises ``ImportFileError`` when the file cannot be read or decoded."""
        return self.import_text(read_export(path))

    def import_text(self, text: str) -> ImportResult:
        """Raises ``ImportFileError`` when the header line cannot be parsed as CSV."""
        return self.import_parsed(parse_export(text, self._clock))

    def import_parsed(self, parsed: ParsedExport) -> ImportResult:
        """Writes ``parsed`` in one transaction; with errors, writes nothing."""
        if parsed.errors:
            return ImportResult(warnings=tuple(parsed.warnings), errors=tuple(parsed.errors))
        with self._store.transaction() as tx:
            records = Records(tx)
            establishments = _upsert(records.establishments, parsed.establishments, "uai")
            pupils = _upsert(records.pupils, parsed.pupils, "id")
            guardians = _upsert(records.guardians, parsed.guardians, "id")
            links = _add_links(records, parsed.links)
            if any(c.added or c.updated for c in (establishments, pupils, guardians, links)):
                record_event(
                    tx,
                    self._clock,
                    "school_import",
                    detail=_(
                        "établissements %(establishments)s ; élèves %(pupils)s ; "
                        "responsables %(guardians)s ; liens %(links)s"
                    )
                    % {
                        "establishments": _summary(establishments),
                        "pupils": _summary(pupils),
                        "guardians": _summary(guardians),
                        "links": _summary(links),
                    },
                )
        return ImportResult(
            establishments=establishments,
            pupils=pupils,
            guardians=guardians,
            links=links,
            warnings=tuple(parsed.warnings),
        )


def _summary(counts: ImportCounts) -> str:
    return f"+{counts.added} ~{counts.updated} ={counts.unchanged}"


def _upsert(collection: Collection[M], wanted: Mapping[str, Seen[M]], key: str) -> ImportCounts:
    existing = {getattr(record, key): record for record in collection.all()}
    changed = [
        seen.record
        for seen in wanted.values()
        if existing.get(getattr(seen.record, key)) != seen.record
    ]
    collection.put_many(changed)
    added = sum(1 for record in changed if getattr(record, key) not in existing)
    return ImportCounts(added, len(changed) - added, len(wanted) - len(changed))


def _add_links(records: Records, wanted: Mapping[tuple[str, str], int]) -> ImportCounts:
    """New links start pending; an existing link keeps the state its guardian gave it."""
    existing = {(link.guardian_id, link.pupil_id) for link in records.links.all()}
    new = [
        Link(guardian_id=guardian_id, pupil_id=pupil_id)
        for guardian_id, pupil_id in wanted
        if (guardian_id, pupil_id) not in existing
    ]
    records.links.put_many(new)
    return ImportCounts(added=len(new), unchanged=len(wanted) - len(new))
