"""The text catalog (issue 10, item 4): every sentence a person reads goes through gettext.

- ``locale/educonnect.pot`` is what ``make catalog`` extracts today, and the French source
  catalog has every message of it;
- no French literal in ``services/`` or ``tui/`` outside ``_()``, ``ngettext()``, ``N_()``
  and ``N_plural()``;
- French plurals (« 1 essai », « 2 essais ») in the French catalog.

What counts as French (``looks_like_text``): a string with an accented letter or a guillemet,
or with a letter and a space, or ending with « . », « ? », « ! » or « : ». Not read as text:
docstrings, log messages, dict keys, f-string format specs, ``__all__``, regular expressions
(``re.*``), programmers' errors (``assert`` messages, built-in exceptions), Textual's
``id=``/``classes=`` and the forms' ``field=`` names, and the few strings of ``ALLOWED``
(each with its reason).
"""

from __future__ import annotations

import ast
import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from services.i18n import DOMAIN, LOCALE_DIR, translations
from tests.import_graph import ROOT

POT = LOCALE_DIR / f"{DOMAIN}.pot"
FRENCH_PO = LOCALE_DIR / "fr" / "LC_MESSAGES" / f"{DOMAIN}.po"
# The same keywords as `make catalog` (the Makefile adds N_plural to Babel's defaults).
KEYWORDS = {**DEFAULT_KEYWORDS, "N_plural": (1, 2)}
MARKERS = {"_", "ngettext", "N_", "N_plural", "gettext"}

# --- the .pot is current ---------------------------------------------------------------------


def fresh_extraction() -> Catalog:
    """What ``make catalog`` extracts, done in-process with Babel's own functions."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        # Babel's own reader of babel.cfg, the one pybabel uses (it has no annotations).
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    catalog = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def messages_text(catalog: Catalog) -> str:
    """The catalog as written by ``make catalog``, without its header (project, dates,
    Babel's version): what must not drift."""
    out = io.BytesIO()
    write_po(out, catalog, sort_output=True, include_lineno=False, omit_header=True)
    return out.getvalue().decode("utf-8")


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


class TestThePotIsCurrent:
    def test_the_committed_pot_is_a_fresh_extraction(self) -> None:
        """Run ``make catalog`` (and commit locale/) when this fails."""
        assert messages_text(read_catalog(POT)) == messages_text(fresh_extraction())

    def test_the_french_catalog_has_every_message_of_the_pot(self) -> None:
        pot_ids = {message.id for message in read_catalog(POT) if message.id}
        po_ids = {message.id for message in read_catalog(FRENCH_PO) if message.id}
        assert po_ids == pot_ids

    def test_the_extraction_sees_every_marker(self) -> None:
        """The comparison above is not vacuous: ``_``, ``ngettext``, ``N_`` and ``N_plural``
        are all extracted, the plural ones as one plural entry."""
        ids = {message.id for message in fresh_extraction() if message.id}
        assert "Indiquez votre identifiant." in ids  # N_
        assert (
            "Le code saisi est incorrect. Il vous reste %(count)d essai.",
            "Le code saisi est incorrect. Il vous reste %(count)d essais.",
        ) in ids  # N_plural


# --- no French outside the catalog -----------------------------------------------------------

_ACCENTED_OR_QUOTE = re.compile(r"[À-ÖØ-öø-ÿŒœÆæ«»’…]")
_LETTER = re.compile(r"[A-Za-z]")
_LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
_PROGRAMMERS_ERRORS = {
    "AssertionError",
    "KeyError",
    "NotImplementedError",
    "RuntimeError",
    "TypeError",
    "ValueError",
}
_NAME_ARGUMENTS = {"id", "classes", "name", "group", "field"}
# Calls whose strings are for the program or the operator, never on a person's screen: log
# formats (``logging.Formatter("%(levelname)s …")``, ``basicConfig(format=…)``) and warning
# filters (``filterwarnings(message=…)``, a regular expression).
_NOT_TEXT_CALLS = {"Formatter", "basicConfig", "filterwarnings"}
# Textual's stylesheets, as class attributes.
_STYLESHEETS = {"DEFAULT_CSS", "CSS"}
# A CSS selector list (``@on(Button.Pressed, "#services Button")``, ``query("#a, #b")``):
# words that start with « # » or « . » or name a widget class, separated by spaces and commas.
_SELECTOR = re.compile(r"[#.]?[A-Za-z][\w-]*(?:[ ,]+[#.]?[A-Za-z][\w-]*)*")

_DEMO_DATA = "made-up people, schools and a password of the demo: data, not text"
_PROVIDER = "an identity provider's own name, as FranceConnect shows it"
ALLOWED: dict[tuple[str, str], str] = {
    ("services/formatting.py", "%d/%m/%Y %H:%M"): "a strftime format (JJ/MM/AAAA HH:MM)",
    ("tui/screens/common/fields.py", "[A-Za-z ]*"): "a regular expression (Input's restrict=)",
    ("tui/right_to_left.py", "!?;…"): "signs that end a sentence, for the line's layout",
    **{
        ("services/demo.py", name): _DEMO_DATA
        for name in (
            *("Léa", "Lefèvre", "Chloé", "Zoé", "Inès", "Œuvray", "Gaëlle", "Jean-Édouard"),
            *("Bérénice", "CLG Frédéric Bazille", "LGT Jean Monnet", "Tournesol-42!"),
        )
    },
    **{
        ("services/franceconnect.py", name): _DEMO_DATA
        for name in (
            *("Sophie Anne", "Claire Hélène", "Thomas Pierre", "Jean Louis"),
            *("Marie-Claude Josette", "Aminata Fatou"),
        )
    },
    ("services/franceconnect.py", "L'Identité Numérique La Poste"): _PROVIDER,
    ("services/franceconnect.py", "France Identité"): _PROVIDER,
    **{
        ("tui/language.py", name): "a language's own name, in that language"
        for name in ("Español", "Português", "Türkçe")
    },
    **{
        (path, "ÉduConnect"): "the service's own name, the same in every language"
        for path in ("tui/app.py", "tui/widgets/step_header.py", "tui/serve/web.py")
    },
}
"""(file, string) -> why it is not text to translate."""


def looks_like_text(value: str) -> bool:
    stripped = value.strip()
    if _SELECTOR.fullmatch(stripped) and re.search(r"(?:^|[ ,])[#.]", stripped):
        return False
    if not _LETTER.search(stripped) and not _ACCENTED_OR_QUOTE.search(stripped):
        return False
    return bool(_ACCENTED_OR_QUOTE.search(stripped) or " " in stripped or stripped[-1] in ".?!:")


def _is_logger(node: ast.expr) -> bool:
    """``log.warning``, ``logger.info``, ``logging.error``, ``self.log.debug``…"""
    if not (isinstance(node, ast.Attribute) and node.attr in _LOG_METHODS):
        return False
    owner = node.value
    name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
    return name in {"log", "logger", "logging", "_log"}


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _not_text(tree: ast.Module) -> set[int]:
    """The ids of the string constants that are not text a person reads (see the module
    docstring), and of those already inside a catalog marker."""
    skipped: set[int] = set()

    def skip(node: ast.AST | None) -> None:
        if node is not None:
            skipped.update(id(inner) for inner in ast.walk(node))

    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            assert isinstance(body, list)
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skip(body[0])
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if (
                name in MARKERS
                or name in _PROGRAMMERS_ERRORS
                or name in _NOT_TEXT_CALLS
                or _is_logger(node.func)
                or (
                    isinstance(node.func, ast.Attribute)
                    and getattr(node.func.value, "id", "") == "re"
                )
            ):
                skip(node)
            if name == "cast" and node.args:
                skip(node.args[0])  # a type, written as a string
            for keyword in node.keywords:
                if keyword.arg in _NAME_ARGUMENTS:
                    skip(keyword.value)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skip(node)  # an attribute's docstring: a bare string shows nothing
        elif isinstance(node, ast.Assert):
            skip(node.msg)
        elif isinstance(node, ast.Dict):
            for key in node.keys:
                skip(key)
        elif isinstance(node, ast.FormattedValue):
            skip(node.format_spec)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(getattr(target, "id", "") in {"__all__", *_STYLESHEETS} for target in targets):
                skip(node.value)
    return skipped


def untranslated(source: str, relative: str = "") -> list[str]:
    """The string constants of ``source`` (the file ``relative`` to the project) that read
    as French and are outside the catalog."""
    tree = ast.parse(source)
    skipped = _not_text(tree)
    shown = _shown_as_written(tree)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skipped
        and (looks_like_text(node.value) or (id(node) in shown and _LETTER.search(node.value)))
        and (relative, node.value) not in ALLOWED
    ]


# Where a lone word (« Fermer », « Oui ») is a label a person reads: the text argument of the
# widgets and calls that draw it, and a key's description (Binding's third argument).
_LABEL_ARGUMENT = {
    "Button": 0,
    "InstantButton": 0,
    "Label": 0,
    "Static": 0,
    "ChoiceButton": 0,
    "notify": 0,
    "Binding": 2,
}


def _shown_as_written(tree: ast.Module) -> set[int]:
    """The ids of the string constants passed where a widget draws them as they are."""
    shown: set[int] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and (index := _LABEL_ARGUMENT.get(_call_name(node))) is not None
        ):
            if index < len(node.args) and isinstance(node.args[index], ast.Constant):
                shown.add(id(node.args[index]))
            for keyword in node.keywords:
                if keyword.arg in {"label", "description"} and isinstance(
                    keyword.value, ast.Constant
                ):
                    shown.add(id(keyword.value))
    return shown


def offenders(package: str) -> dict[str, list[str]]:
    """File (relative to the project) -> its strings that are French outside the catalog."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if texts := untranslated(path.read_text(encoding="utf-8"), relative):
            found[relative] = texts
    return found


@pytest.mark.parametrize("package", ["services", "tui"])
def test_no_french_outside_the_catalog(package: str) -> None:
    """Every file takes its text from the catalog."""
    assert offenders(package) == {}


_MARKUP = re.compile(r"<!--.*?-->|<(script|style|svg)\b.*?</\1>|\{\{.*?\}\}|<[^>]*>", re.DOTALL)


def test_the_web_page_takes_its_words_from_the_catalog() -> None:
    """The web server's page (a Jinja template) writes its words as ``{{ _("…") }}``
    (extracted by babel.cfg): with tags, comments, styles and expressions taken out, no text
    is left."""
    page = (ROOT / "tui" / "serve" / "web_assets" / "app_index.html").read_text(encoding="utf-8")
    assert _MARKUP.sub(" ", page).split() == []
    assert '{{ _("Démarrer") }}' in page


SAMPLE = r'''"""Docstring : pas du texte."""
import logging
import re

log = logging.getLogger(__name__)
__all__ = ["Une chose"]
SEEN = "Une phrase à traduire."
ALSO_SEEN = f"Il reste {n} essais"
SHORT = "Valider"
BUTTON = Button("Envoyer", id="send")
KEY = Binding("escape", "close", "Fermer")
QUESTION = "Oui ?"
MARKED = N_("Une phrase marquée.")
SAID = _("Une phrase traduite.")
PLURAL = ngettext("%(count)d essai", "%(count)d essais", 2)
log.warning("message de journal : %s", 1)
assert SEEN, "message de programmeur."
PATTERN = re.compile(r"[\s'’]+")
KEYS = {"clé à part": 1}
WHEN = f"{moment:%d/%m/%Y %H:%M}"
WIDGET = Static(SEEN, id="single-link", classes="confirmation big")
IDENTIFIER = "code_sent"
LIMIT = 3
"""Docstring d'attribut : pas du texte."""
HANDLER = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
logging.basicConfig(format="%(levelname)s %(message)s")
warnings.filterwarnings("ignore", message="DSA is deprecated")
SCREEN = cast("Callable[..., Écran]", factory)


class Panel(Widget):
    DEFAULT_CSS = """
    Panel { height: auto; }
    """

    @on(Button.Pressed, "#services Button")
    def chosen(self) -> None:
        self.query("#nom-input, #prenom-input")
        self.notify("Le serveur s'arrête.")


def f() -> None:
    """Docstring de fonction."""
    raise ValueError("programmer's error: not shown")
'''


def test_the_scan_sees_french_where_a_person_reads_it_and_only_there() -> None:
    """The checks above are not vacuous: every form of text is found, every exclusion holds."""
    # A lone word (« Valider ») in a constant is out of the heuristic's reach (the reviewer's
    # eye is not); drawn by a widget or a key, it is seen.
    assert sorted(untranslated(SAMPLE)) == [
        "Envoyer",
        "Fermer",
        "Il reste ",
        "Le serveur s'arrête.",
        "Oui ?",
        "Une phrase à traduire.",
    ]


# --- plurals ---------------------------------------------------------------------------------

FRENCH_PLURALS = "nplurals=2; plural=(n > 1);"


def compile_catalog(catalog: Catalog, folder: Path, language: str) -> None:
    target = folder / language / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / f"{DOMAIN}.mo").open("wb") as file:
        write_mo(file, catalog)


def plural_ids() -> list[tuple[str, str]]:
    return [
        (message.id[0], message.id[1])
        for message in read_catalog(FRENCH_PO)
        if isinstance(message.id, tuple)
    ]


class TestPlurals:
    def test_the_french_catalog_says_french_plurals(self) -> None:
        assert read_catalog(FRENCH_PO).plural_forms == FRENCH_PLURALS

    def test_the_catalog_has_counted_sentences(self) -> None:
        assert len(plural_ids()) >= 5

    @pytest.mark.parametrize(("count", "form"), [(0, 0), (1, 0), (2, 1), (30, 1)])
    def test_the_compiled_french_catalog_picks_the_french_form(
        self, tmp_path: Path, count: int, form: int
    ) -> None:
        """« 0 essai », « 1 essai », « 2 essais »: the catalog as compiled from the .po, and
        the source text used when nothing is compiled."""
        compile_catalog(read_catalog(FRENCH_PO), tmp_path, "fr")
        compiled = translations("fr", tmp_path)
        assert isinstance(compiled, gettext.GNUTranslations)
        for pair in plural_ids():
            assert compiled.ngettext(*pair, count) == pair[form]
            assert translations("fr").ngettext(*pair, count) == pair[form]

    def test_another_language_translates_and_falls_back_to_french(self, tmp_path: Path) -> None:
        """What the bilingual mode will ask for: a second language's catalog, beside the
        default one; a sentence it lacks stays French, with French plurals."""
        catalog = Catalog(locale="en")
        counted = ("Il vous reste %(count)d essai.", "Il vous reste %(count)d essais.")
        catalog.add(counted, ("%(count)d try left.", "%(count)d tries left."))
        compile_catalog(catalog, tmp_path, "en")
        english = translations("en", tmp_path)
        assert english.ngettext(*counted, 1) == "%(count)d try left."
        assert english.ngettext(*counted, 2) == "%(count)d tries left."
        untranslated = ("%(count)d seconde", "%(count)d secondes")
        assert english.ngettext(*untranslated, 0) == "%(count)d seconde"
        assert english.gettext("Indiquez votre identifiant.") == "Indiquez votre identifiant."
        assert translations().gettext("Indiquez votre identifiant.") == (
            "Indiquez votre identifiant."
        )


def rebinds_underscore(source: str) -> list[int]:
    """The lines of a module that imports the catalog's ``_`` and binds ``_`` again outside a
    comprehension (``matches, _ = …`` in a function makes every ``_()`` of that function
    fail with UnboundLocalError)."""
    tree = ast.parse(source)
    imports_it = any(
        isinstance(node, ast.ImportFrom)
        and node.module in {"services.i18n", "tui.language"}
        and any(alias.name == "_" for alias in node.names)
        for node in ast.walk(tree)
    )
    in_comprehension = {
        id(name)
        for node in ast.walk(tree)
        if isinstance(node, ast.comprehension)
        for name in ast.walk(node.target)
    }
    return [
        node.lineno
        for node in ast.walk(tree)
        if imports_it
        and isinstance(node, ast.Name)
        and node.id == "_"
        and isinstance(node.ctx, ast.Store)
        and id(node) not in in_comprehension
    ]


@pytest.mark.parametrize("package", ["services", "tui"])
def test_no_module_using_the_catalog_rebinds_underscore(package: str) -> None:
    found = {
        path.relative_to(ROOT).as_posix(): lines
        for path in sorted((ROOT / package).rglob("*.py"))
        if (lines := rebinds_underscore(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_underscore_check_sees_a_rebinding() -> None:
    source = (
        "from services.i18n import _\n"
        "codes = [1 for _ in range(3)]\n"
        "def f() -> str:\n"
        "    matches, _ = 1, 2\n"
        "    return _('x')\n"
    )
    assert rebinds_underscore(source) == [4]
