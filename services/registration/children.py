"""Step 6 of the guide: the pupils linked to the guardian, each confirmed by a date of birth
or disputed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict

from services.audit import record_event
from services.errors import (
    BirthDateMismatch,
    ErrorCode,
    InvalidInput,
    NoChildConfirmed,
    ServiceError,
    SingleLinkRule,
    TooManyBirthDates,
)
from services.forms import parse_birth_date
from services.i18n import _, ngettext
from services.identifiants import TakenIn, next_identifiant
from services.registration.base import RegistrationSteps, guardian_account, registered_guardian
from store import Records, TransactionView
from store.records import (
    Account,
    AccountKind,
    AccountStatus,
    Link,
    LinkState,
    Registration,
    RegistrationStage,
)

__all__ = [
    "ChildAnswer",
    "ChildView",
    "ChildrenConfirmed",
    "ChildrenStep",
    "ChildrenToConfirm",
    "children_to_confirm",
    "link_state",
]


class ChildAnswer(BaseModel):
    """One row of step 6: « Je suis le représentant légal de cet élève ? » and « né(e) le »."""

    model_config = ConfigDict(frozen=True)

    pupil_id: str
    is_guardian: bool
    birth_date: str = ""


@dataclass(frozen=True)
class ChildView:
    pupil_id: str
    nom: str
    prenom: str
    etablissement: str
    classe: str


@dataclass(frozen=True)
class ChildrenToConfirm:
    children: tuple[ChildView, ...]

    @property
    def single_link(self) -> bool:
        return len(self.children) == 1


@dataclass(frozen=True)
class ChildrenConfirmed:
    identifiant: str
    confirmed: tuple[str, ...]
    disputed: tuple[str, ...]


class ChildrenStep(RegistrationSteps):
    """The part of ``RegistrationService`` between the code and the password."""

    def children(self, token: str) -> ChildrenToConfirm:
        records = Records(self._store.snapshot())
        registration = self._open_registration(records, token, RegistrationStage.CODE_VERIFIED)
        return ChildrenToConfirm(children_to_confirm(records, registration.guardian_id))

    def confirm_children(self, token: str, answers: list[ChildAnswer]) -> ChildrenConfirmed:
        refusal: ServiceError | None = None
        with self._store.transaction() as tx:
            records = Records(tx)
            registration = self._open_registration(records, token, RegistrationStage.CODE_VERIFIED)
            listed = children_to_confirm(records, registration.guardian_id)
            by_pupil = {answer.pupil_id: answer for answer in answers}
            dates = self._check_answers(listed, by_pupil)
            guardian_id = registration.guardian_id
            mismatched = tuple(
                child.pupil_id
                for child in listed
                if child.pupil_id in dates
                and _birth_date(records, child.pupil_id) != dates[child.pupil_id]
            )
            if mismatched:
                failures = registration.birth_date_failures + 1
                remaining = self._settings.birth_date_max_failures - failures
                record_event(
                    tx,
                    self._clock,
                    "birth_date_failed",
                    guardian_id=guardian_id,
                    detail=f"essai {failures}",
                )
                if remaining <= 0:
                    update: dict[str, object] = {
                        "birth_date_failures": failures,
                        "stage": RegistrationStage.ABANDONED,
                    }
                    record_event(
                        tx,
                        self._clock,
                        "registration_ended",
                        guardian_id=guardian_id,
                        detail=_("trop de dates de naissance erronées"),
                    )
                    refusal = TooManyBirthDates(
                        self._next_start_at(records, guardian_id, registration.phone)
                    )
                else:
                    update = {"birth_date_failures": failures}
                    refusal = BirthDateMismatch(mismatched, remaining)
                records.registrations.put(registration.model_copy(update=update))
            else:
                return_value = self._attach(records, tx, registration, listed, by_pupil)
        if refusal is not None:
            raise refusal
        return return_value

    def _check_answers(
        self, listed: tuple[ChildView, ...], by_pupil: dict[str, ChildAnswer]
    ) -> dict[str, date]:
        """Everything that is refused without counting an attempt; the dates to compare."""
        dates: dict[str, date] = {}
        for child in listed:
            answer = by_pupil.get(child.pupil_id)
            if answer is None:
                raise InvalidInput(
                    ErrorCode.ANSWER_MISSING,
                    field=f"eleve:{child.pupil_id}",
                    prenom=child.prenom,
                    nom=child.nom,
                )
            if answer.is_guardian:
                dates[child.pupil_id] = parse_birth_date(
                    answer.birth_date, field=f"naissance:{child.pupil_id}"
                )
        if len(listed) == 1 and not dates:
            raise SingleLinkRule()
        if not dates:
            raise NoChildConfirmed()
        return dates

    def _attach(
        self,
        records: Records,
        tx: TransactionView,
        registration: Registration,
        listed: tuple[ChildView, ...],
        by_pupil: dict[str, ChildAnswer],
    ) -> ChildrenConfirmed:
        now = self._clock.now()
        guardian_id = registration.guardian_id
        confirmed: list[str] = []
        disputed: list[str] = []
        for child in listed:
            state = (
                LinkState.CONFIRMED if by_pupil[child.pupil_id].is_guardian else LinkState.DISPUTED
            )
            records.links.put(
                Link(guardian_id=guardian_id, pupil_id=child.pupil_id, state=state, changed_at=now)
            )
            (confirmed if state is LinkState.CONFIRMED else disputed).append(child.pupil_id)
            if state is LinkState.DISPUTED:
                record_event(
                    tx,
                    self._clock,
                    "link_disputed",
                    guardian_id=guardian_id,
                    detail=_("élève %(pupil)s") % {"pupil": child.pupil_id},
                )
        account = guardian_account(records, guardian_id)
        if account is None:
            guardian = registered_guardian(records, guardian_id)
            identifiant = next_identifiant(guardian.nom, guardian.prenom, TakenIn(records))
            records.accounts.put(
                Account(
                    identifiant=identifiant,
                    kind=AccountKind.GUARDIAN,
                    owner_id=guardian_id,
                    status=AccountStatus.PENDING_PASSWORD,
                    created_at=now,
                )
            )
        else:
            identifiant = account.identifiant
        records.registrations.put(
            registration.model_copy(
                update={"stage": RegistrationStage.CHILDREN_CONFIRMED, "identifiant": identifiant}
            )
        )
        record_event(
            tx,
            self._clock,
            "children_confirmed",
            guardian_id=guardian_id,
            identifiant=identifiant,
            detail=ngettext("%(count)d confirmé", "%(count)d confirmés", len(confirmed))
            % {"count": len(confirmed)},
        )
        return ChildrenConfirmed(identifiant, tuple(confirmed), tuple(disputed))


def link_state(records: Records, guardian_id: str, pupil_id: str) -> LinkState | None:
    link = records.links.get(guardian_id=guardian_id, pupil_id=pupil_id)
    return None if link is None else link.state


def _birth_date(records: Records, pupil_id: str) -> date | None:
    pupil = records.pupils.get(id=pupil_id)
    return None if pupil is None else pupil.naissance


def children_to_confirm(records: Records, guardian_id: str) -> tuple[ChildView, ...]:
    """The pupils to show at step 6: every link of this guardian not already disputed."""
    children = []
    for link in records.links.find(guardian_id=guardian_id):
        if link.state is LinkState.DISPUTED:
            continue
        pupil = records.pupils.get(id=link.pupil_id)
        if pupil is None:
            continue
        school = records.establishments.get(uai=pupil.uai)
        children.append(
            ChildView(
                pupil_id=pupil.id,
                nom=pupil.nom,
                prenom=pupil.prenom,
                etablissement=school.nom if school else pupil.uai,
                classe=pupil.classe,
            )
        )
    return tuple(sorted(children, key=lambda c: (c.nom, c.prenom, c.pupil_id)))
