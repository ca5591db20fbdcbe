"""What the school reads: the accounts of an establishment, activation rates, disputed links
and the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import ValidationError

from services.admin.base import AdminBase
from services.admin.states import AccountState, account_state, class_key
from services.names import normalize_name
from services.pupils import printed_validity
from store import Records
from store.records import (
    Account,
    AccountKind,
    AccountStatus,
    AuditEvent,
    Guardian,
    LinkState,
    Pupil,
)

__all__ = [
    "AccountListing",
    "AccountRow",
    "DisputedLink",
    "EstablishmentStats",
    "GroupStats",
    "Rate",
]


@dataclass(frozen=True)
class AccountRow:
    """One pupil or guardian of one establishment, with their account if any."""

    kind: AccountKind
    person_id: str
    nom: str
    prenom: str
    uai: str
    etablissement: str
    # A pupil's class; for a guardian, the classes of their children in this establishment.
    classes: tuple[str, ...]
    identifiant: str | None
    state: AccountState
    # Activated at least once (still true while locked).
    activated: bool
    # The last valid day of the provisional password, as printed on the notice.
    provisional_until: date | None
    # The later of the activation and the last login.
    last_activity_at: datetime | None


@dataclass(frozen=True)
class Rate:
    activated: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.activated / self.total) if self.total else 0


@dataclass(frozen=True)
class GroupStats:
    classe: str
    pupils: Rate
    guardians: Rate


@dataclass(frozen=True)
class EstablishmentStats:
    uai: str
    nom: str
    pupils: Rate
    guardians: Rate
    classes: tuple[GroupStats, ...]


@dataclass(frozen=True)
class DisputedLink:
    """A guardian answered « Non » for this pupil at step 6: the school should check it."""

    guardian_id: str
    guardian_nom: str
    guardian_prenom: str
    pupil_id: str
    pupil_nom: str
    pupil_prenom: str
    classe: str
    uai: str
    etablissement: str
    disputed_at: datetime | None


class AccountListing(AdminBase):
    """The reading part of ``AdminService``: nothing here changes the store."""

    def accounts(
        self,
        *,
        uai: str | None = None,
        classe: str | None = None,
        state: AccountState | None = None,
        kind: AccountKind | None = None,
    ) -> tuple[AccountRow, ...]:
        """Pupils and guardians, per establishment, sorted by establishment, profile (pupils
        first), class and name. ``classe`` ignores case and surrounding spaces."""
        rows = _rows(Records(self._store.snapshot()), self._clock.now())
        wanted_class = class_key(classe) if classe is not None else None
        return tuple(
            row
            for row in rows
            if (uai is None or row.uai == uai)
            and (wanted_class is None or wanted_class in {class_key(c) for c in row.classes})
            and (state is None or row.state is state)
            and (kind is None or row.kind is kind)
        )

    def stats(self, *, uai: str | None = None) -> tuple[EstablishmentStats, ...]:
        """Activation rates of pupils and guardians, per establishment and per class."""
        rows = self.accounts(uai=uai)
        schools: dict[str, str] = {}
        for row in rows:
            schools.setdefault(row.uai, row.etablissement)
        result = []
        for code, nom in sorted(schools.items()):
            here = [row for row in rows if row.uai == code]
            pupils = [row for row in here if row.kind is AccountKind.PUPIL]
            guardians = [row for row in here if row.kind is AccountKind.GUARDIAN]
            classes = sorted({c for row in pupils for c in row.classes}, key=class_key)
            result.append(
                EstablishmentStats(
                    uai=code,
                    nom=nom,
                    pupils=_rate(pupils),
                    guardians=_rate(guardians),
                    classes=tuple(
                        GroupStats(
                            classe=name,
                            pupils=_rate(r for r in pupils if name in r.classes),
                            guardians=_rate(r for r in guardians if name in r.classes),
                        )
                        for name in classes
                    ),
                )
            )
        return tuple(result)

    def disputes(self, *, uai: str | None = None) -> tuple[DisputedLink, ...]:
        """Links a guardian disputed at step 6, most recent first."""
        records = Records(self._store.snapshot())
        pupils = {p.id: p for p in records.pupils.all()}
        guardians = {g.id: g for g in records.guardians.all()}
        schools = {e.uai: e.nom for e in records.establishments.all()}
        found = []
        for link in records.links.find(state=LinkState.DISPUTED.value):
            pupil, guardian = pupils.get(link.pupil_id), guardians.get(link.guardian_id)
            if pupil is None or guardian is None or (uai is not None and pupil.uai != uai):
                continue
            found.append(
                DisputedLink(
                    guardian_id=guardian.id,
                    guardian_nom=guardian.nom,
                    guardian_prenom=guardian.prenom,
                    pupil_id=pupil.id,
                    pupil_nom=pupil.nom,
                    pupil_prenom=pupil.prenom,
                    classe=pupil.classe,
                    uai=pupil.uai,
                    etablissement=schools.get(pupil.uai, pupil.uai),
                    disputed_at=link.changed_at,
                )
            )
        return tuple(
            sorted(
                found,
                key=lambda d: (d.disputed_at.timestamp() if d.disputed_at else 0.0, d.pupil_id),
                reverse=True,
            )
        )

    def audit(self, *, limit: int = 50) -> tuple[AuditEvent, ...]:
        """The ``limit`` most recent audit events, most recent first."""
        events: list[AuditEvent] = []
        for record in reversed(self._store.audit_log.read()):
            if len(events) >= limit:
                break
            try:
                events.append(AuditEvent.model_validate(record))
            except ValidationError:
                # A line from a newer version of the tool: the others are still worth showing.
                continue
        return tuple(events)


def _rate(rows: Iterable[AccountRow]) -> Rate:
    listed = list(rows)
    return Rate(sum(1 for row in listed if row.activated), len(listed))


def _rows(records: Records, now: datetime) -> list[AccountRow]:
    schools = {e.uai: e.nom for e in records.establishments.all()}
    accounts = {(a.kind, a.owner_id): a for a in records.accounts.all()}
    pupils = {p.id: p for p in records.pupils.all()}
    guardians = {g.id: g for g in records.guardians.all()}
    # A guardian belongs to every establishment where one of their children is.
    classes_of: dict[tuple[str, str], set[str]] = {}
    for link in records.links.all():
        pupil = pupils.get(link.pupil_id)
        if pupil is not None and link.guardian_id in guardians:
            classes_of.setdefault((link.guardian_id, pupil.uai), set()).add(pupil.classe)
    rows = [
        _row(AccountKind.PUPIL, p, p.uai, (p.classe,), schools, accounts, now)
        for p in pupils.values()
    ]
    rows.extend(
        _row(
            AccountKind.GUARDIAN,
            guardians[guardian_id],
            code,
            tuple(sorted(classes, key=class_key)),
            schools,
            accounts,
            now,
        )
        for (guardian_id, code), classes in classes_of.items()
    )
    rows.sort(
        key=lambda r: (
            r.uai,
            r.kind is AccountKind.GUARDIAN,
            tuple(class_key(c) for c in r.classes),
            normalize_name(r.nom),
            normalize_name(r.prenom),
            r.person_id,
        )
    )
    return rows


def _row(
    kind: AccountKind,
    person: Pupil | Guardian,
    uai: str,
    classes: tuple[str, ...],
    schools: dict[str, str],
    accounts: dict[tuple[AccountKind, str], Account],
    now: datetime,
) -> AccountRow:
    account = accounts.get((kind, person.id))
    state = account_state(account, now)
    moments = [m for m in (account.activated_at, account.last_login_at) if m] if account else []
    return AccountRow(
        kind=kind,
        person_id=person.id,
        nom=person.nom,
        prenom=person.prenom,
        uai=uai,
        etablissement=schools.get(uai, uai),
        classes=classes,
        identifiant=account.identifiant if account else None,
        state=state,
        activated=account is not None and account.status is AccountStatus.ACTIVE,
        provisional_until=(
            printed_validity(account.provisional_until)
            if account is not None
            and account.status is AccountStatus.PROVISIONAL
            and account.provisional_until is not None
            else None
        ),
        last_activity_at=max(moments) if moments else None,
    )
