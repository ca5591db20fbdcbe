"""The guide's words and the screens' keyboard hints are separate catalog entries."""

from __future__ import annotations

import re

import pytest

from tui.guide import GUIDE_TEXT, guide_paragraphs

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.mark.parametrize("step", sorted(GUIDE_TEXT))
def test_each_hint_has_its_place_in_the_words(step: str) -> None:
    guide = GUIDE_TEXT[step]
    assert PLACEHOLDER.findall(guide.words) == ["keys", "more_keys"][: len(guide.hints)]
    assert all("clavier" not in part for part in PLACEHOLDER.split(guide.words))


@pytest.mark.parametrize("step", sorted(GUIDE_TEXT))
def test_the_line_mode_gets_the_words_without_the_keys(step: str) -> None:
    with_keys = guide_paragraphs(step)
    without = guide_paragraphs(step, keys=False)
    assert "clavier" not in without
    assert "%(" not in with_keys
    for hint in GUIDE_TEXT[step].hints:
        assert hint.text in with_keys
