"""Step 6 through the services: each linked child confirmed by date of birth, « Non » and the
single-link rule, at least one child."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services import ManualClock, Services
from services.errors import (
    SINGLE_LINK_SENTENCE,
    BirthDateMismatch,
    InvalidInput,
    NoChildConfirmed,
    RegistrationEnded,
    ServiceError,
    SingleLinkRule,
    TooManyBirthDates,
)
from services.formatting import hour
from services.registration import ChildAnswer
from store import Records
from store.records import LinkState
from tests.services._registration import (
    BERNARD,
    MARTIN,
    PASSWORD,
    audit,
    events,
    link_state,
    verified,
)


class TestChildren:
    def test_every_linked_pupil_is_listed_with_school(self, demo_services: Services) -> None:
        """Step 6 lists each pupil linked to the guardian with name, school and class."""
        token = verified(demo_services, MARTIN)
        children = demo_services.registration.children(token).children
        assert [(c.pupil_id, c.prenom, c.nom, c.etablissement, c.classe) for c in children] == [
            ("E002", "Emma", "Martin", "LGT Jean Monnet", "1G2"),
            ("E001", "Lucas", "Martin", "CLG Frédéric Bazille", "4B"),
        ]
        assert not demo_services.registration.children(token).single_link

    def test_single_link_is_flagged(self, demo_services: Services) -> None:
        """A guardian with one pupil is told so (the screen shows the guide's sentence)."""
        token = verified(demo_services, BERNARD)
        assert demo_services.registration.children(token).single_link

    @pytest.mark.parametrize("typed", ["14/03/2012", "14032012", "14-03-2012", "14.03.2012"])
    def test_right_dates_in_any_usual_form_confirm(
        self, demo_services: Services, typed: str
    ) -> None:
        """The date of birth is accepted as JJ/MM/AAAA or typed without separators."""
        token = verified(demo_services, MARTIN)
        confirmed = demo_services.registration.confirm_children(
            token,
            [
                ChildAnswer(pupil_id="E001", is_guardian=True, birth_date=typed),
                ChildAnswer(pupil_id="E002", is_guardian=True, birth_date="05/09/2008"),
            ],
        )
        assert confirmed.confirmed == ("E002", "E001")
        assert confirmed.disputed == ()
        assert confirmed.identifiant == "s.martin1"

    def test_guide_example_form_22012005(self, demo_services: Services) -> None:
        """The guide's own example, ``22/01/2005``, also works as ``22012005`` (Léa Bernard
        was born 22/01/2014)."""
        token = verified(demo_services, BERNARD)
        confirmed = demo_services.registration.confirm_children(
            token, [ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="22012014")]
        )
        assert confirmed.confirmed == ("E003",)

    def test_wrong_date_names_the_pupil_and_counts_down(self, demo_services: Services) -> None:
        """A wrong date says which pupil and how many tries are left; nothing is attached."""
        token = verified(demo_services, MARTIN)
        with pytest.raises(BirthDateMismatch) as refused:
            demo_services.registration.confirm_children(
                token,
                [
                    ChildAnswer(pupil_id="E001", is_guardian=True, birth_date="15/03/2012"),
                    ChildAnswer(pupil_id="E002", is_guardian=True, birth_date="05/09/2008"),
                ],
            )
        assert refused.value.pupil_ids == ("E001",)
        assert refused.value.remaining == 2
        assert "Il vous reste 2 essais" in refused.value.message
        assert link_state(demo_services, "R001", "E002") is LinkState.PENDING

    def test_three_wrong_dates_end_the_registration(self, demo_services: Services) -> None:
        """The third wrong date ends the registration; any further call is refused."""
        token = verified(demo_services, BERNARD)
        wrong = [ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="01/01/2014")]
        remaining = []
        for _ in range(2):
            with pytest.raises(BirthDateMismatch) as refused:
                demo_services.registration.confirm_children(token, wrong)
            remaining.append(refused.value.remaining)
        assert remaining == [2, 1]
        with pytest.raises(RegistrationEnded, match="Trop de dates de naissance"):
            demo_services.registration.confirm_children(token, wrong)
        right = [ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="22/01/2014")]
        with pytest.raises(RegistrationEnded):
            demo_services.registration.confirm_children(token, right)
        with pytest.raises(RegistrationEnded):
            demo_services.registration.children(token)
        assert events(demo_services, "registration_ended")

    def test_the_end_says_a_new_try_can_start_now(self, demo_services: Services) -> None:
        """The first registration ended by three wrong dates: a new one can start at once,
        and the refusal says so."""
        token = verified(demo_services, BERNARD)
        refused = _three_wrong_dates(demo_services, token)
        assert refused.next_at is None
        assert "dès maintenant" in refused.message
        demo_services.registration.start(*BERNARD)

    def test_the_end_says_from_when_once_the_starts_are_used(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """When the guardian's registrations in progress are used up, the refusal gives the
        time from which a new start is accepted, and a start before it is refused."""
        first_at = clock.now()
        limit = demo_services.settings.max_live_registrations_per_guardian
        for _ in range(limit):
            refused = _three_wrong_dates(demo_services, verified(demo_services, BERNARD))
            clock.advance(timedelta(minutes=2))
        next_at = first_at + demo_services.settings.start_window
        assert refused.next_at == next_at
        assert f"à partir de {hour(next_at)}" in refused.message
        with pytest.raises(ServiceError):
            demo_services.registration.start(*BERNARD)
        clock.advance(next_at - clock.now())
        demo_services.registration.start(*BERNARD)

    def test_impossible_date_is_not_an_attempt(self, demo_services: Services) -> None:
        """31/02 is a typing error, not a guess: it is refused beside the field and costs no
        attempt."""
        token = verified(demo_services, BERNARD)
        with pytest.raises(InvalidInput) as refused:
            demo_services.registration.confirm_children(
                token, [ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="31/02/2014")]
            )
        assert refused.value.field == "naissance:E003"
        with pytest.raises(BirthDateMismatch) as mismatch:
            demo_services.registration.confirm_children(
                token, [ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="01/02/2014")]
            )
        assert mismatch.value.remaining == 2

    def test_non_records_a_disputed_link_and_does_not_attach(self, demo_services: Services) -> None:
        """« Non » for one of two pupils: the link is recorded as disputed for the school,
        audited, and that pupil is not in the activated account."""
        token = verified(demo_services, MARTIN)
        confirmed = demo_services.registration.confirm_children(
            token,
            [
                ChildAnswer(pupil_id="E001", is_guardian=True, birth_date="14/03/2012"),
                ChildAnswer(pupil_id="E002", is_guardian=False),
            ],
        )
        assert confirmed.confirmed == ("E001",)
        assert confirmed.disputed == ("E002",)
        assert link_state(demo_services, "R001", "E002") is LinkState.DISPUTED
        assert link_state(demo_services, "R001", "E001") is LinkState.CONFIRMED
        assert events(demo_services, "link_disputed")[-1]["detail"] == "élève E002"
        activated = demo_services.registration.set_password(token, PASSWORD, PASSWORD)
        assert [child.pupil_id for child in activated.children] == ["E001"]

    def test_non_on_the_only_link_is_not_taken_into_account(self, demo_services: Services) -> None:
        """With a single pupil, « Non » is refused with the guide's sentence and nothing is
        recorded: the link stays as the school made it."""
        token = verified(demo_services, BERNARD)
        audit_before = len(audit(demo_services))
        with pytest.raises(SingleLinkRule) as refused:
            demo_services.registration.confirm_children(
                token, [ChildAnswer(pupil_id="E003", is_guardian=False)]
            )
        assert SINGLE_LINK_SENTENCE in refused.value.message
        assert (
            "S'il y a un seul lien responsable-élève, l'action ne sera pas prise en compte"
            in refused.value.message
        )
        assert link_state(demo_services, "R002", "E003") is LinkState.PENDING
        assert len(audit(demo_services)) == audit_before

    def test_at_least_one_pupil_confirmed(self, demo_services: Services) -> None:
        """« Non » for every pupil is refused: an account needs at least one confirmed pupil,
        and no link is changed."""
        token = verified(demo_services, MARTIN)
        with pytest.raises(NoChildConfirmed):
            demo_services.registration.confirm_children(
                token,
                [
                    ChildAnswer(pupil_id="E001", is_guardian=False),
                    ChildAnswer(pupil_id="E002", is_guardian=False),
                ],
            )
        assert link_state(demo_services, "R001", "E001") is LinkState.PENDING
        assert link_state(demo_services, "R001", "E002") is LinkState.PENDING

    def test_every_listed_pupil_needs_an_answer(self, demo_services: Services) -> None:
        """Leaving a pupil unanswered is pointed out beside that pupil, at no cost."""
        token = verified(demo_services, MARTIN)
        with pytest.raises(InvalidInput) as refused:
            demo_services.registration.confirm_children(
                token, [ChildAnswer(pupil_id="E001", is_guardian=True, birth_date="14/03/2012")]
            )
        assert refused.value.field == "eleve:E002"

    def test_answers_for_other_pupils_are_ignored(self, demo_services: Services) -> None:
        """An answer about a pupil who is not this guardian's (a forged id) attaches
        nothing."""
        token = verified(demo_services, BERNARD)
        confirmed = demo_services.registration.confirm_children(
            token,
            [
                ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="22/01/2014"),
                ChildAnswer(pupil_id="E001", is_guardian=True, birth_date="14/03/2012"),
            ],
        )
        assert confirmed.confirmed == ("E003",)
        assert (
            Records(demo_services.store.snapshot()).links.get(guardian_id="R002", pupil_id="E001")
            is None
        )


def _three_wrong_dates(services: Services, token: str) -> TooManyBirthDates:
    wrong = [ChildAnswer(pupil_id="E003", is_guardian=True, birth_date="01/01/2014")]
    for _ in range(services.settings.birth_date_max_failures - 1):
        with pytest.raises(BirthDateMismatch):
            services.registration.confirm_children(token, wrong)
    with pytest.raises(TooManyBirthDates) as refused:
        services.registration.confirm_children(token, wrong)
    return refused.value
