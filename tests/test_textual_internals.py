"""Textual's private API is used in one place only, ``tui/terminal/``, and against the version
``pyproject.toml`` pins: another version may have moved any of it without notice."""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import inspect
import re
import textwrap
import tomllib
from functools import cache
from pathlib import Path
from types import ModuleType

import rich
import textual
from textual.app import App

ROOT = Path(__file__).resolve().parents[1]
INTERNALS = ROOT / "tui" / "terminal"
UPSTREAM = ("textual", "rich")


def pinned_textual() -> str:
    """The exact version ``pyproject.toml`` asks for (``textual==X``)."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        dependencies = tomllib.load(file)["project"]["dependencies"]
    pins = [
        match.group(1)
        for dependency in dependencies
        if (match := re.fullmatch(r"textual\s*==\s*([^\s;,]+)", dependency.strip()))
    ]
    assert len(pins) == 1, f"pyproject.toml should pin textual exactly once: {dependencies}"
    return pins[0]


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def defined_names(tree: ast.AST) -> set[str]:
    """The private names defined under ``tree``: functions, classes, names and attributes set."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return {name for name in names if is_private(name)}


@cache
def upstream_private_names() -> frozenset[str]:
    """Every private name Textual and rich define in their own source."""
    names: set[str] = set()
    for package in (textual, rich):
        for path in Path(package.__path__[0]).rglob("*.py"):
            names |= defined_names(ast.parse(path.read_text(encoding="utf-8")))
    return frozenset(names)


@cache
def names_in_class(cls: type) -> frozenset[str]:
    """The private names a Textual or rich class defines, sets or reads in its own source."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return frozenset()
    return frozenset(
        node.attr
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and is_private(node.attr)
    ) | frozenset(defined_names(ast.parse(source)))


def upstream_names_of(cls: type) -> frozenset[str]:
    """The private names of the Textual and rich classes ``cls`` derives from."""
    names: frozenset[str] = frozenset()
    for base in cls.__mro__:
        if base.__module__.split(".")[0] in UPSTREAM:
            names |= names_in_class(base)
    return names


def is_own_receiver(node: ast.expr) -> bool:
    """``self`` or ``super()``: a name read there belongs to the class or its bases."""
    return (isinstance(node, ast.Name) and node.id in ("self", "cls")) or (
        isinstance(node, ast.Call) and ast.unparse(node.func) == "super"
    )


def private_uses(source: str, namespace: dict[str, object] | None = None) -> list[str]:
    """Imports of a private module of Textual or rich; private names of Textual's or rich's
    classes used on ``self``/``super()`` (or overridden) in a class deriving from them (found
    in ``namespace``, the module's globals); and private names Textual or rich define read on
    any other object, unless the module defines that name itself."""
    tree = ast.parse(source)
    own = defined_names(tree)
    upstream = upstream_private_names()
    namespace = namespace or {}
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [f"{node.module}.{alias.name}" for alias in node.names if node.module]
            )
            found += [
                module
                for module in modules
                if module.split(".")[0] in UPSTREAM and any(map(is_private, module.split(".")))
            ]
        elif isinstance(node, ast.ClassDef):
            cls = namespace.get(node.name)
            inherited = upstream_names_of(cls) if isinstance(cls, type) else frozenset()
            for inner in ast.walk(node):
                if isinstance(inner, ast.Attribute) and is_own_receiver(inner.value):
                    name, line = inner.attr, inner.lineno
                elif isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef):
                    name, line = inner.name, inner.lineno
                else:
                    continue
                if is_private(name) and name in inherited:
                    found.append(f"line {line}: {name}")
        elif (
            isinstance(node, ast.Attribute)
            and not is_own_receiver(node.value)
            and not is_other_module(node.value, namespace)
            and is_private(node.attr)
            and node.attr not in own
            and node.attr in upstream
        ):
            found.append(f"line {node.lineno}: {node.attr}")
    return sorted(set(found))


def is_other_module(receiver: ast.expr, namespace: dict[str, object]) -> bool:
    """``os._exit``: a name of a module neither Textual nor rich, whatever they define."""
    if not isinstance(receiver, ast.Name):
        return False
    found = namespace.get(receiver.id)
    return isinstance(found, ModuleType) and found.__name__.split(".")[0] not in UPSTREAM


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


class TestTextualInternals:
    def test_the_installed_textual_is_the_pinned_one(self) -> None:
        pinned = pinned_textual()
        installed = importlib.metadata.version("textual")
        assert installed == pinned, (
            f"Textual {installed} is installed but pyproject.toml pins textual=={pinned}. "
            "tui/terminal/ uses Textual's private API as it is in the pinned version, and the "
            "snapshots are pictures of its rendering: install the locked versions "
            "(make .venv/.installed), or check tui/terminal/ and the snapshots against the "
            "new version before moving the pin."
        )

    def test_the_scan_finds_private_uses(self) -> None:
        """The check below is not vacuous: private modules; private names of Textual read on
        any object, unless the module defines the name itself; and a subclass's use or
        override of its Textual base's private names, but not of its own."""
        source = (
            "from textual._compositor import LayoutUpdate\n"
            "import textual._context\n"
            "from textual import _wait\n"
            "from textual.app import App\n"
            "size = screen._compositor.size\n"
            "class Mirror:\n"
            "    def __init__(self):\n"
            "        self._size = None\n"
            "    def _resize(self):\n"
            "        return self._size\n"
            "class Quick(App):\n"
            "    def _display(self, screen, renderable):\n"
            "        return self._driver\n"
            "    def _mine(self):\n"
            "        return self._mirror\n"
        )

        class Quick(App[None]):
            pass

        assert private_uses(source, {"Quick": Quick}) == [
            "line 12: _display",
            "line 13: _driver",
            "line 5: _compositor",
            "textual._compositor.LayoutUpdate",
            "textual._context",
            "textual._wait",
        ]

    def test_only_tui_terminal_uses_textual_internals(self) -> None:
        offenders = {
            str(path.relative_to(ROOT)): found
            for path in sorted((ROOT / "tui").rglob("*.py"))
            if INTERNALS not in path.parents
            and (
                found := private_uses(
                    path.read_text(encoding="utf-8"),
                    vars(importlib.import_module(module_name(path))),
                )
            )
        }
        assert offenders == {}, "use Textual's private API through tui/terminal/ only"
