"""The app's CSS parsed once, in the warm parent, for every session forked from it.

Parsing Textual CSS (the app's ``.tcss`` files and every widget's ``DEFAULT_CSS``) is about a
quarter of an app's start, and the parsed rules are the same in every session. Textual keeps a
parse cache per stylesheet, so per app: ``share_parsed_css`` puts a process-wide one in front
of it, keyed by everything the parse depends on (the CSS text, where it comes from, whether it
is a widget's default CSS, its tie-breaker, its scope and the stylesheet's variables, that is
the theme). ``parse_ahead`` fills it in the warm parent (no event loop: the parse is plain
code), so a forked session finds its rules already there, in pages it shares with its
brothers. A source the parent did not foresee, or another theme, is parsed by the session as
before: the cache can only miss, never answer for other CSS.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Iterator
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode

if TYPE_CHECKING:
    from textual.app import App
    from textual.css.model import RuleSet
    from textual.css.types import CSSLocation

__all__ = ["parse_ahead", "share_parsed_css"]

_PARSED: dict[tuple[object, ...], list[RuleSet]] = {}
_textual_parse_rules = Stylesheet._parse_rules


def _parse_rules(
    self: Stylesheet,
    css: str,
    read_from: CSSLocation,
    is_default_rules: bool = False,
    tie_breaker: int = 0,
    scope: str = "",
) -> list[RuleSet]:
    variables = tuple(sorted(self._variables.items()))
    key = (css, read_from, is_default_rules, tie_breaker, scope, variables)
    rules = _PARSED.get(key)
    if rules is None:
        rules = _textual_parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        _PARSED[key] = rules
    return rules


def share_parsed_css() -> None:
    """Every stylesheet of this process (and of its forked children) shares parsed rules."""
    Stylesheet._parse_rules = _parse_rules  # type: ignore[method-assign]


def parse_ahead(app: App[Any], css_paths: list[Any]) -> int:
    """Parse, with ``app``'s stylesheet, its CSS files ``css_paths`` and the default CSS of
    every widget class imported so far, as the app does when it starts and mounts them; the
    number of sources parsed."""
    sheet = app.stylesheet
    count = 0
    for path in css_paths:
        with open(path, encoding="utf-8") as file:
            sheet._parse_rules(file.read(), (os.path.abspath(path), ""))
        count += 1
    for node in _node_classes():
        # ``_get_default_css`` reads only the class's CSS bases from its instance.
        shim = SimpleNamespace(_node_bases=DOMNode._css_bases(node))
        for read_from, css, tie_breaker, scope in DOMNode._get_default_css(shim):  # type: ignore[arg-type]
            sheet._parse_rules(css, read_from, True, tie_breaker, scope)
            count += 1
        css = node.__dict__.get("CSS", "")
        if css:
            # A screen's own CSS, as the app adds it when it shows the screen (the app's, as
            # it adds it at its start: unscoped).
            try:
                where = inspect.getfile(node)
            except (TypeError, OSError):
                where = ""
            scoped = node.SCOPED_CSS and not isinstance(app, node)
            scope = node._css_type_name if scoped else ""
            sheet._parse_rules(css, (where, f"{node.__name__}.CSS"), False, 0, scope)
            count += 1
    return count


def _node_classes() -> Iterator[type[DOMNode]]:
    seen: set[type[DOMNode]] = set()
    waiting: list[type[DOMNode]] = [DOMNode]
    while waiting:
        node = waiting.pop()
        if node not in seen:
            seen.add(node)
            waiting.extend(node.__subclasses__())
            yield node
