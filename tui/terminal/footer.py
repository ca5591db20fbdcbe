"""Textual's ``Footer`` shown complete from its first frame."""

from __future__ import annotations

from textual.widgets import Footer

__all__ = ["mark_bindings_ready"]


def mark_bindings_ready(footer: Footer) -> None:
    """Let the footer list its keys now.

    ``Footer`` composes nothing until its private ``_bindings_ready`` reactive is set, which
    Textual does after the first frame (and again on every bindings change); the keys then
    arrive in a second frame that lays out the whole screen again. Setting it before
    composing puts them in the first frame.
    """
    footer._bindings_ready = True
