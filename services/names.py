"""Comparing names as a school secretary would: accents, case and punctuation do not count."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from services.i18n import _

if TYPE_CHECKING:
    from store import Records
    from store.records import Guardian

__all__ = ["ascii_letters", "match_guardian", "normalize_name"]

# Ligatures, and Latin letters that carry their mark inside (no NFKD decomposition).
_LIGATURES = str.maketrans(
    {
        "œ": "oe",
        "Œ": "oe",
        "æ": "ae",
        "Æ": "ae",
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ı": "i",
    }
)
_SEPARATORS = re.compile(r"[\s'’ʼ‘`´\-‐‑‒–—_.]+")


def normalize_name(value: str) -> str:
    """Key for matching: ``"Jean-Édouard"``, ``"jean edouard"`` and ``"JEAN’EDOUARD"`` agree.

    Separators are dropped, not just unified: registers often write ``N'Diaye`` as ``NDIAYE``
    and ``Le Gall`` as ``LEGALL``, and a parent may type either.
    """
    decomposed = unicodedata.normalize("NFKD", value.translate(_LIGATURES))
    without_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = without_marks.casefold().translate(_LIGATURES)
    return _SEPARATORS.sub("", folded)


def ascii_letters(value: str) -> str:
    """Only a–z, for identifiants: ``"N'Diaye-Lefèvre"`` → ``"ndiayelefevre"``."""
    return "".join(c for c in normalize_name(value) if "a" <= c <= "z")


def match_guardian(
    records: Records, nom: str, prenom: str, phone: str
) -> tuple[Guardian | None, str]:
    """The guardian the school recorded with these names and this mobile, or why not (for the
    audit log only: the person is told the same thing whatever the reason). Only the guardians
    with this mobile are read (an index lookup), whatever the answer: a search of every
    guardian by name would make an unknown number slower to refuse than a known one (issue 13,
    item 7)."""
    wanted = (normalize_name(nom), normalize_name(prenom))
    by_phone = records.guardians.find(portable=phone)
    matches = [g for g in by_phone if (normalize_name(g.nom), normalize_name(g.prenom)) == wanted]
    if len(matches) > 1:
        return None, _("plusieurs responsables avec ces nom, prénom et portable")
    if matches:
        return matches[0], ""
    if by_phone:
        return None, _("nom ou prénom différent pour ce portable")
    return None, _("aucun responsable avec ce portable")
