"""The journey table (`tui/journey.py`): the guide's order as data, checked without Textual."""

from __future__ import annotations

import pytest

from services.recovery import ResetChannel
from tui.journey import (
    ANY_STEP,
    JOURNEY,
    AccountAlreadyActive,
    BackTo,
    BackToLogin,
    ChildrenConfirmed,
    CodeAccepted,
    CodeSent,
    EmailConfirmed,
    EntChosen,
    EntProfileChosen,
    Forward,
    Instead,
    LoggedIn,
    Move,
    NoAccount,
    NoRoute,
    Notice,
    Outcome,
    PasswordChosen,
    PasswordForgotten,
    ProfileChosen,
    RegistrationAbandoned,
    RegistrationRestarted,
    RegistrationStarted,
    Replace,
    ResetCodeSent,
    Step,
    VisitFinished,
    next_move,
    payload,
)


def target(move: Move) -> Step:
    """The step a move shows."""
    return move.step


def walk(start: Step, outcomes: list[Outcome]) -> list[Step]:
    """The steps shown, from ``start``, when each step ends with the next outcome."""
    steps = [start]
    for outcome in outcomes:
        steps.append(target(next_move(steps[-1], outcome)))
    return steps


class TestTheGuidesOrder:
    def test_a_guardian_registers_in_the_guides_order(self) -> None:
        """From the collège's ENT to « Votre compte est activé », the table gives the guide's
        steps 1, 1.1, 1.2, 2, 3, 4, 5, 6, 7 and 8 in that order."""
        outcomes: list[Outcome] = [
            EntChosen(),
            EntProfileChosen(),
            ProfileChosen(),
            NoAccount(),
            RegistrationStarted(),
            CodeSent(),
            CodeAccepted(to_confirm=None),  # type: ignore[arg-type]
            ChildrenConfirmed(context=None),  # type: ignore[arg-type]
            PasswordChosen(activated=None),  # type: ignore[arg-type]
        ]
        assert walk(Step.ENTRY, outcomes) == [
            Step.ENTRY,
            Step.ENT_PROFILE,
            Step.EDUCONNECT_PROFILE,
            Step.AUTHENTICATION,
            Step.ACTIVATION,
            Step.SMS_CONFIRMATION,
            Step.ACTIVATION_CODE,
            Step.CHILDREN,
            Step.PASSWORD,
            Step.ACCOUNT_ACTIVATED,
        ]

    def test_finishing_starts_a_new_visit_at_step_1(self) -> None:
        """« Terminer » goes back to step 1 and puts a new one in its place."""
        assert next_move(Step.ACCOUNT_ACTIVATED, VisitFinished()) == Replace(Step.ENTRY, Step.ENTRY)

    def test_every_step_can_be_reached_from_step_1(self) -> None:
        """Following the table from step 1 reaches every step: none is left without a way
        in."""
        reached = {Step.ENTRY}
        growing = True
        while growing:
            before = len(reached)
            for (step, _), move in JOURNEY.items():
                if step is ANY_STEP or step in reached:
                    reached.add(target(move))
            growing = len(reached) > before
        assert reached == set(Step)

    def test_step_names_are_plain_words(self) -> None:
        """Step names are what a line mode prints and a transcript records: lower-case
        words joined by hyphens, one per step."""
        names = [step.value for step in Step]
        assert len(set(names)) == len(names)
        assert all(name.replace("-", "").isalpha() and name.islower() for name in names)


class TestRulesForAnyStep:
    def test_an_ended_session_leads_back_to_login_from_any_step(self) -> None:
        """« Back to the login screen » is one rule, whichever step the session ended on."""
        for step in (Step.SERVICES, Step.ACCOUNT, Step.EMAIL_CODE, Step.IDENTITY_CHECK):
            assert next_move(step, BackToLogin()) == BackTo(Step.AUTHENTICATION)

    def test_a_steps_own_row_wins_over_the_rule_for_any_step(self) -> None:
        """« Recommencer l'activation » goes back to step 3, but FranceConnect's first use
        goes back to its own mobile step, which still holds the identity."""
        assert next_move(Step.ACTIVATION_CODE, RegistrationRestarted()) == BackTo(Step.ACTIVATION)
        assert next_move(Step.FC_CODE, RegistrationRestarted()) == BackTo(Step.FC_MOBILE)
        assert next_move(Step.FC_CHILDREN, RegistrationRestarted()) == BackTo(Step.FC_MOBILE)

    def test_abandoning_the_registration_leads_back_to_login(self) -> None:
        """« Abandonner » at steps 6 and 7 (and at FranceConnect's children) leads to step 2."""
        for step in (Step.CHILDREN, Step.PASSWORD, Step.FC_CHILDREN):
            assert next_move(step, RegistrationAbandoned()) == BackTo(Step.AUTHENTICATION)

    def test_an_account_already_active_replaces_the_registration(self) -> None:
        """The right code of an active account (step 5, or any later call on that ended
        registration) shows the account's screen in place of steps 3 to 5: Escape there is
        the login page; « Mot de passe oublié ? » opens over it, « Se connecter » goes back."""
        for step in (Step.ACTIVATION_CODE, Step.CHILDREN, Step.PASSWORD):
            assert next_move(step, AccountAlreadyActive("c.moreau1")) == Replace(
                Step.ACTIVATION, Step.EXISTING_ACCOUNT
            )
        assert next_move(Step.EXISTING_ACCOUNT, PasswordForgotten("c.moreau1")) == Forward(
            Step.FORGOT_PASSWORD
        )
        assert next_move(Step.EXISTING_ACCOUNT, BackToLogin("c.moreau1")) == BackTo(
            Step.AUTHENTICATION
        )
        assert payload(AccountAlreadyActive("c.moreau1")) == ["c.moreau1"]

    def test_an_outcome_a_step_cannot_have_is_refused_by_name(self) -> None:
        """A screen ending with an outcome the table does not foresee there is a bug, said
        with the step and the outcome."""
        with pytest.raises(NoRoute, match="entry: LoggedIn"):
            next_move(Step.ENTRY, LoggedIn())


class TestTheSameOutcomeOnDifferentSteps:
    def test_a_code_accepted_leads_to_the_children_of_its_own_path(self) -> None:
        """The registration and FranceConnect's first use share the code step's outcome; the
        table sends each to its own children step."""
        accepted = CodeAccepted(to_confirm=None)  # type: ignore[arg-type]
        assert next_move(Step.ACTIVATION_CODE, accepted) == Forward(Step.CHILDREN)
        assert next_move(Step.FC_CODE, accepted) == Forward(Step.FC_CHILDREN)

    def test_a_confirmed_address_returns_to_the_account_or_opens_the_services(self) -> None:
        """From « Mon compte » a confirmed address goes back there; at a pupil's first login
        it opens the services in place of the provisional steps."""
        assert next_move(Step.EMAIL_CODE, EmailConfirmed()) == BackTo(Step.ACCOUNT)
        assert next_move(Step.PUPIL_EMAIL, EmailConfirmed()) == Instead(Step.SERVICES)


class TestPayload:
    def test_the_payload_is_the_outcomes_own_fields_in_order(self) -> None:
        """What the next step is built with: the outcome's fields in their order."""
        sent = ResetCodeSent("j.dupont1", ResetChannel.EMAIL, "Demande enregistrée")
        assert payload(sent) == ["j.dupont1", ResetChannel.EMAIL, "Demande enregistrée"]

    def test_the_notice_is_not_part_of_the_payload(self) -> None:
        """The notice is shown by the app once the move is made, never given to a screen."""
        notice = Notice("Adresse e-mail confirmée", "Votre adresse e-mail est confirmée.")
        confirmed = EmailConfirmed(notice=notice)
        assert payload(confirmed) == []
        assert confirmed.notice == notice
        assert payload(BackToLogin("j.dupont1", notice=notice)) == ["j.dupont1"]

    def test_outcomes_are_values(self) -> None:
        """Two outcomes with the same fields are equal, and none can be changed afterwards."""
        assert BackToLogin("a") == BackToLogin("a")
        with pytest.raises(AttributeError):
            BackToLogin("a").identifiant = "b"  # type: ignore[misc]
