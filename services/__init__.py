"""The domain: registration, login, recovery, pupils, import, messaging. Never imports Textual.

The names below are loaded on first use (PEP 562): ``from services import ServiceError`` costs
only ``services.errors``, so the app can show its first screen before pydantic, phonenumbers,
passlib and the store are imported (each SSH session starts a new process).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.lazy import lazy_names

if TYPE_CHECKING:
    from services.clock import Clock, ManualClock, SystemClock
    from services.container import Services, build_services
    from services.errors import ServiceError
    from services.settings import PasswordHashing, Settings

__all__ = [
    "Clock",
    "ManualClock",
    "PasswordHashing",
    "ServiceError",
    "Services",
    "Settings",
    "SystemClock",
    "build_services",
]

_MODULES = {
    "Clock": "services.clock",
    "ManualClock": "services.clock",
    "PasswordHashing": "services.settings",
    "ServiceError": "services.errors",
    "Services": "services.container",
    "Settings": "services.settings",
    "SystemClock": "services.clock",
    "build_services": "services.container",
}

__getattr__ = lazy_names(__name__, _MODULES)
