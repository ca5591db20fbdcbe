"""Walks the journey table (``tui.journey``) in lines: each step is a heading, the guide's words
for it, then its prompts; the outcome it ends with says which step comes next, exactly as
``tui.navigator`` moves the screens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.flow import Flow
from tui.guide import guide_paragraphs, guide_text
from tui.headings import GUIDE_STEP_COUNT, HEADINGS
from tui.journey import (
    BackTo,
    Forward,
    Instead,
    Outcome,
    Replace,
    Step,
    next_move,
    payload,
)
from tui.language import _, current_language
from tui.lines.console import Console, GoBack, Leave
from tui.lines.steps import HANDLERS
from tui.lines.visit import Visit
from tui.sentences import GLOSSARY

if TYPE_CHECKING:
    from services import Services

__all__ = ["heading_line", "run_lines"]

NO_WAY_BACK = frozenset({Step.ENTRY, Step.SERVICES, Step.FC_SERVICES, Step.ACCOUNT_ACTIVATED})
"""Steps « retour » does not leave, as Escape does not on their screens: the first step,
the services once logged in (leaving is « Se déconnecter ») and a finished registration."""


@dataclass
class Shown:
    """A step on the way, with what it was reached with."""

    step: Step
    arguments: list[object]


def heading_line(step: Step) -> str:
    """« Étape 3 sur 7 — Activation du compte », or the title alone past the guide's steps."""
    heading = HEADINGS[step]
    if not heading.number:
        return _(heading.title)
    return _("Étape %(number)s sur %(count)d — %(title)s") % {
        "number": heading.number,
        "count": GUIDE_STEP_COUNT,
        "title": _(heading.title),
    }


def show_heading(console: Console, step: Step) -> None:
    """The heading, then, for the guide's numbered steps, the first paragraph of its text for
    the step; « aide » writes it whole. Past step 7 the guide's text is advice for later, which
    a screen reader would otherwise read again at each login."""
    heading = HEADINGS[step]
    # The guide's keyboard hints are the screens' keys: none of them exists here.
    console.help_text = guide_text(heading.guide, keys=False)
    console.write("")
    console.say(heading_line(step))
    if heading.number:
        console.say(guide_paragraphs(heading.guide, keys=False).split("\n\n")[0])


def run_lines(services: Services, console: Console) -> None:
    """One visit after another until the person leaves (« quitter », Ctrl+D, Ctrl+C)."""
    console.say(_("ÉduConnect — mode lignes"))
    console.say(
        _(
            "À chaque question : « aide » pour le guide complet de l'étape, « retour » pour "
            "l'étape précédente, « quitter » pour sortir."
        )
    )
    if current_language() is not None:
        console.say(_(GLOSSARY))
    visit = Visit(services, Flow(), console)
    way = [Shown(Step.ENTRY, [])]
    try:
        while True:
            walk_one_step(visit, way)
    except (Leave, KeyboardInterrupt):
        console.write("")
        console.say(_("Au revoir."))


def walk_one_step(visit: Visit, way: list[Shown]) -> None:
    """Run the newest step of ``way``, then move ``way`` as the journey table says."""
    console = visit.console
    shown = way[-1]
    handler = HANDLERS[shown.step]
    show_heading(console, shown.step)
    console.can_go_back = shown.step not in NO_WAY_BACK and len(way) > 1
    try:
        outcome = handler(visit, *shown.arguments)
    except GoBack:
        way.pop()
        return
    follow(visit, way, outcome)


def follow(visit: Visit, way: list[Shown], outcome: Outcome) -> None:
    """The move ``tui.navigator.Navigator.follow`` makes, on a list of steps."""
    move = next_move(way[-1].step, outcome)
    if isinstance(move, Forward):
        way.append(reached(visit, move.step, outcome))
    elif isinstance(move, Instead):
        way[-1] = reached(visit, move.step, outcome)
    elif isinstance(move, BackTo):
        pop_to(way, move.step)
    elif isinstance(move, Replace) and pop_to(way, move.anchor):
        way[-1] = reached(visit, move.step, outcome)
    if outcome.notice is not None:
        visit.console.say(outcome.notice.title)
        visit.console.say(outcome.notice.text)


def reached(visit: Visit, step: Step, outcome: Outcome) -> Shown:
    if step is Step.ENTRY:
        visit.flow = Flow()
    return Shown(step, payload(outcome))


def pop_to(way: list[Shown], step: Step) -> bool:
    """Drop every step above the newest ``step``; whether it was on the way."""
    for index in range(len(way) - 1, -1, -1):
        if way[index].step is step:
            del way[index + 1 :]
            return True
    return False
