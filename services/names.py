"""Comparing names as a school secretary would: accents, case and punctuation do not count."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ascii_letters", "normalize_name"]

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
