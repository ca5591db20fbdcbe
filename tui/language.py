"""The front end's catalog: French, or French with a second language under it (issue 17).

The screens and the line mode take their text from here (``_``, ``ngettext``, ``N_``,
``N_plural``, as ``services.i18n`` has them). With no second language chosen, ``_`` is the
French source text, exactly as before. With one (``use_language("en")``), ``_`` returns a
*twin*: the French and its translation in one string, between markers::

    TWIN_OPEN + French + TWIN_SEPARATOR + translation + TWIN_CLOSE

The markers are control characters, which no user data can hold (they are refused where data
enters), and ``%`` placeholders fill both halves alike: ``_("Bonjour %(name)s") % values``
is a twin whose halves both hold the name. A value that is itself a twin (a translated title
put into a sentence) nests: the French side of the result takes the French side of the value,
the translation side its translation (``french``, ``translation``).

One place turns twins into what a person sees: ``laid_out`` (used by the terminal's
``tui.terminal.bilingual`` for every ``Content`` Textual draws, and by the line mode) writes
each line holding a twin in French, then the same line translated, marked dim. ``beside``
puts the translation on the same line, for the one-line places (the footer's keys, an input's
placeholder).

The services are French only: what they store and send (SMS, e-mails, the audit journal) must
never hold a marker. Their refusals are shown through ``current()`` (``error.text``).
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from services.i18n import DOMAIN, LOCALE_DIR, N_, N_plural, Translations, translations

__all__ = [
    "LANGUAGES",
    "LANGUAGE_VARIABLE",
    "MARKERS",
    "N_",
    "RIGHT_TO_LEFT_LANGUAGES",
    "TWIN_CLOSE",
    "TWIN_OPEN",
    "TWIN_SEPARATOR",
    "Bilingual",
    "Char",
    "N_plural",
    "_",
    "available_languages",
    "beside",
    "current",
    "current_language",
    "each_side",
    "french",
    "from_environment",
    "inline",
    "laid_out",
    "language_name",
    "next_language",
    "ngettext",
    "plain_lines",
    "read_back",
    "split_lines",
    "translation",
    "twin",
    "use_language",
]

TWIN_OPEN = "\x1c"
TWIN_SEPARATOR = "\x1f"
TWIN_CLOSE = "\x1d"
DIM_OPEN = "\x11"
DIM_CLOSE = "\x12"
MARKERS = frozenset(TWIN_OPEN + TWIN_SEPARATOR + TWIN_CLOSE + DIM_OPEN + DIM_CLOSE)

LANGUAGE_VARIABLE = "EDUCONNECT_LANGUE"
"""How a server hands its ``--langue`` to its sessions (each a process of its own)."""

LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "pt": "Português",
    "tr": "Türkçe",
    "ar": "العربية",
}
"""The second languages, in the order the key cycles through them, each named in itself."""

RIGHT_TO_LEFT_LANGUAGES = frozenset({"ar"})
"""The languages written right to left, which many terminals show reversed."""


def available_languages() -> list[str]:
    """The languages of ``LANGUAGES`` with a compiled catalog under ``locale/``."""
    return [
        code for code in LANGUAGES if (LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()
    ]


def language_name(code: str | None) -> str:
    """« Français seul », or the second language's own name."""
    return _("Français seul") if code is None else LANGUAGES[code]


def next_language(code: str | None) -> str | None:
    """French only, then each available language in turn, then French only again."""
    cycle: list[str | None] = [None, *available_languages()]
    index = cycle.index(code) if code in cycle else 0
    return cycle[(index + 1) % len(cycle)]


def twin(source: str, translated: str) -> str:
    """The French and its translation as one string (the French alone when they are the
    same: nothing to learn from a second line that repeats the first)."""
    if source == translated:
        return source
    return f"{TWIN_OPEN}{source}{TWIN_SEPARATOR}{translated}{TWIN_CLOSE}"


class Bilingual(gettext.NullTranslations):
    """Each text in French and in ``language``, as one twin (the French alone where the
    translation says the same)."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self.source = translations()
        self.second = translations(language)

    def gettext(self, message: str) -> str:
        return twin(self.source.gettext(message), self.second.gettext(message))

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return twin(
            self.source.ngettext(msgid1, msgid2, n), self.second.ngettext(msgid1, msgid2, n)
        )


@dataclass
class _Choice:
    language: str | None = None
    catalogs: dict[str, Bilingual] = field(default_factory=dict)


_choice = _Choice()


def use_language(code: str | None) -> None:
    """From now on, ``_`` gives the French with ``code``'s translation (``None``: French only).
    One per process: each SSH session and browser tab is a process of its own."""
    if code is not None and code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}")
    _choice.language = code


def from_environment(environ: Mapping[str, str]) -> str | None:
    """The ``--langue`` a server gave its sessions (``LANGUAGE_VARIABLE``): ``None`` when it
    gave none, or one with no compiled catalog here."""
    code = environ.get(LANGUAGE_VARIABLE, "")
    return code if code == "fr" or code in available_languages() else None


def current_language() -> str | None:
    return _choice.language


def current() -> Translations:
    """The catalog the front end speaks now (for ``ServiceError.text``)."""
    code = _choice.language
    if code is None:
        return translations()
    if code not in _choice.catalogs:
        _choice.catalogs[code] = Bilingual(code)
    return _choice.catalogs[code]


def _(message: str) -> str:
    """``message`` (a French msgid) as the front end shows it now."""
    return current().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return current().ngettext(singular, plural, count)


# --- texts the services wrote in French -----------------------------------------------------

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _pattern(msgid: str) -> re.Pattern[str]:
    """``msgid`` as a regular expression whose groups are its placeholders."""
    parts: list[str] = []
    seen: set[str] = set()
    position = 0
    for found in _PLACEHOLDER.finditer(msgid):
        parts.append(re.escape(msgid[position : found.start()]))
        name = found.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        position = found.end()
    parts.append(re.escape(msgid[position:]))
    return re.compile("".join(parts), re.DOTALL)


@cache
def _templates(language: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """The catalog's sentences with placeholders, as patterns, longest first."""
    catalog = translations(language)
    # The standard library's GNUTranslations keeps its messages in ``_catalog`` and has no
    # public way to list them; a plural entry's key is a (msgid, index) pair.
    messages: dict[object, str] = getattr(catalog, "_catalog", {})
    ids = sorted(
        (key for key in messages if isinstance(key, str) and _PLACEHOLDER.search(key)),
        key=len,
        reverse=True,
    )
    return tuple((_pattern(msgid), msgid) for msgid in ids)


def _translated_sentence(text: str, language: str) -> str | None:
    catalog = translations(language)
    if catalog.gettext(text) != text:
        return catalog.gettext(text)
    for pattern, msgid in _templates(language):
        if found := pattern.fullmatch(text):
            template = _PLACEHOLDER.sub(r"%(\1)s", catalog.gettext(msgid))
            return template % found.groupdict()
    return None


def read_back(text: str) -> str:
    """A French text the services wrote (an SMS, an e-mail in the outbox), with its translation
    in the language of the moment: each paragraph (or line) is matched against the catalog's
    sentences, its values kept. French only, or nothing recognised: ``text`` as it is."""
    language = _choice.language
    if language is None:
        return text
    for separator in ("\n\n", "\n"):
        parts = text.split(separator)
        translated = [_translated_sentence(part, language) for part in parts]
        if any(translated):
            return separator.join(
                twin(part, other or part) for part, other in zip(parts, translated, strict=True)
            )
    return text


# --- reading twins -------------------------------------------------------------------------


class Char(NamedTuple):
    """One character of a laid-out text: where it came from in the text with markers (-1: added
    by the layout, a line break or a space) and whether it is drawn dim."""

    char: str
    source: int
    dim: bool


def _side(
    text: str, start: int, side: int, dim: bool, out: list[Char], *, in_twin: bool = False
) -> int:
    """Appends the characters of ``text`` from ``start`` seen from ``side`` (0: French, 1: the
    translation) up to the end of the group ``start`` is in (a twin's halves: the one of
    ``side``); returns where that group ends."""
    index = start
    taking = side == 0 or not in_twin
    while index < len(text):
        char = text[index]
        if char == TWIN_OPEN:
            index = _side(text, index + 1, side, dim, out if taking else [], in_twin=True)
            continue
        if char == TWIN_SEPARATOR:
            taking = side == 1
        elif char == TWIN_CLOSE:
            return index + 1
        elif char == DIM_OPEN:
            index = _side(text, index + 1, side, True, out if taking else [])
            continue
        elif char == DIM_CLOSE:
            return index + 1
        elif taking:
            out.append(Char(char, index, dim))
        index += 1
    return index


def _project(text: str, side: int) -> list[Char]:
    out: list[Char] = []
    index = 0
    while index < len(text):
        index = _side(text, index, side, False, out)
    return out


def _text(chars: list[Char]) -> str:
    return "".join(c.char for c in chars)


def french(text: str) -> str:
    """``text`` as French only shows it."""
    return _text(_project(text, 0)) if MARKERS.intersection(text) else text


def translation(text: str) -> str:
    """The translation side of ``text`` (user data and untranslated words as they are)."""
    return _text(_project(text, 1)) if MARKERS.intersection(text) else text


def _lines(text: str) -> Iterator[str]:
    """``text`` cut at its line breaks outside twins, markers kept."""
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char == TWIN_OPEN:
            depth += 1
        elif char == TWIN_CLOSE:
            depth -= 1
        elif char == "\n" and depth == 0:
            yield text[start:index]
            start = index + 1
    yield text[start:]


def _split(chars: list[Char], separator: str) -> list[list[Char]]:
    parts: list[list[Char]] = []
    text = _text(chars)
    start = 0
    while (found := text.find(separator, start)) != -1:
        parts.append(chars[start:found])
        start = found + len(separator)
    parts.append(chars[start:])
    return parts


def _added(text: str) -> list[Char]:
    return [Char(char, -1, False) for char in text]


def laid_out(text: str) -> list[Char]:
    """``text`` as a person reads it: each line holding a twin in French, then its translation
    on the line below, dim. A twin of several paragraphs (the guide's) whose translation has as
    many is laid out paragraph by paragraph. Text without a marker comes back as it is."""
    out: list[Char] = []
    for number, line in enumerate(_lines(text)):
        if number:
            out.extend(_added("\n"))
        source_side = _project(line, 0)
        translated = [Char(c.char, c.source, True) for c in _project(line, 1)]
        if TWIN_OPEN not in line or _text(source_side) == _text(translated):
            out.extend(source_side)
            continue
        pairs = list(zip(_split(source_side, "\n\n"), _split(translated, "\n\n"), strict=False))
        if len(_split(source_side, "\n\n")) != len(_split(translated, "\n\n")):
            pairs = [(source_side, translated)]
        for index, (source_part, translated_part) in enumerate(pairs):
            if index:
                out.extend(_added("\n\n"))
            out.extend(source_part)
            out.extend(_added("\n"))
            out.extend(translated_part)
    return out


def split_lines(text: str) -> list[str]:
    """``text`` cut at its line breaks, for a screen that lays out each line apart: in bilingual
    mode each line is the twin of its French and its translation (the whole text as one line
    when the translation has another number of lines)."""
    if TWIN_OPEN not in text:
        return text.split("\n")
    source, translated = french(text).split("\n"), translation(text).split("\n")
    if len(source) != len(translated):
        return [text]
    return [twin(line, other) for line, other in zip(source, translated, strict=True)]


def each_side(text: str, change: Callable[[str], str]) -> str:
    """``change`` applied to the French and to the translation of ``text`` alike."""
    if TWIN_OPEN not in text:
        return change(text)
    return twin(change(french(text)), change(translation(text)))


def plain_lines(text: str) -> str:
    """``laid_out`` without styles: for plain text (the line mode, a message after exit)."""
    return _text(laid_out(text)) if MARKERS.intersection(text) else text


def inline(text: str) -> str:
    """``text`` on one line without styles (an input's placeholder, drawn by rich): the French,
    then its translation in brackets."""
    source, translated = french(text), translation(text)
    return source if source == translated else f"{source} ({translated})"


def beside(text: str) -> str:
    """``text`` on one line: the French, then its translation dim, beside it."""
    if TWIN_OPEN not in text:
        return text
    source, translated = french(text), translation(text)
    if source == translated:
        return source
    # What both say alike at the start (an address before « — ») is not said twice.
    same = next(
        (index for index, (a, b) in enumerate(zip(source, translated, strict=False)) if a != b),
        min(len(source), len(translated)),
    )
    cut = source.rfind(" ", 0, same) + 1
    return f"{source} {DIM_OPEN}{translated[cut:]}{DIM_CLOSE}"
