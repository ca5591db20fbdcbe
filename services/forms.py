"""Validating what people type: Pydantic models, turned into French ``InvalidInput`` errors."""

from __future__ import annotations

import re
from datetime import date
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from services.errors import ErrorCode, InvalidInput

__all__ = ["parse_birth_date", "typed_identifiant", "validate_form"]

F = TypeVar("F", bound=BaseModel)

# Per field: (empty, too long, forbidden characters); any other field is « ce champ ».
_FIELD_CODES = {
    "nom": (ErrorCode.NOM_MISSING, ErrorCode.NOM_TOO_LONG, ErrorCode.NOM_FORBIDDEN_CHARACTERS),
    "prenom": (
        ErrorCode.PRENOM_MISSING,
        ErrorCode.PRENOM_TOO_LONG,
        ErrorCode.PRENOM_FORBIDDEN_CHARACTERS,
    ),
}
_ANY_FIELD = (
    ErrorCode.FIELD_MISSING,
    ErrorCode.FIELD_TOO_LONG,
    ErrorCode.FIELD_FORBIDDEN_CHARACTERS,
)


def validate_form(model: type[F], **values: str) -> F:
    """The validated form, or ``InvalidInput`` about the first field at fault."""
    try:
        return model.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else None
        missing, too_long, forbidden = _FIELD_CODES.get(field or "", _ANY_FIELD)
        kind = first["type"]
        if kind in ("string_too_short", "missing"):
            code = missing
        elif kind == "string_too_long":
            code = too_long
        else:
            code = forbidden
        raise InvalidInput(code, field=field) from None


# [0-9], not \d: \d matches the digits of every script (١٤, １４), which int() then accepts.
_DATE_FORMS = (
    re.compile(r"^([0-9]{1,2})[/.\- ]([0-9]{1,2})[/.\- ]([0-9]{4})$"),
    re.compile(r"^([0-9]{2})([0-9]{2})([0-9]{4})$"),
)


def parse_birth_date(typed: str, *, field: str | None = None) -> date:
    """JJ/MM/AAAA, with or without separators (``22/01/2005``, ``22012005``, ``22-01-2005``)."""
    text = typed.strip()
    if not text:
        raise InvalidInput(ErrorCode.BIRTH_DATE_MISSING, field=field)
    for form in _DATE_FORMS:
        match = form.match(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise InvalidInput(ErrorCode.DATE_DOES_NOT_EXIST, field=field, date=text) from None
    raise InvalidInput(ErrorCode.DATE_FORMAT, field=field)


def typed_identifiant(typed: str) -> str:
    """An identifiant as typed, the way identifiants compare (no case, no surrounding spaces);
    ``InvalidInput`` when empty or longer than any identifiant."""
    wanted = typed.strip().lower()
    if not wanted:
        raise InvalidInput(ErrorCode.IDENTIFIANT_MISSING, field="identifiant")
    if len(wanted) > 80:
        raise InvalidInput(ErrorCode.IDENTIFIANT_TOO_LONG, field="identifiant")
    return wanted
