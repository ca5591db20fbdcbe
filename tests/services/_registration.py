"""The guardian registration as the services tests walk it: the demo guardians, their SMS
codes, the audit log."""

from __future__ import annotations

import re
from typing import Any

from services import Services
from store import Records
from store.records import LinkState

CODE_IN_SMS = re.compile(r"code d'activation est ([A-Z]{6})")
ANY_CODE = re.compile(r"\b[A-HJ-NP-Z]{6}\b")
PASSWORD = "Cerf-volant-2026!"

# (nom, prénom, portable) as each demo family's guardian types them.
MARTIN = ("Martin", "Sophie", "06 12 34 56 78")
BERNARD = ("Bernard", "Thomas", "06 23 45 67 89")
LEFEVRE = ("Lefèvre", "Jean-Édouard", "06 56 78 90 12")
NDIAYE = ("N'Diaye", "Aminata", "06 67 89 01 23")
MOREAU = ("Moreau", "Claire", "06 45 12 34 56")


def audit(services: Services) -> list[dict[str, Any]]:
    return services.store.audit_log.read()


def events(services: Services, event: str) -> list[dict[str, Any]]:
    return [record for record in audit(services) if record["event"] == event]


def sms_code(services: Services, phone: str) -> str:
    match = CODE_IN_SMS.search(services.outbox.messages(to=phone)[-1].text)
    assert match, "the last SMS carries no activation code"
    return match.group(1)


def verified(services: Services, identity: tuple[str, str, str]) -> str:
    """The token of a registration that got to step 6 (code accepted)."""
    started = services.registration.start(*identity)
    services.registration.send_code(started.token)
    services.registration.verify_code(started.token, sms_code(services, started.phone))
    return started.token


def link_state(services: Services, guardian_id: str, pupil_id: str) -> LinkState:
    link = Records(services.store.snapshot()).links.get(guardian_id=guardian_id, pupil_id=pupil_id)
    assert link is not None
    return link.state
