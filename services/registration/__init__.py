"""The guardian's self-registration by SMS, steps 3 to 7 of the guide.

A registration is a sequence of calls over a token the screen keeps:
``start`` → ``send_code`` → ``verify_code`` (which ends there, with ``ExistingAccount``, for
a guardian whose account is already active) → ``children`` / ``confirm_children`` →
``set_password``. Each call is one store transaction; every refusal is a ``ServiceError``
carrying the French sentence to show. Counters (wrong codes, wrong dates of birth) are
committed before the refusal is raised, so they cannot be reset by an error.

One module per part of the guide: ``activation`` (steps 3 to 5), ``children`` (step 6),
``password`` (step 7); ``RegistrationService`` is all of them over one store.
"""

from __future__ import annotations

from services.passwords import PasswordContext
from services.registration.activation import (
    ActivationSteps,
    CodeSent,
    ExistingAccount,
    IdentityForm,
    RegistrationStarted,
)
from services.registration.children import (
    ChildAnswer,
    ChildrenConfirmed,
    ChildrenStep,
    ChildrenToConfirm,
    ChildView,
    children_to_confirm,
)
from services.registration.password import AccountActivated, PasswordStep

__all__ = [
    "AccountActivated",
    "ChildAnswer",
    "ChildView",
    "ChildrenConfirmed",
    "ChildrenToConfirm",
    "CodeSent",
    "ExistingAccount",
    "IdentityForm",
    "PasswordContext",
    "RegistrationService",
    "RegistrationStarted",
    "children_to_confirm",
]


class RegistrationService(ActivationSteps, ChildrenStep, PasswordStep):
    """A guardian's registration, step by step, over the token ``start`` returns."""
