"""Arabic in the browser (issue 17): each line of the screen in the order it is seen.

The browser's terminal draws each cell apart, left to right, and neither reorders nor joins
right-to-left letters (``tui.right_to_left``). Textual cuts every text it draws into the lines
of its widget's width in one place, ``Content._wrap_and_format``; once cut, a line holding
right-to-left letters is put in visual order there, its styles following their characters. It
has to be after the cut: the first words of a sentence belong on its first line.

The wrapping is installed for the process whose terminal is the browser's (``serve web``: one
process per tab); a terminal reached by SSH may order the letters itself, and is left alone.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from textual.content import Content, _FormattedLine

from tui.right_to_left import RIGHT_TO_LEFT, reads_right_to_left, visual
from tui.terminal.bilingual import TRANSLATION_STYLE, moved_spans

__all__ = ["show_right_to_left_in_visual_order"]


def _translations(line: Content) -> list[tuple[int, int]]:
    """Where the translations are in ``line``: its dim runs (the bilingual mode draws each
    translation dim)."""
    runs: list[tuple[int, int]] = []
    for span in sorted(line.spans, key=lambda span: span.start):
        if span.style != TRANSLATION_STYLE:
            continue
        if runs and span.start <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(runs[-1][1], span.end))
        else:
            runs.append((span.start, span.end))
    return runs


def _is_translation(line: Content) -> bool:
    """Whether ``line`` opens on a translation."""
    first = len(line.plain) - len(line.plain.lstrip())
    return any(start <= first < end for start, end in _translations(line))


def _visual_line(line: Content, right_to_left: bool) -> tuple[str, list[int]]:
    """``line`` as it is seen, and where each character comes from. In a French line, each
    translation beside the French is a paragraph of its own (an Arabic one is read right to
    left from its own start, not from the end of the line)."""
    plain = line.plain
    runs = _translations(line)
    if right_to_left or not runs:
        return visual(plain, right_to_left)
    text, order, position = "", [], 0
    for start, end in [*runs, (len(plain), len(plain))]:
        if RIGHT_TO_LEFT.search(plain[position:start]):
            # Right-to-left letters that are no translation: the whole line as one paragraph.
            return visual(plain, right_to_left=False)
        piece = plain[start:end]
        shown, moved = visual(piece, reads_right_to_left(piece, translation=True))
        text += plain[position:start] + shown
        order += [*range(position, start), *(start + index for index in moved)]
        position = end
    return text, order


def _in_visual_order(line: Content, right_to_left: bool) -> Content:
    text, order = _visual_line(line, right_to_left)
    return Content(text, moved_spans(order, list(line.spans)))


def show_right_to_left_in_visual_order() -> None:
    """From now on, every line Textual draws with right-to-left letters is drawn as seen."""
    if getattr(Content._wrap_and_format, "in_visual_order", False):
        return
    original = Content._wrap_and_format

    @wraps(original)
    def _wrap_and_format(self: Content, *args: Any, **kwargs: Any) -> list[_FormattedLine]:
        lines = original(self, *args, **kwargs)
        if not RIGHT_TO_LEFT.search(self.plain):
            return lines
        paragraphs = self.split(allow_blank=True)
        for line in lines:
            if RIGHT_TO_LEFT.search(line.content.plain):
                paragraph = paragraphs[line.y]
                right_to_left = reads_right_to_left(paragraph.plain, _is_translation(paragraph))
                line.content = _in_visual_order(line.content, right_to_left)
        return lines

    _wrap_and_format.in_visual_order = True  # type: ignore[attr-defined]
    Content._wrap_and_format = _wrap_and_format  # type: ignore[method-assign]
