"""Validating what people type: Pydantic models, turned into French ``InvalidInput`` errors."""

from __future__ import annotations

import re
from datetime import date
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from services.errors import InvalidInput

__all__ = ["parse_birth_date", "validate_form"]

F = TypeVar("F", bound=BaseModel)

_FIELD_LABELS = {"nom": "le nom", "prenom": "le prénom", "portable": "le numéro de portable"}


def validate_form(model: type[F], **values: str) -> F:
    """The validated form, or ``InvalidInput`` about the first field at fault."""
    try:
        return model.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else None
        label = _FIELD_LABELS.get(field or "", "ce champ")
        kind = first["type"]
        if kind in ("string_too_short", "missing"):
            message = f"Indiquez {label}."
        elif kind == "string_too_long":
            message = f"{label.capitalize()} est trop long."
        else:
            message = f"{label.capitalize()} contient des caractères non autorisés."
        raise InvalidInput(message, field=field) from None


# [0-9], not \d: \d matches the digits of every script (١٤, １４), which int() then accepts.
_DATE_FORMS = (
    re.compile(r"^([0-9]{1,2})[/.\- ]([0-9]{1,2})[/.\- ]([0-9]{4})$"),
    re.compile(r"^([0-9]{2})([0-9]{2})([0-9]{4})$"),
)


def parse_birth_date(typed: str, *, field: str | None = None) -> date:
    """JJ/MM/AAAA, with or without separators (``22/01/2005``, ``22012005``, ``22-01-2005``)."""
    text = typed.strip()
    if not text:
        raise InvalidInput("Indiquez la date de naissance (JJ/MM/AAAA).", field=field)
    for form in _DATE_FORMS:
        match = form.match(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise InvalidInput(
                    f"La date {text} n'existe pas. Format attendu : JJ/MM/AAAA.", field=field
                ) from None
    raise InvalidInput("Format de date attendu : JJ/MM/AAAA (par exemple 22/01/2005).", field=field)
