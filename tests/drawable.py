"""What a terminal that cannot draw box-drawing or symbol characters (the Linux console, a
Latin-1 locale) still shows: what the apps' ASCII rendering (``tui/glyphs.py``) may leave."""

from __future__ import annotations

import unicodedata

__all__ = ["drawable_anywhere"]

FRENCH_PUNCTUATION = set("«»—…’")


def drawable_anywhere(character: str) -> bool:
    """ASCII, a Latin-1 letter (« é », « è », « ç »…) or French punctuation."""
    return (
        ord(character) < 0x80
        or (ord(character) < 0x100 and unicodedata.category(character).startswith("L"))
        or character in FRENCH_PUNCTUATION
    )
