"""What the pupils' notices say about the school beyond the import: a contact line, and where
the ENT is. The school export (``etablissement`` column) gives the name; the secretariat's
telephone, e-mail and hours are in no export, so they come from a small TOML file the staff
write once and give with ``--etablissement FICHIER``::

    nom = "Collège Frédéric Bazille"
    contact = "Secrétariat : 04 67 00 00 00 — secretariat@clg-bazille.fr — lundi-vendredi 8 h-17 h"
    ent = "https://frederic-bazille.mon-ent-occitanie.fr"
    academie = "Montpellier"

Only ``contact`` is required. ``nom`` replaces the export's name (often abbreviated, « CLG »).
A damaged file is refused as a whole with a French sentence naming the first problem: a notice
printed with a wrong telephone number would be handed to every pupil of a class.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from services.i18n import _
from store import os_error_reason

__all__ = ["SchoolDetails", "SchoolFileRefused", "load_school_details"]

# One printed line each: longer would wrap on the notice and no longer read as a contact.
_MAX_LINE = 160
_Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=_MAX_LINE)]
_MAX_FILE_BYTES = 16_384


class SchoolDetails(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    contact: _Line
    nom: _Line | None = None
    ent: _Line | None = None
    academie: _Line | None = None


class SchoolFileRefused(ValueError):
    """The school file cannot be used; ``str()`` is the French sentence to show."""


def load_school_details(path: Path) -> SchoolDetails:
    """The file's details, or ``SchoolFileRefused`` saying what is wrong and where."""
    shown = str(path)
    try:
        data = path.read_bytes()[: _MAX_FILE_BYTES + 1]
    except OSError as error:
        raise SchoolFileRefused(
            _("Le fichier de l'établissement « %(path)s » ne peut pas être lu (%(reason)s).")
            % {"path": shown, "reason": os_error_reason(error)}
        ) from error
    if len(data) > _MAX_FILE_BYTES:
        raise SchoolFileRefused(
            _("Le fichier de l'établissement « %(path)s » est trop long pour être le bon.")
            % {"path": shown}
        )
    try:
        text = data.decode("utf-8")
        table = tomllib.loads(text)
    except UnicodeDecodeError as error:
        raise SchoolFileRefused(
            _("Le fichier de l'établissement « %(path)s » n'est pas enregistré en UTF-8.")
            % {"path": shown}
        ) from error
    except tomllib.TOMLDecodeError as error:
        # Python 3.11's error gives its place only inside its English message; « at end of
        # document » is the last line.
        place = re.search(r"line (\d+)", str(error))
        line = place.group(1) if place else str(text.count("\n") + 1)
        raise SchoolFileRefused(
            _(
                "Le fichier de l'établissement « %(path)s » n'est pas écrit comme attendu "
                '(ligne %(line)s) : chaque ligne est de la forme clé = "texte".'
            )
            % {"path": shown, "line": line}
        ) from error
    try:
        return SchoolDetails.model_validate(table)
    except ValidationError as error:
        raise SchoolFileRefused(_refusal(shown, error)) from error


def _refusal(shown: str, error: ValidationError) -> str:
    first = error.errors()[0]
    key = ".".join(str(part) for part in first["loc"]) or "?"
    if first["type"] == "missing":
        sentence = _('il manque la ligne « %(key)s = "…" ».')
    elif first["type"] == "extra_forbidden":
        sentence = _("« %(key)s » n'est pas une clé connue (nom, contact, ent, academie).")
    elif first["type"] == "string_too_long":
        sentence = _("« %(key)s » dépasse %(max)d caractères : il doit tenir sur une ligne.")
    elif first["type"] == "string_too_short":
        sentence = _("« %(key)s » est vide.")
    else:
        sentence = _("« %(key)s » doit être un texte entre guillemets.")
    return _("Fichier de l'établissement « %(path)s » : %(problem)s") % {
        "path": shown,
        "problem": sentence % {"key": key, "max": _MAX_LINE},
    }
