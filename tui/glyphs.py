"""Characters any terminal can draw, for the terminals that cannot draw the others.

Textual draws borders, scrollbars, arrows, checks and radio markers with box-drawing, block and
symbol characters. A terminal whose locale is not UTF-8, the Linux console, a VT100 or a dumb
terminal shows them as garbage, or as nothing. For those, each such character becomes one ASCII
character of the same width, so that nothing moves on screen; French letters and punctuation
(« é », « — », « … ») stay as they are.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from collections.abc import Mapping

__all__ = ["ASCII_GLYPHS", "ASCII_VARIABLE", "python_found_c_locale", "wants_ascii"]

# Set (to anything but an empty string) by ``--ascii``; sessions of a server inherit it.
ASCII_VARIABLE = "EDUCONNECT_ASCII"

NARROW_TERMINALS = frozenset({"linux", "vt100", "vt102", "vt220", "dumb"})

SYMBOLS = {
    "←": "<",
    "→": ">",
    "↑": "^",
    "↓": "v",
    "↗": ">",
    "✓": "+",
    "✔": "+",
    "✗": "-",
    "✘": "-",
    "•": "*",
    "●": "*",
    "○": "o",
    "▲": "^",
    "▼": "v",
    "▶": ">",
    "◀": "<",
}


def _box_drawing(character: str) -> str:
    name = unicodedata.name(character, "")
    horizontal, vertical = "HORIZONTAL" in name, "VERTICAL" in name
    if horizontal and not vertical:
        return "-"
    if vertical and not horizontal:
        return "|"
    return "+"


def _block(character: str) -> str:
    name = unicodedata.name(character, "")
    if "LEFT" in name or "RIGHT" in name:
        return "|"
    # The thin top and bottom edges of Textual's « tall » borders.
    if name.split()[1:3] == ["ONE", "EIGHTH"]:
        return "-"
    return "#"


def _table() -> dict[int, str]:
    table = {ord(symbol): ascii_ for symbol, ascii_ in SYMBOLS.items()}
    table |= {code: _box_drawing(chr(code)) for code in range(0x2500, 0x2580)}
    table |= {code: _block(chr(code)) for code in range(0x2580, 0x25A0)}
    return table


# For ``str.translate``: every replaced character becomes one ASCII character.
ASCII_GLYPHS: Mapping[int, str] = _table()


def wants_ascii(environ: Mapping[str, str], *, c_locale_at_start: bool = False) -> bool:
    """``--ascii``, a terminal that only draws its own few characters, or a locale that is not
    UTF-8 (the first of ``LC_ALL``, ``LC_CTYPE``, ``LANG`` that is set; none is the C locale).

    ``c_locale_at_start``: Python found the C locale when it started. It then sets
    ``LC_CTYPE=C.UTF-8`` itself (PEP 538), which would hide it; ``python_found_c_locale`` says.
    """
    if environ.get(ASCII_VARIABLE) or c_locale_at_start:
        return True
    if environ.get("TERM", "") in NARROW_TERMINALS:
        return True
    locale = next(
        (environ[name] for name in ("LC_ALL", "LC_CTYPE", "LANG") if environ.get(name)), "C"
    )
    return "utf-8" not in locale.lower().replace("utf8", "utf-8")


def python_found_c_locale() -> bool:
    """Python turns its UTF-8 mode on by itself only when it starts in the C or POSIX locale
    (PEP 540), unless asked to with ``PYTHONUTF8`` / ``-X utf8``."""
    return (
        bool(sys.flags.utf8_mode)
        and "PYTHONUTF8" not in os.environ
        and not any(option == "utf8" or option.startswith("utf8=") for option in sys._xoptions)
    )
