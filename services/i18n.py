"""The text catalog: every sentence a person reads goes through here (standard gettext).

The French text is the source: it is the msgid itself, so with no translation compiled the
text shows as written. ``locale/educonnect.pot`` is extracted from the code (``make catalog``)
and ``locale/<language>/LC_MESSAGES/educonnect.mo`` holds a compiled translation.

- ``_("…")`` for a sentence, ``ngettext("… %(count)d essai", "… %(count)d essais", n)`` for
  a count (French takes the singular for 0 and 1);
- ``N_("…")`` marks a module constant for extraction and returns it unchanged: it is
  translated where it is used (``_(CONSTANT)``), so that importing a module translates nothing
  and a constant can be shown in more than one language;
- ``N_plural("… %(count)d essai", "… %(count)d essais")`` does the same for a counted
  sentence, used as ``ngettext(*PAIR, n)``;
- ``translations(language)`` is the catalog of one language, for a front end that shows two
  (the bilingual mode); ``_`` and ``ngettext`` read the default one.

Textual-free, and no state here beyond that default: services that need another language take
a ``Translations`` as an argument.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

__all__ = [
    "DOMAIN",
    "LOCALE_DIR",
    "N_",
    "SOURCE_LANGUAGE",
    "N_plural",
    "Translations",
    "_",
    "ngettext",
    "translations",
]

DOMAIN = "educonnect"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
SOURCE_LANGUAGE = "fr"

Translations = gettext.NullTranslations


class SourceText(gettext.NullTranslations):
    """The French msgids as they are, with the French plural rule (``nplurals=2;
    plural=(n > 1)``): the standard library's null catalog would say « 0 essais »."""

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return msgid2 if n > 1 else msgid1


@cache
def translations(language: str = SOURCE_LANGUAGE, folder: Path = LOCALE_DIR) -> Translations:
    """The catalog of ``language`` (compiled in ``folder``); what it lacks, or all of it when
    nothing is compiled for that language, falls back to the French source text."""
    found = gettext.translation(DOMAIN, folder, languages=[language], fallback=True)
    if type(found) is gettext.NullTranslations:
        return SourceText()
    found.add_fallback(SourceText())
    return found


def _(message: str) -> str:
    """``message`` (a French msgid) in the default language."""
    return translations().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a counted sentence that ``count`` takes, in the default language."""
    return translations().ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks ``message`` for extraction without translating it (see the module docstring)."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Marks a counted sentence for extraction as one plural entry (Babel keyword
    ``N_plural:1,2``, see the Makefile), without translating it."""
    return singular, plural
