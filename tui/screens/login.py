"""After « Se connecter »: the services of the person logged in (``ServicesStep``, which
FranceConnect's sign-in shows too)."""

from __future__ import annotations

from tui.journey import Step
from tui.screens.common.session_steps import ServicesStep

__all__ = ["ServicesScreen"]


class ServicesScreen(ServicesStep):
    """After a login with the identifiant and password, or a pupil's first login."""

    STEP = Step.SERVICES
