"""Security-relevant events, appended when their transaction commits. Never a secret in them."""

from __future__ import annotations

from services.clock import Clock
from store import TransactionView
from store.records import AuditEvent

__all__ = ["record_event"]


def record_event(
    tx: TransactionView,
    clock: Clock,
    event: str,
    *,
    guardian_id: str | None = None,
    identifiant: str | None = None,
    detail: str = "",
) -> None:
    tx.audit(
        AuditEvent(
            at=clock.now(),
            event=event,
            guardian_id=guardian_id,
            identifiant=identifiant,
            detail=detail,
        ).model_dump(mode="json")
    )
