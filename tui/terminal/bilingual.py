"""Every text Textual draws goes through one place on its way to the screen: ``Content``. The
bilingual mode's twins (``tui.language``) are laid out there, once, for every widget.

Textual builds a ``Content`` for each text a widget shows, whatever the widget (a ``Static``, a
``Button``'s label, a toast, the footer's keys, a markup string or a literal one): all of them
call ``Content.__init__`` with the text, markers included, and the spans the markup made.
Textual has no hook there, so ``__init__`` is wrapped: a text holding a marker becomes the laid
out text (the French line, then its translation dim), its spans moved with the characters they
styled. A text without a marker (French only, user data) is passed on untouched, so the French
screens are byte for byte what they were.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from textual.content import Content, Span

from tui.language import MARKERS, laid_out

__all__ = ["TRANSLATION_STYLE", "install_bilingual_content", "moved_spans"]

TRANSLATION_STYLE = "dim"


def moved_spans(sources: list[int], spans: list[Span]) -> list[Span]:
    """``spans`` on a text whose characters come from another (``sources``: each character's
    index in the other text, -1 for one added): each span styles the characters that came from
    the ones it styled, in as many spans as they make runs."""
    moved: list[Span] = []
    for span in spans:
        start: int | None = None
        for position, source in enumerate([*sources, -2]):
            inside = span.start <= source < span.end
            if inside and start is None:
                start = position
            elif not inside and start is not None:
                moved.append(Span(start, position, span.style))
                start = None
    return moved


def _dim_runs(dims: list[bool]) -> list[Span]:
    runs: list[Span] = []
    start: int | None = None
    for position, dim in enumerate([*dims, False]):
        if dim and start is None:
            start = position
        elif not dim and start is not None:
            runs.append(Span(start, position, TRANSLATION_STYLE))
            start = None
    return runs


def install_bilingual_content() -> None:
    """Wrap ``Content.__init__`` once (see the module docstring)."""
    if getattr(Content.__init__, "lays_out_twins", False):
        return
    original = Content.__init__

    @wraps(original)
    def __init__(
        self: Content,
        text: str = "",
        spans: list[Span] | None = None,
        cell_length: int | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        if text and not MARKERS.isdisjoint(text):
            chars = laid_out(text)
            spans = [
                *moved_spans([c.source for c in chars], spans or []),
                *_dim_runs([c.dim for c in chars]),
            ]
            text = "".join(c.char for c in chars)
            cell_length = None
        original(self, text, spans, cell_length, *args, **kwargs)

    __init__.lays_out_twins = True  # type: ignore[attr-defined]
    Content.__init__ = __init__  # type: ignore[method-assign]
