"""The translations of the bilingual mode (issue 17): one ``.po`` per language under
``locale/``, complete, checked and compiled.

For every ``locale/<language>/LC_MESSAGES/educonnect.po`` but French (the source): every
message of the ``.pot`` is translated, none is fuzzy (a sentence changed since its translation),
each keeps the French's placeholders (``%(name)s``, ``%d``, ``{x}``, ``$label``), and the
committed ``.mo`` (what the app reads, with the standard library) is that ``.po`` compiled.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from services.i18n import DOMAIN, LOCALE_DIR, SOURCE_LANGUAGE
from tui.language import LANGUAGES, available_languages

POT = LOCALE_DIR / f"{DOMAIN}.pot"
TRANSLATIONS = sorted(
    path
    for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")
    if path.parts[-3] != SOURCE_LANGUAGE
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|\$\w+")


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def language_of(path: Path) -> str:
    return path.parts[-3]


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def forms(message: Message) -> list[str]:
    """The translation (each plural form of it)."""
    string = message.string
    return [str(form) for form in string] if isinstance(string, tuple | list) else [string or ""]


def sources(message: Message) -> list[str]:
    """The French (singular, plural)."""
    ids = message.id
    return [str(form) for form in ids] if isinstance(ids, tuple | list) else [ids]


def messages(catalog: Catalog) -> dict[object, object]:
    """What the app reads: each message with its translation (the translated ones only, as
    compiled)."""
    return {
        tuple(message.id) if isinstance(message.id, list | tuple) else message.id: (
            tuple(forms(message))
        )
        for message in catalog
        if message.id and all(forms(message)) and not message.fuzzy
    }


def test_english_is_there() -> None:
    assert "en" in [language_of(path) for path in TRANSLATIONS]
    assert "en" in available_languages()


@pytest.mark.parametrize("path", TRANSLATIONS, ids=language_of)
class TestEachTranslation:
    def test_it_is_a_language_the_app_offers(self, path: Path) -> None:
        assert language_of(path) in LANGUAGES

    def test_every_message_is_translated_and_none_is_fuzzy(self, path: Path) -> None:
        """After ``make catalog``, a new sentence is untranslated and a changed one fuzzy."""
        catalog = read_catalog(path)
        expected = {message.id for message in read_catalog(POT) if message.id}
        assert {message.id for message in catalog if message.id} == expected
        missing = [m.id for m in catalog if m.id and not all(forms(m))]
        fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
        assert (missing, fuzzy) == ([], [])

    def test_placeholders_are_the_french_ones(self, path: Path) -> None:
        differing = [
            (message.id, form)
            for message in read_catalog(path)
            if message.id
            for form in forms(message)
            if form and placeholders(form) != placeholders(sources(message)[-1])
        ]
        assert differing == []

    def test_the_committed_mo_is_this_po_compiled(self, path: Path) -> None:
        """Run ``make catalog`` (and commit locale/) when this fails. The header is left out:
        Babel dates it when it reads a ``.po`` that has no date (``make catalog`` removes it)."""
        with path.with_suffix(".mo").open("rb") as file:
            committed = read_mo(file)
        assert messages(committed) == messages(read_catalog(path))


def test_the_placeholder_check_sees_a_difference() -> None:
    assert placeholders("%(count)d essai de %(name)s") != placeholders("%(count)d try")
    assert placeholders("{x} et $label") == placeholders("$label and {x}")
