"""The key event a terminal sends for a character typed, for whoever types on the app's behalf
(the autoplay demo)."""

from __future__ import annotations

from textual import events
from textual.keys import _character_to_key

__all__ = ["typed_key"]


def typed_key(character: str) -> events.Key:
    """The ``Key`` of ``character`` as Textual's driver builds it: a letter or digit is its own
    key name, any other character has a name of its own (« - » is ``minus``)."""
    key = character if character.isalnum() else _character_to_key(character)
    return events.Key(key, character)
