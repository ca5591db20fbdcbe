"""Names of a package loaded on first use, so that importing the package costs nothing.

Each SSH session is a new process, and its first screen must not wait for pydantic, TinyDB,
phonenumbers or passlib: ``from store import StoreError`` should load ``store.errors`` and
nothing else. The packages ``store``, ``services`` and ``tui.screens`` list where each of
their public names lives and let this module import it when it is first asked for (PEP 562).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping

__all__ = ["lazy_names"]


def lazy_names(package: str, modules: Mapping[str, str]) -> Callable[[str], object]:
    """The module-level ``__getattr__`` of ``package``: each name of ``modules`` is imported
    from the module it maps to on first use, then kept in the package like an ordinary name."""
    namespace = sys.modules[package].__dict__

    def load(name: str) -> object:
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    return load
