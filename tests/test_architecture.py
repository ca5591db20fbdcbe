"""The dependency rule `tui -> services -> store`: the domain and the storage never import
Textual, so they run (and are tested) without a terminal and can serve other front ends."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("services", "store")
FORBIDDEN = "textual"


def modules_of(package: str) -> dict[str, Path]:
    """Every module of a package, by dotted name (a package by its own name)."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def forbidden_imports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """`import textual…`, `from textual… import`, relative imports climbing out of the
    package, and `import_module("textual…")` / `__import__("textual…")` with a literal name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                # `from . import x` is relative to a package itself, to a module's parent.
                parts = module.split(".")
                base = parts[: len(parts) - node.level + (1 if is_package else 0)]
                names = [".".join([*base, node.module or ""])] if base else ["<outside>"]
            else:
                names = [node.module or ""]
        elif isinstance(node, ast.Call) and node.args:
            function = node.func
            called = (
                function.attr
                if isinstance(function, ast.Attribute)
                else getattr(function, "id", "")
            )
            first = node.args[0]
            if called in ("import_module", "__import__") and isinstance(first, ast.Constant):
                names = [str(first.value)]
        found += [
            name
            for name in names
            if name == "<outside>" or name == FORBIDDEN or name.startswith(FORBIDDEN + ".")
        ]
    return found


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
        script = (
            "import importlib, sys\n"
            f"for name in {names!r}:\n"
            "    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.partition('.')[0] == 'textual'))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "[]"


def imported_modules(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """Every module an import statement names, at any depth, relative imports resolved; for
    `from m import n`, both `m` and `m.n` (`n` may be a module)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".")
                parent = parts[: len(parts) - node.level + (1 if is_package else 0)]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            found += [base, *(f"{base}.{alias.name}" for alias in node.names)]
    return found


def is_test_module(name: str) -> bool:
    """A module pytest collects or loads itself: `test_*.py` and `conftest.py`."""
    last = name.rpartition(".")[2]
    return last.startswith("test_") or last == "conftest"


class TestTestModulesStandAlone:
    def test_the_scan_sees_every_form(self) -> None:
        source = (
            "from tests.tui.test_login_flow import log_in\n"
            "from tests.tui import test_pupil_flow\n"
            "import tests.tui.conftest\n"
            "from .test_start_screens import to_authentication\n"
            "from tests.tui.pilot import fill\n"
        )
        found = imported_modules(source, "tests.tui.test_x")
        assert sorted(name for name in found if is_test_module(name)) == [
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
                imported := sorted(
                    found
                    for found in imported_modules(
                        path.read_text(encoding="utf-8"), name, is_package=path.stem == "__init__"
                    )
                    if is_test_module(found)
                )
            )
        }
        assert offenders == {}
