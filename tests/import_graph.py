"""The project's import graph, from the source alone (no new dependency, nothing imported).

    python -m tests.import_graph                  # layers: tui -> services -> store
    python -m tests.import_graph --depth 3 tui    # tui.screens.start -> tui.journey …
    python -m tests.import_graph --dot --depth 3 tui | dot -Tsvg > imports.svg

Each line is ``importer -> imported``, module names cut to ``--depth`` parts; every import
counts, inside functions too. ``--dot`` prints Graphviz instead.
"""

from __future__ import annotations

import argparse
import ast
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("tui", "services", "store")

__all__ = ["ROOT", "edges", "imported_names", "modules_of"]


def modules_of(package: str) -> dict[str, Path]:
    """Every module of a package, by dotted name (a package by its own name)."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imported_names(
    source: str, module: str, *, is_package: bool = False, with_members: bool = False
) -> list[str]:
    """Every module named by `import …`, `from … import`, and `import_module("…")` /
    `__import__("…")` with a literal name, at any depth; relative imports resolved, and
    `<outside>` for one climbing out of the package. With ``with_members``, `from a import b`
    also names `a.b` (`b` may be a module)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                # `from . import x` is relative to a package itself, to a module's parent.
                parts = module.split(".")
                base = parts[: len(parts) - node.level + (1 if is_package else 0)]
                if not base:
                    found.append("<outside>")
                    continue
                name = ".".join(part for part in [*base, node.module or ""] if part)
            else:
                name = node.module or ""
            found.append(name)
            if with_members:
                found += [f"{name}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Call) and node.args:
            function = node.func
            called = (
                function.attr
                if isinstance(function, ast.Attribute)
                else getattr(function, "id", "")
            )
            first = node.args[0]
            if called in ("import_module", "__import__") and isinstance(first, ast.Constant):
                found.append(str(first.value))
    return found


def edges(packages: Iterable[str], depth: int) -> set[tuple[str, str]]:
    """(importer, imported) between the project's own modules, names cut to ``depth`` parts;
    an area's imports of itself are left out."""

    def cut(name: str) -> str:
        return ".".join(name.split(".")[:depth])

    found = set()
    for package in packages:
        for name, path in modules_of(package).items():
            source = path.read_text(encoding="utf-8")
            for imported in imported_names(source, name, is_package=path.stem == "__init__"):
                if imported.partition(".")[0] in PACKAGES and cut(imported) != cut(name):
                    found.add((cut(name), cut(imported)))
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.import_graph", description=__doc__)
    parser.add_argument("packages", nargs="*", default=list(PACKAGES))
    parser.add_argument("--depth", type=int, default=1, help="parts of a module name kept")
    parser.add_argument("--dot", action="store_true", help="Graphviz output")
    arguments = parser.parse_args(argv)
    found = sorted(edges(arguments.packages, arguments.depth))
    if arguments.dot:
        print("digraph imports {\n  rankdir=LR;")
        print("\n".join(f'  "{importer}" -> "{imported}";' for importer, imported in found))
        print("}")
    else:
        print("\n".join(f"{importer} -> {imported}" for importer, imported in found))


if __name__ == "__main__":
    main()
