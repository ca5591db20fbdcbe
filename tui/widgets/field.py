"""A labelled one-line text field with its error line beneath."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Input, Label, Static

from tui.language import inline

__all__ = ["FieldInput", "TextField"]


class FieldInput(Input):
    """An ``Input`` whose empty part can be filled with a character, after its placeholder.

    The fill is styled like a hatch, on the component class ``field--blank`` (``hatch: "_"
    $foreground 70%``, see ``tui/palette.tcss``). A hatch on the ``Input`` itself would also
    fill the spaces between the placeholder's words (« 6_lettres »)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"field--blank"}

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        hatch = self.get_component_styles("field--blank").hatch
        if y or self.value or not isinstance(hatch, tuple):
            return strip
        character, color = hatch
        width = self.content_region.width
        written = min(cell_len(self.placeholder), width)
        background = self.background_colors[1]
        fill = Style.from_color((background + color).rich_color, background.rich_color)
        return Strip.join(
            [strip.crop(0, written), Strip([Segment(character * (width - written), fill)])]
        )


class TextField(Vertical):
    """Label, optional hint, a compact one-line ``Input`` and room for a French error message.

    Compact and without a blinking cursor: every keystroke and every idle second costs bytes on
    a slow SSH link.
    """

    DEFAULT_CSS = """
    TextField {
        height: auto;
        margin-bottom: 1;
    }
    TextField > .field--label {
        text-style: bold;
    }
    TextField > .field--hint {
        color: $text-muted;
    }
    TextField > Input {
        width: 100%;
        max-width: 44;
        background: $boost;
    }
    TextField > Input:focus {
        background: $primary 20%;
    }
    /* The same light block as Textual's cursor, but drawn in reverse video: it then shows on a
       monochrome terminal and with NO_COLOR too, where a colour alone does not. */
    TextField > Input:focus > .input--cursor {
        background: $background;
        color: $foreground;
        text-style: reverse;
    }
    TextField > .field--error {
        display: none;
        color: $text-error;
    }
    TextField.-invalid > .field--error {
        display: block;
    }
    """

    def __init__(
        self,
        label: str,
        *,
        id: str,
        hint: str = "",
        placeholder: str = "",
        password: bool = False,
        max_length: int = 100,
        restrict: str | None = None,
        value: str = "",
    ) -> None:
        super().__init__(id=id)
        self._label = label
        self._hint = hint
        self.input = FieldInput(
            value=value,
            placeholder=inline(placeholder),
            password=password,
            max_length=max_length,
            restrict=restrict,
            compact=True,
            id=f"{id}-input",
        )
        self.input.cursor_blink = False
        self._error = Static("", classes="field--error", markup=False)
        self.refused_value = ""
        # Without colour an empty field has nothing to show where it is (``tui/palette.tcss``).
        self.set_class(not value, "-blank")

    def compose(self) -> ComposeResult:
        yield Label(self._label, classes="field--label")
        if self._hint:
            yield Static(self._hint, classes="field--hint", markup=False)
        yield self.input
        yield self._error

    @property
    def value(self) -> str:
        return self.input.value

    def on_input_changed(self, event: Input.Changed) -> None:
        self.set_class(not event.value, "-blank")
        # A refusal is about the value that was sent: once the person edits it, it no longer
        # describes what the field holds (and the checklists, where there is one, say the rest).
        if self.has_class("-invalid") and event.value != self.refused_value:
            self.clear_error()

    def show_error(self, message: str) -> None:
        self._error.update(Content(message))
        self.refused_value = self.input.value
        self.add_class("-invalid")
        if self.input.has_focus:
            self._keep_error_in_view()

    def on_descendant_focus(self) -> None:
        if self.has_class("-invalid"):
            self._keep_error_in_view()

    def _keep_error_in_view(self) -> None:
        # The refusal is under the field: focusing the field brings only the field into view,
        # and on a small terminal the form's pinned buttons covered the refusal. Once it is
        # laid out, the refusal comes into view too (the field just above it with it).
        self._error.call_after_refresh(self._error.scroll_visible, animate=False)

    def clear_error(self) -> None:
        self._error.update("")
        self.remove_class("-invalid")
