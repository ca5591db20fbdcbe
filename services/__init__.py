"""The domain: registration, login, recovery, pupils, import, messaging. Never imports Textual."""

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
