"""Textual's ``Footer`` shown complete from its first frame, its keys described in the
language of the moment."""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

__all__ = ["describe_key", "key_action", "mark_bindings_ready"]


def mark_bindings_ready(footer: Footer) -> None:
    """Let the footer list its keys now.

    ``Footer`` composes nothing until its private ``_bindings_ready`` reactive is set, which
    Textual does after the first frame (and again on every bindings change); the keys then
    arrive in a second frame that lays out the whole screen again. Setting it before
    composing puts them in the first frame.
    """
    footer._bindings_ready = True


def describe_key(widget: Widget, describe: Callable[[str], str]) -> Widget:
    """Give a key the footer composed (a ``FooterKey``) the description ``describe`` makes of
    its binding's own; any other widget is returned as it is.

    ``Footer.compose`` builds its keys from ``binding.description`` as written, and its
    ``FooterKey`` class is private: this is the one place that recognises one, so that the
    ``N_()`` msgids of the screens' ``BINDINGS`` are translated when shown, not at import.
    """
    if isinstance(widget, FooterKey) and widget.description:
        widget.description = describe(widget.description)
    return widget


def key_action(widget: Widget) -> str | None:
    """The action of a key the footer composed (a ``FooterKey``); ``None`` for any other
    widget."""
    return widget.action if isinstance(widget, FooterKey) else None
