"""Arabic shown right for a screen that knows nothing of right-to-left writing (issue 17).

A terminal is a grid: the program writes characters into cells, left to right. Arabic is read
right to left, its letters joined. Some terminals take care of both (they reorder and join what
they are given); many do not, and show the letters in the order they were written, unjoined:
the words come out backwards. The browser's terminal (xterm.js, behind ``serve web``) is one of
them, and it is ours: there the app itself writes each line in the order it is seen (*visual
order*, by the Unicode bidirectional algorithm) with each letter already in its joined form
(Arabic presentation forms).

``visual`` does that for one line of the screen, once it has been cut to the width; the
terminal hook (``tui.terminal.right_to_left``) applies it to every line a screen draws.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from arabic_reshaper import ArabicReshaper
from bidi import algorithm

__all__ = ["RIGHT_TO_LEFT", "reads_right_to_left", "visual"]

RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
"""A letter of a right-to-left script (Hebrew, Arabic and their presentation forms)."""

_RESHAPER = ArabicReshaper(
    configuration={
        # The vowel marks are part of the translation: kept, each drawn on its letter.
        "delete_harakat": False,
        # Only the lam-alef ligatures, which Arabic requires; no word drawn as one sign.
        "ARABIC LIGATURE ALLAH": False,
    }
)

# Neutral signs that end a sentence, never part of the Latin word they follow.
_SENTENCE_ENDS = frozenset("!?;…")

# Each of these joined signs stands for two letters, a lam and an alef.
_LAM_ALEF = frozenset("\ufef5\ufef6\ufef7\ufef8\ufef9\ufefa\ufefb\ufefc")


def reads_right_to_left(line: str, translation: bool) -> bool:
    """Whether ``line`` is a paragraph written right to left. A translation is, as soon as it
    holds a right-to-left letter: the translator wrote an Arabic sentence, whether it opens on
    « ÉduConnect » or is mostly a quoted French term. Any other line is, when its first letter
    is (the rule of the bidirectional algorithm): the footer's « Aide » followed by its
    Arabic translation is a French line."""
    if translation:
        return RIGHT_TO_LEFT.search(line) is not None
    for char in line:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def _joined(text: str) -> tuple[str, list[int]]:
    """``text`` with its Arabic letters in their joined forms, and for each character the index
    of the one it came from (a lam-alef comes from two)."""
    shaped: str = _RESHAPER.reshape(text)
    sources: list[int] = []
    index = 0
    for char in shaped:
        sources.append(index)
        index += 2 if char in _LAM_ALEF else 1
    if index != len(text):
        # Not a one-for-one shaping: better unjoined than each style on the wrong letter.
        return text, list(range(len(text)))
    return shaped, sources


def _levels(text: str, right_to_left: bool) -> list[dict[str, Any]]:
    """The bidirectional algorithm's characters of ``text`` in visual order, each with its
    index in ``text`` (``at``). The steps of ``bidi.algorithm.get_display``, which returns the
    text only: the styles must follow their characters."""
    storage = algorithm.get_empty_storage()
    storage["base_level"] = int(right_to_left)
    storage["base_dir"] = "R" if right_to_left else "L"
    algorithm.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["at"] = index
    _signs_with_their_word(storage["chars"])
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    algorithm.reorder_resolved_levels(storage, False)
    algorithm.apply_mirroring(storage, False)
    chars: list[dict[str, Any]] = storage["chars"]
    return chars


def _signs_with_their_word(chars: list[dict[str, Any]]) -> None:
    """Signs inside a Latin word (between two spaces, with a Latin letter) are read with it:
    the footer's « ^q » stays « ^q » in an Arabic line, « (F3) » keeps its brackets around
    it (the algorithm alone would draw « q^ » and « ((F3 »). Punctuation that ends a clause
    (« : », « ، », « ! ») is not such a sign: it follows the sentence; nor are the brackets
    around Arabic words and numbers, which the algorithm mirrors right."""
    word: list[dict[str, Any]] = []
    for char in [*chars, {"type": "WS"}]:
        if char["type"] not in ("WS", "S", "B"):
            word.append(char)
            continue
        if any(letter["type"] == "L" for letter in word):
            for sign in word:
                if sign["type"] == "ON" and sign["ch"] not in _SENTENCE_ENDS:
                    sign["type"] = "L"
        word = []


def _marks_after_their_letter(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A vowel mark goes in its letter's cell, so it must come after it; reversing a word put
    it before."""
    out: list[dict[str, Any]] = []
    waiting: list[dict[str, Any]] = []
    for char in chars:
        if unicodedata.combining(char["ch"]) and char["level"] % 2:
            waiting.append(char)
            continue
        out.append(char)
        out.extend(reversed(waiting))
        waiting = []
    out.extend(waiting)
    return out


def visual(line: str, right_to_left: bool) -> tuple[str, list[int]]:
    """``line`` (one line of the screen, in the order it is written) as it is seen, left to
    right, in a paragraph written right to left (``right_to_left``) or left to right; and for
    each character shown, the index in ``line`` of the one it shows. The spaces around the
    line stay where they are: they place it, they are not part of the sentence."""
    core = line.strip(" ")
    if not RIGHT_TO_LEFT.search(core):
        return line, list(range(len(line)))
    before = len(line) - len(line.lstrip(" "))
    shaped, sources = _joined(core)
    chars = _marks_after_their_letter(_levels(shaped, right_to_left))
    text = "".join(char["ch"] for char in chars)
    order = [before + sources[char["at"]] for char in chars]
    after = len(line) - before - len(core)
    return (
        line[:before] + text + line[before + len(core) :],
        [*range(before), *order, *range(before + len(core), before + len(core) + after)],
    )
