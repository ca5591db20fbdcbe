"""Reading a school's export (CSV, one row per pupil–guardian link) into records: every row
checked, every problem listed with its line, nothing written here (``services.importer`` writes
what this module has read, all or nothing)."""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from services.errors import ErrorCode, InvalidInput, ServiceError
from services.forms import parse_birth_date
from services.phones import parse_mobile
from store.records import (
    FORBIDDEN_CATEGORIES,
    Email,
    Establishment,
    Guardian,
    Pupil,
)

__all__ = [
    "COLUMNS",
    "EXPECTED_HEADER",
    "ExportParser",
    "ImportFileError",
    "ImportIssue",
    "ParsedExport",
    "Seen",
]

COLUMNS = (
    "uai",
    "etablissement",
    "eleve_id",
    "eleve_nom",
    "eleve_prenom",
    "eleve_naissance",
    "classe",
    "responsable_id",
    "responsable_nom",
    "responsable_prenom",
    "responsable_portable",
    "responsable_courriel",
)
EXPECTED_HEADER = ";".join(COLUMNS)

_LABELS = {
    "uai": "le code UAI",
    "etablissement": "le nom de l'établissement",
    "eleve_id": "l'identifiant de l'élève",
    "eleve_nom": "le nom de l'élève",
    "eleve_prenom": "le prénom de l'élève",
    "eleve_naissance": "la date de naissance de l'élève",
    "classe": "la classe",
    "responsable_id": "l'identifiant du responsable",
    "responsable_nom": "le nom du responsable",
    "responsable_prenom": "le prénom du responsable",
    "responsable_portable": "le portable du responsable",
    "responsable_courriel": "le courriel du responsable",
}
# Which CSV column each record field comes from, to put errors beside the right column.
_ESTABLISHMENT_COLUMNS = {"uai": "uai", "nom": "etablissement"}
_PUPIL_COLUMNS = {
    "id": "eleve_id",
    "nom": "eleve_nom",
    "prenom": "eleve_prenom",
    "naissance": "eleve_naissance",
    "classe": "classe",
    "uai": "uai",
}
_GUARDIAN_COLUMNS = {
    "id": "responsable_id",
    "nom": "responsable_nom",
    "prenom": "responsable_prenom",
    "portable": "responsable_portable",
    "courriel": "responsable_courriel",
}
_FIELD_NAMES = {
    "nom": "nom",
    "prenom": "prénom",
    "naissance": "date de naissance",
    "classe": "classe",
    "uai": "établissement",
    "portable": "portable",
    "courriel": "courriel",
}
# A UAI (formerly RNE) is seven digits and a check letter; anything else means shifted columns.
_UAI = re.compile(r"^[0-9]{7}[A-Z]$")
_EMAIL = TypeAdapter[str](Email)

M = TypeVar("M", bound=BaseModel)


class ImportFileError(ServiceError):
    """The file cannot be read at all (missing, a folder, neither UTF-8 nor Windows-1252, or a
    header line that is not CSV)."""


@dataclass(frozen=True)
class ImportIssue:
    """One problem in the file; ``line`` counts from 1, the header being line 1."""

    line: int
    message: str
    column: str | None = None

    def __str__(self) -> str:
        where = f"Ligne {self.line}" + (f", colonne {self.column}" if self.column else "")
        return f"{where} : {self.message}"


@dataclass(frozen=True)
class Seen(Generic[M]):
    line: int
    record: M


@dataclass
class ParsedExport:
    establishments: dict[str, Seen[Establishment]] = field(default_factory=dict)
    pupils: dict[str, Seen[Pupil]] = field(default_factory=dict)
    guardians: dict[str, Seen[Guardian]] = field(default_factory=dict)
    # (guardian id, pupil id) -> first line
    links: dict[tuple[str, str], int] = field(default_factory=dict)
    warnings: list[ImportIssue] = field(default_factory=list)
    errors: list[ImportIssue] = field(default_factory=list)


class ExportParser:
    def __init__(self, today: date) -> None:
        self._today = today
        self._out = ParsedExport()

    def parse(self, text: str) -> ParsedExport:
        if not text.strip():
            self._error(1, "Le fichier est vide : la ligne d'en-tête est attendue.")
            return self._out
        try:
            delimiter = self._header(io.StringIO(text, newline="").readline())
            if delimiter is None:
                return self._out
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            header = [cell.strip().lower() for cell in next(reader)]
        except csv.Error:
            # Python's reason (« field larger than field limit ») is English and not actionable.
            limit = f"{csv.field_size_limit():,}".replace(",", "\N{NARROW NO-BREAK SPACE}")
            raise ImportFileError(
                ErrorCode.IMPORT_HEADER_UNREADABLE, limit=limit, header=EXPECTED_HEADER
            ) from None
        rows = 0
        for line, row in self._rows(reader):
            if not any(cell.strip() for cell in row):
                continue
            rows += 1
            if len(row) != len(COLUMNS):
                self._error(
                    line,
                    f"La ligne compte {len(row)} colonnes au lieu de {len(COLUMNS)} "
                    f"(séparateur « {delimiter} »).",
                )
                continue
            self._row(line, dict(zip(header, row, strict=True)))
        if rows == 0 and not self._out.errors:
            self._error(1, "Le fichier ne contient aucune ligne d'élève après l'en-tête.")
        self._out.errors.sort(key=_reading_order)
        return self._out

    def _rows(self, reader: Any) -> Iterator[tuple[int, list[str]]]:
        while True:
            line = reader.line_num + 1
            try:
                row: list[str] = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                self._error(line, f"Ligne CSV illisible ({error}).")
                return
            yield line, row

    def _header(self, first_line: str) -> str | None:
        """The delimiter whose split of the header gives exactly the expected columns."""
        splits = {
            delimiter: [
                cell.strip().lower() for cell in next(csv.reader([first_line], delimiter=delimiter))
            ]
            for delimiter in (";", ",")
        }
        for delimiter, cells in splits.items():
            if sorted(cells) == sorted(COLUMNS):
                return delimiter
        cells = max(splits.values(), key=len)
        missing = [column for column in COLUMNS if column not in cells]
        unknown = [_shown(cell) for cell in cells if cell not in COLUMNS]
        doubled = sorted({cell for cell in cells if cells.count(cell) > 1 and cell in COLUMNS})
        details = []
        if missing:
            details.append("colonnes manquantes : " + ", ".join(missing))
        if unknown:
            details.append("colonnes inconnues : " + ", ".join(f"« {u} »" for u in unknown))
        if doubled:
            details.append("colonnes en double : " + ", ".join(doubled))
        self._error(
            1,
            "La ligne d'en-tête ne correspond pas au format d'import ("
            + " ; ".join(details)
            + f"). En-tête attendu : {EXPECTED_HEADER}",
        )
        return None

    def _row(self, line: int, cells: dict[str, str]) -> None:
        errors_before = len(self._out.errors)
        uai = cells["uai"].strip().upper()
        if uai and not _UAI.match(uai):
            self._error(
                line,
                f"Le code UAI « {_shown(uai)} » n'est pas valide : 7 chiffres et une lettre "
                "(par exemple 0341234A).",
                "uai",
            )
        if not cells["etablissement"].strip():
            self._error(line, "Il manque le nom de l'établissement.", "etablissement")
        establishment = self._model(
            line,
            Establishment,
            _ESTABLISHMENT_COLUMNS,
            {"uai": uai, "nom": cells["etablissement"]},
        )
        pupil_fields: dict[str, object] = {
            "id": cells["eleve_id"],
            "nom": cells["eleve_nom"],
            "prenom": cells["eleve_prenom"],
            "classe": cells["classe"],
            "uai": uai,
        }
        birth = self._birth_date(line, cells["eleve_naissance"])
        if birth is not None:
            pupil_fields["naissance"] = birth
        pupil = self._model(line, Pupil, _PUPIL_COLUMNS, pupil_fields)
        guardian = self._model(
            line,
            Guardian,
            _GUARDIAN_COLUMNS,
            {
                "id": cells["responsable_id"],
                "nom": cells["responsable_nom"],
                "prenom": cells["responsable_prenom"],
                "portable": _mobile_or_none(cells["responsable_portable"]),
                "courriel": _email_or_none(cells["responsable_courriel"]),
            },
        )
        # Each record that is valid on its own is compared with the rows before it, so a
        # contradiction is reported even on a row that has other errors.
        if establishment is not None:
            self._remember(
                line,
                self._out.establishments,
                establishment,
                establishment.uai,
                f"L'établissement {establishment.uai}",
            )
        if pupil is not None:
            self._remember(line, self._out.pupils, pupil, pupil.id, f"L'élève {pupil.id}")
        if guardian is not None and self._remember(
            line, self._out.guardians, guardian, guardian.id, f"Le responsable {guardian.id}"
        ):
            self._guardian_warnings(line, guardian, cells)
        if len(self._out.errors) > errors_before or not (establishment and pupil and guardian):
            return
        pair = (guardian.id, pupil.id)
        if pair in self._out.links:
            self._out.warnings.append(
                ImportIssue(
                    line,
                    f"Cette ligne répète la ligne {self._out.links[pair]} (même élève, même "
                    "responsable) : elle n'est comptée qu'une fois.",
                )
            )
        else:
            self._out.links[pair] = line

    def _birth_date(self, line: int, typed: str) -> date | None:
        try:
            birth = parse_birth_date(typed)
        except InvalidInput as error:
            self._error(line, error.message, "eleve_naissance")
            return None
        if birth > self._today:
            self._error(
                line,
                f"La date de naissance {birth:%d/%m/%Y} est postérieure à aujourd'hui.",
                "eleve_naissance",
            )
            return None
        return birth

    def _model(
        self, line: int, model: type[M], columns: dict[str, str], values: dict[str, object]
    ) -> M | None:
        try:
            return model.model_validate(values)
        except ValidationError as error:
            for problem in error.errors():
                name = str(problem["loc"][0]) if problem["loc"] else ""
                if name not in values:
                    # Already reported (an unreadable date is left out of the values).
                    continue
                column = columns[name]
                self._error(line, _field_message(column, problem, values[name]), column)
            return None

    def _remember(
        self, line: int, seen: dict[str, Seen[M]], record: M, key: str, subject: str
    ) -> bool:
        """True the first time ``key`` is seen; an error if it comes back with other data."""
        first = seen.get(key)
        if first is None:
            seen[key] = Seen(line, record)
            return True
        if first.record != record:
            before, now = first.record.model_dump(), record.model_dump()
            differing = [_FIELD_NAMES.get(name, name) for name in now if before[name] != now[name]]
            self._error(
                line,
                f"{subject} figure déjà ligne {first.line} avec d'autres données "
                f"({', '.join(differing)}).",
            )
        return False

    def _guardian_warnings(self, line: int, guardian: Guardian, cells: dict[str, str]) -> None:
        who = f"Le responsable {guardian.id} ({guardian.prenom} {guardian.nom})"
        typed_phone = cells["responsable_portable"].strip()
        if guardian.portable is None:
            reason = (
                "n'a pas de portable"
                if not typed_phone
                else f"a un numéro « {_shown(typed_phone)} » qui n'est pas un portable français"
            )
            self._out.warnings.append(
                ImportIssue(
                    line,
                    f"{who} {reason} ; ce responsable ne pourra pas s'inscrire par SMS.",
                    "responsable_portable",
                )
            )
        typed_email = cells["responsable_courriel"].strip()
        if typed_email and guardian.courriel is None:
            self._out.warnings.append(
                ImportIssue(
                    line,
                    f"{who} a un courriel « {_shown(typed_email)} » qui n'est pas valide : "
                    "il n'est pas importé.",
                    "responsable_courriel",
                )
            )

    def _error(self, line: int, message: str, column: str | None = None) -> None:
        issue = ImportIssue(line, message, column)
        if issue not in self._out.errors:
            self._out.errors.append(issue)


def _reading_order(issue: ImportIssue) -> tuple[int, int]:
    return issue.line, -1 if issue.column is None else COLUMNS.index(issue.column)


def _field_message(column: str, problem: Mapping[str, Any], value: object) -> str:
    label = _LABELS[column]
    capitalised = label[0].upper() + label[1:]
    kind = problem["type"]
    if kind in ("string_too_short", "missing"):
        return f"Il manque {label}."
    if kind == "string_too_long":
        return f"{capitalised} dépasse {problem['ctx']['max_length']} caractères."
    forbidden = _first_forbidden(str(value))
    if forbidden is not None:
        return f"{capitalised} contient un caractère interdit ({forbidden})."
    return f"{capitalised} n'est pas valide."


@functools.lru_cache(maxsize=4096)
def _mobile_or_none(typed: str) -> str | None:
    """A number the school got wrong is not fatal: the guardian just cannot self-register."""
    if not typed.strip():
        return None
    try:
        return parse_mobile(typed)
    except InvalidInput:
        return None


def _email_or_none(typed: str) -> str | None:
    if not typed.strip():
        return None
    try:
        return _EMAIL.validate_python(typed)
    except ValidationError:
        return None


def _first_forbidden(text: str) -> str | None:
    for char in unicodedata.normalize("NFC", text):
        if unicodedata.category(char) in FORBIDDEN_CATEGORIES:
            return f"U+{ord(char):04X}"
    return None


def _shown(text: str) -> str:
    """File content quoted in a message, with control characters made visible, never sent."""
    return "".join(
        f"<U+{ord(char):04X}>" if unicodedata.category(char) in FORBIDDEN_CATEGORIES else char
        for char in text
    )
