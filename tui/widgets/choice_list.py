"""A radio group that behaves like a native one, and reads the same without colour."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.style import Style as VisualStyle
from textual.widgets import RadioButton, RadioSet

from tui.language import beside

__all__ = ["ChoiceButton", "ChoiceList"]


class ChoiceButton(RadioButton):
    """One option, drawn ``(•) label`` when chosen and ``( ) label`` otherwise.

    Textual draws the same ``▐●▌`` for every option and tells the chosen one by colour alone:
    a text capture, ``NO_COLOR``, a monochrome terminal or a screen reader cannot tell which.
    """

    CHOSEN = "(•)"
    NOT_CHOSEN = "( )"

    def __init__(self, label: str | Content = "", *args: Any, **kwargs: Any) -> None:
        # Textual draws a toggle's first line only: in bilingual mode the translation goes
        # beside the option (``tui.language``). A ``Content`` (user data) is drawn as it is.
        super().__init__(beside(label) if isinstance(label, str) else label, *args, **kwargs)

    def marker(self) -> Content:
        return Content.styled(
            self.CHOSEN if self.value else self.NOT_CHOSEN,
            self.get_visual_style("toggle--button"),
        )

    def render(self) -> Content:
        style = self.get_visual_style("toggle--label")
        # Textual's visual styles keep bold, italic and underline from the CSS, not reverse.
        if self.get_component_styles("toggle--label").text_style.reverse:
            style += VisualStyle(reverse=True)
        return Content.assemble(self.marker(), self.label.pad(1, 1).stylize_before(style))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return len(self.CHOSEN) + 2 + self.label.cell_length


class ChoiceList(RadioSet):
    """The highlighted option is the chosen option, always: the arrows move both, as in a
    native radio group, so what the eye follows is what « Valider » sends.

    Textual's ``RadioSet`` moves a highlight that only Space or Enter turns into the choice, and
    starts it on the first option even when another is chosen. Here Home and End choose the
    first and the last option, Space keeps the choice and Enter goes on to the next control,
    like Tab (the choice is already made).
    """

    DEFAULT_CSS = """
    ChoiceList {
        width: 100%;
        border: none;
        background: transparent;
        padding: 0;
    }
    ChoiceList:focus {
        border: none;
    }
    ChoiceList > ChoiceButton > .toggle--button {
        color: $text-muted;
        background: transparent;
    }
    ChoiceList > ChoiceButton.-on > .toggle--button {
        color: $text-success;
        background: transparent;
        text-style: bold;
    }
    ChoiceList:focus > ChoiceButton.-selected.-on > .toggle--label {
        text-style: bold reverse;
    }
    ChoiceList:blur > ChoiceButton.-selected.-on > .toggle--label {
        background: transparent;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "app.focus_next", show=False),
        Binding("space", "toggle_button", show=False),
        Binding("home", "first_button", show=False),
        Binding("end", "last_button", show=False),
    ]

    # ``RadioSet`` moves its highlight to the first option while it mounts (before or after
    # ``on_mount``, depending on the handlers' order), before the preselected option is known:
    # until the highlight is brought to the chosen option, moving it must not choose.
    choosing = False

    def on_mount(self) -> None:
        self.call_after_refresh(self.highlight_the_chosen)

    def highlight_the_chosen(self) -> None:
        chosen = self.pressed_button
        for _ in self.query(RadioButton):
            if self.highlighted_button() is chosen:
                break
            super().action_next_button()
        self.choosing = True

    def action_next_button(self) -> None:
        super().action_next_button()
        self.action_toggle_button()

    def action_previous_button(self) -> None:
        super().action_previous_button()
        self.action_toggle_button()

    def action_first_button(self) -> None:
        while self.highlighted_button() is not self.query(RadioButton).first():
            self.action_previous_button()

    def action_last_button(self) -> None:
        while self.highlighted_button() is not self.query(RadioButton).last():
            self.action_next_button()

    def action_toggle_button(self) -> None:
        highlighted = self.highlighted_button()
        if self.choosing and highlighted is not None and not highlighted.value:
            highlighted.value = True

    def highlighted_button(self) -> RadioButton | None:
        return next(
            (button for button in self.query(RadioButton) if button.has_class("-selected")), None
        )
