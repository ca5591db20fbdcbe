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
from services.formatting import day
from services.forms import parse_birth_date
from services.i18n import N_, _
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

# Msgids (here and in _FIELD_NAMES): translated where a message is written.
_LABELS = {
    "uai": N_("le code UAI"),
    "etablissement": N_("le nom de l'établissement"),
    "eleve_id": N_("l'identifiant de l'élève"),
    "eleve_nom": N_("le nom de l'élève"),
    "eleve_prenom": N_("le prénom de l'élève"),
    "eleve_naissance": N_("la date de naissance de l'élève"),
    "classe": N_("la classe"),
    "responsable_id": N_("l'identifiant du responsable"),
    "responsable_nom": N_("le nom du responsable"),
    "responsable_prenom": N_("le prénom du responsable"),
    "responsable_portable": N_("le portable du responsable"),
    "responsable_courriel": N_("le courriel du responsable"),
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
    "prenom": N_("prénom"),
    "naissance": N_("date de naissance"),
    "classe": "classe",
    "uai": N_("établissement"),
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
        if self.column:
            return _("Ligne %(line)d, colonne %(column)s : %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("Ligne %(line)d : %(message)s") % {"line": self.line, "message": self.message}


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
            self._error(1, _("Le fichier est vide : la ligne d'en-tête est attendue."))
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
                    _(
                        "La ligne compte %(count)d colonnes au lieu de %(expected)d "
                        "(séparateur « %(delimiter)s »)."
                    )
                    % {"count": len(row), "expected": len(COLUMNS), "delimiter": delimiter},
                )
                continue
            self._row(line, dict(zip(header, row, strict=True)))
        if rows == 0 and not self._out.errors:
            self._error(1, _("Le fichier ne contient aucune ligne d'élève après l'en-tête."))
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
                self._error(line, _("Ligne CSV illisible (%(error)s).") % {"error": error})
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
            details.append(_("colonnes manquantes : %(columns)s") % {"columns": ", ".join(missing)})
        if unknown:
            quoted = ", ".join(_("« %(column)s »") % {"column": u} for u in unknown)
            details.append(_("colonnes inconnues : %(columns)s") % {"columns": quoted})
        if doubled:
            details.append(_("colonnes en double : %(columns)s") % {"columns": ", ".join(doubled)})
        self._error(
            1,
            _(
                "La ligne d'en-tête ne correspond pas au format d'import (%(details)s). "
                "En-tête attendu : %(header)s"
            )
            % {"details": " ; ".join(details), "header": EXPECTED_HEADER},
        )
        return None

    def _row(self, line: int, cells: dict[str, str]) -> None:
        errors_before = len(self._out.errors)
        uai = cells["uai"].strip().upper()
        if uai and not _UAI.match(uai):
            self._error(
                line,
                _(
                    "Le code UAI « %(uai)s » n'est pas valide : 7 chiffres et une lettre "
                    "(par exemple 0341234A)."
                )
                % {"uai": _shown(uai)},
                "uai",
            )
        if not cells["etablissement"].strip():
            self._error(line, _("Il manque le nom de l'établissement."), "etablissement")
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
                _("L'établissement %(uai)s") % {"uai": establishment.uai},
            )
        if pupil is not None:
            subject = _("L'élève %(pupil)s") % {"pupil": pupil.id}
            self._remember(line, self._out.pupils, pupil, pupil.id, subject)
        if guardian is not None and self._remember(
            line,
            self._out.guardians,
            guardian,
            guardian.id,
            _("Le responsable %(guardian)s") % {"guardian": guardian.id},
        ):
            self._guardian_warnings(line, guardian, cells)
        if len(self._out.errors) > errors_before or not (establishment and pupil and guardian):
            return
        pair = (guardian.id, pupil.id)
        if pair in self._out.links:
            self._out.warnings.append(
                ImportIssue(
                    line,
                    _(
                        "Cette ligne répète la ligne %(first)d (même élève, même responsable) : "
                        "elle n'est comptée qu'une fois."
                    )
                    % {"first": self._out.links[pair]},
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
                _("La date de naissance %(day)s est postérieure à aujourd'hui.")
                % {"day": day(birth)},
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
            differing = [
                _(_FIELD_NAMES[name]) if name in _FIELD_NAMES else name
                for name in now
                if before[name] != now[name]
            ]
            self._error(
                line,
                _("%(subject)s figure déjà ligne %(first)d avec d'autres données (%(fields)s).")
                % {"subject": subject, "first": first.line, "fields": ", ".join(differing)},
            )
        return False

    def _guardian_warnings(self, line: int, guardian: Guardian, cells: dict[str, str]) -> None:
        who = {"guardian": guardian.id, "prenom": guardian.prenom, "nom": guardian.nom}
        typed_phone = cells["responsable_portable"].strip()
        if guardian.portable is None:
            warning = (
                _(
                    "Le responsable %(guardian)s (%(prenom)s %(nom)s) n'a pas de portable ; ce "
                    "responsable ne pourra pas s'inscrire par SMS."
                )
                % who
                if not typed_phone
                else _(
                    "Le responsable %(guardian)s (%(prenom)s %(nom)s) a un numéro « %(typed)s » "
                    "qui n'est pas un portable français ; ce responsable ne pourra pas "
                    "s'inscrire par SMS."
                )
                % {**who, "typed": _shown(typed_phone)}
            )
            self._out.warnings.append(ImportIssue(line, warning, "responsable_portable"))
        typed_email = cells["responsable_courriel"].strip()
        if typed_email and guardian.courriel is None:
            self._out.warnings.append(
                ImportIssue(
                    line,
                    _(
                        "Le responsable %(guardian)s (%(prenom)s %(nom)s) a un courriel "
                        "« %(typed)s » qui n'est pas valide : il n'est pas importé."
                    )
                    % {**who, "typed": _shown(typed_email)},
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
    label = _(_LABELS[column])
    said = {"label": label, "Label": label[0].upper() + label[1:]}
    kind = problem["type"]
    if kind in ("string_too_short", "missing"):
        return _("Il manque %(label)s.") % said
    if kind == "string_too_long":
        return _("%(Label)s dépasse %(length)d caractères.") % {
            **said,
            "length": problem["ctx"]["max_length"],
        }
    forbidden = _first_forbidden(str(value))
    if forbidden is not None:
        return _("%(Label)s contient un caractère interdit (%(char)s).") % {
            **said,
            "char": forbidden,
        }
    return _("%(Label)s n'est pas valide.") % said


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
