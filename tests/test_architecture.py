"""The dependency rule `tui -> services -> store`: the domain and the storage never import
Textual, so they run (and are tested) without a terminal and can serve other front ends. The
journey table is Textual-free for the same reason, and the screens of the guide never import
one another: each ends with an outcome and the journey table says what comes next."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.import_graph import ROOT, edges, imported_names, modules_of

LAYERS = ("services", "store")
FORBIDDEN = "textual"


def forbidden_imports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """`import textual…`, `from textual… import`, relative imports climbing out of the
    package, and `import_module("textual…")` / `__import__("textual…")` with a literal name."""
    return [
        name
        for name in imported_names(source, module, is_package=is_package)
        if name == "<outside>" or name == FORBIDDEN or name.startswith(FORBIDDEN + ".")
    ]


def loaded_after_importing(names: list[str], packages: tuple[str, ...]) -> list[str]:
    """The modules of ``packages`` a fresh interpreter has loaded once it imported ``names``
    (imports through third-party code count too)."""
    script = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.partition('.')[0] in {packages!r}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    loaded: list[str] = ast.literal_eval(result.stdout.strip())
    return loaded


class TestNoTextualBelowTheTui:
    def test_the_scan_finds_every_form_of_import(self) -> None:
        """The static check below is not vacuous: it catches plain, dotted, `from`, and dynamic
        imports of Textual, and ignores look-alike names."""
        source = (
            "import textual\n"
            "import os, textual.app as app\n"
            "from textual.widgets import Input\n"
            "import importlib\n"
            "importlib.import_module('textual.screen')\n"
            "__import__('textual')\n"
            "import textualize_helper\n"
            "from . import sibling\n"
            "from .. import outside\n"
        )
        assert sorted(forbidden_imports(source, "services.x")) == [
            "<outside>",
            "textual",
            "textual",
            "textual.app",
            "textual.screen",
            "textual.widgets",
        ]
        assert forbidden_imports("from .clock import Clock\n", "services", is_package=True) == []

    @pytest.mark.parametrize("package", LAYERS)
    def test_no_module_imports_textual_statically(self, package: str) -> None:
        """No module of `services/` or `store/` names Textual in an import, at any depth
        (inside functions, `if TYPE_CHECKING:` blocks included)."""
        modules = modules_of(package)
        assert package in modules and len(modules) > 1
        offenders = {
            name: found
            for name, path in modules.items()
            if (
                found := forbidden_imports(
                    path.read_text(encoding="utf-8"), name, is_package=path.stem == "__init__"
                )
            )
        }
        assert offenders == {}

    def test_importing_every_module_loads_no_textual(self) -> None:
        """A fresh interpreter imports every module of `services` and `store` and ends with no
        Textual module loaded (catches imports through third-party code too)."""
        names = sorted({*modules_of("services"), *modules_of("store")})
        assert loaded_after_importing(names, ("textual",)) == []


JOURNEY = "tui.journey"
SCREENS = "tui.screens"
SHARED_SCREEN_MODULES = {
    f"{SCREENS}.{name}" for name in ("base", "calm", "guide", "notice", "common")
}
"""What every screen module may import: the step base classes, the dialogs, and the
``common`` package of shared step parts."""


def is_shared(module: str) -> bool:
    return module == SCREENS or any(
        module == shared or module.startswith(shared + ".") for shared in SHARED_SCREEN_MODULES
    )


def screen_modules() -> dict[str, Path]:
    """The modules of the guide's parts: every module of `tui/screens` but the shared ones."""
    return {name: path for name, path in modules_of("tui/screens").items() if not is_shared(name)}


def lazy_screen_names() -> dict[str, str]:
    """`from tui.screens import EntryScreen` loads the module of that name (PEP 562)."""
    tree = ast.parse((ROOT / "tui/screens/__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign | ast.Assign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(getattr(target, "id", "") == "_MODULES" for target in targets):
                mapping = ast.literal_eval(node.value)
                assert isinstance(mapping, dict)
                return {f"{SCREENS}.{name}": module for name, module in mapping.items()}
    raise AssertionError("tui/screens/__init__.py has no _MODULES")


def screens_imported(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """The screen modules that ``source`` imports, at any depth (a lazy name of
    `tui.screens` counts as its module)."""
    lazy = lazy_screen_names()
    screens = set(screen_modules())
    found = set()
    for name in imported_names(source, module, is_package=is_package, with_members=True):
        name = lazy.get(name, name)
        found |= {screen for screen in screens if name == screen or name.startswith(screen + ".")}
    return sorted(found - {module})


class TestTheJourneyTableIsTextualFree:
    def test_the_journey_module_names_no_textual_import(self) -> None:
        """`tui/journey.py` names Textual in no import, at any depth: the line mode walks the
        same table without a terminal."""
        path = ROOT / "tui/journey.py"
        assert forbidden_imports(path.read_text(encoding="utf-8"), JOURNEY) == []

    def test_importing_the_journey_loads_no_textual(self) -> None:
        """A fresh interpreter imports the journey table and ends with no Textual module
        loaded, nor anything of the domain's heavy dependencies."""
        assert loaded_after_importing([JOURNEY], ("textual", "pydantic", "tinydb")) == []


LINES = "tui/lines"


class TestTheLineModeIsTextualFree:
    def test_no_module_of_the_line_mode_names_textual(self) -> None:
        """`tui/lines/` names Textual in no import, at any depth: it is plain lines for
        screen readers and dumb terminals, and walks the journey table without screens."""
        modules = modules_of(LINES)
        assert "tui.lines.session" in modules
        offenders = {
            name: found
            for name, path in modules.items()
            if (
                found := forbidden_imports(
                    path.read_text(encoding="utf-8"), name, is_package=path.stem == "__init__"
                )
            )
        }
        assert offenders == {}

    def test_importing_the_line_mode_loads_no_textual(self) -> None:
        """A fresh interpreter imports every module of the line mode, its command and the
        steps' headings and choices, and ends with no Textual module loaded."""
        names = sorted({*modules_of(LINES), "tui.cli.lines", "tui.headings", "tui.choices"})
        assert loaded_after_importing(names, ("textual",)) == []


class TestScreenModulesStayApart:
    def test_the_scan_finds_every_form_of_screen_import(self) -> None:
        """The check below is not vacuous: it catches top-level, in-function, `from` (module
        or lazy name), relative and dynamic imports of another screen module, and lets the
        shared modules through."""
        source = (
            "from tui.screens.base import StepScreen\n"
            "from tui.screens.common.fields import code_field\n"
            "from tui.screens import notice\n"
            "import tui.screens.login\n"
            "def later():\n"
            "    from tui.screens.pupil import IdentityCheckScreen\n"
            "    from tui.screens import EntryScreen, account\n"
            "    from .recovery import ResetCodeScreen\n"
            "    importlib.import_module('tui.screens.franceconnect')\n"
        )
        assert screens_imported(source, "tui.screens.registration") == [
            "tui.screens.account",
            "tui.screens.franceconnect",
            "tui.screens.login",
            "tui.screens.pupil",
            "tui.screens.recovery",
            "tui.screens.start",
        ]

    def test_no_screen_module_imports_another(self) -> None:
        """No module of a part of the guide (start, registration, login…) imports another
        one, at any depth: shared parts live in `tui/screens/common`, and the app moves from
        one step to the next through the journey table."""
        modules = screen_modules()
        assert {"tui.screens.start", "tui.screens.registration"} <= set(modules)
        offenders = {
            name: found
            for name, path in modules.items()
            if (found := screens_imported(path.read_text(encoding="utf-8"), name))
        }
        assert offenders == {}

    def test_no_shared_module_imports_a_screen_module(self) -> None:
        """The shared modules (step bases, dialogs, `common`) import no screen module either:
        otherwise two screen modules would meet through them."""
        shared = {
            name: path
            for name, path in modules_of("tui/screens").items()
            if is_shared(name) and name != SCREENS
        }
        assert "tui.screens.common.fields" in shared
        offenders = {
            name: found
            for name, path in shared.items()
            if (
                found := screens_imported(
                    path.read_text(encoding="utf-8"), name, is_package=path.stem == "__init__"
                )
            )
        }
        assert offenders == {}


class TestTheImportGraph:
    def test_the_layers_point_one_way(self) -> None:
        """The graph `python -m tests.import_graph` draws (docs/architecture.md) has the layers
        and no arrow back up: `tui -> services -> store`."""
        layers = edges(["tui", "services", "store"], depth=1)
        assert {("tui", "services"), ("services", "store")} <= layers
        assert not layers & {("services", "tui"), ("store", "services"), ("store", "tui")}


def is_test_module(name: str) -> bool:
    """A module pytest collects or loads itself: `test_*.py` and `conftest.py`."""
    last = name.rpartition(".")[2]
    return last.startswith("test_") or last == "conftest"


def imported_test_modules(source: str, module: str, *, is_package: bool = False) -> list[str]:
    return sorted(
        name
        for name in imported_names(source, module, is_package=is_package, with_members=True)
        if is_test_module(name)
    )


class TestTestModulesStandAlone:
    def test_the_scan_sees_every_form(self) -> None:
        """Absolute, `from package import module`, plain `import` and relative imports of a
        test module are all seen; a helper module is not one."""
        source = (
            "from tests.tui.test_login_flow import log_in\n"
            "from tests.tui import test_pupil_flow\n"
            "import tests.tui.conftest\n"
            "from .test_start_screens import to_authentication\n"
            "from tests.tui.pilot import fill\n"
        )
        assert imported_test_modules(source, "tests.tui.test_x") == [
            "tests.tui.conftest",
            "tests.tui.test_login_flow",
            "tests.tui.test_pupil_flow",
            "tests.tui.test_start_screens",
        ]

    def test_no_test_module_imports_another(self) -> None:
        """Shared helpers live in helper modules (`tests/tui/pilot.py` and the like): a test
        module imported by another would have its tests' module state shared, and pytest
        would collect it under two names."""
        modules = modules_of("tests")
        assert len(modules) > 10
        offenders = {
            name: imported
            for name, path in modules.items()
            if (
                imported := imported_test_modules(
                    path.read_text(encoding="utf-8"), name, is_package=path.stem == "__init__"
                )
            )
        }
        assert offenders == {}
