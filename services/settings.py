"""Every tunable rule in one place, with the defaults of DESIGN.md."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from services.i18n import _

__all__ = ["PasswordHashing", "Settings"]


class PasswordHashing(BaseModel):
    """Argon2 cost. The default (19 MiB, 2 passes) is OWASP's floor: ≈ 30 ms here."""

    model_config = ConfigDict(frozen=True)

    memory_cost_kib: int = Field(default=19 * 1024, ge=8)
    rounds: int = Field(default=2, ge=1)
    parallelism: int = Field(default=1, ge=1)


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    db_path: Path
    # ``postgresql://…``: the data is in this database and ``db_path`` only places local files
    # (notices); ``None``: the TinyDB file at ``db_path``.
    db_url: str | None = None

    @property
    def data_location(self) -> str:
        """Where the data is, as messages name it (a database never with its password)."""
        if self.db_url is None:
            return str(self.db_path)
        from store.paths import describe_database

        return _("la base de données %(database)s") % {"database": describe_database(self.db_url)}

    registration_ttl: timedelta = timedelta(hours=1)
    code_ttl: timedelta = timedelta(minutes=30)
    code_max_failures: int = 5
    resend_min_interval: timedelta = timedelta(minutes=1)
    resend_window: timedelta = timedelta(minutes=30)
    # The first code plus three « Je n'ai pas reçu de code » in one window.
    max_codes_per_window: int = 4
    birth_date_max_failures: int = 3

    password_min_length: int = 8
    password_max_length: int = 128
    hashing: PasswordHashing = PasswordHashing()

    login_slowdown_after: int = 3
    login_lock_after: int = 10
    login_lock_duration: timedelta = timedelta(minutes=15)
    # From the ``login_slowdown_after``-th consecutive failure, the next try must wait this
    # long, doubled at each further failure, never more than ``login_wait_max``.
    login_wait_base: timedelta = timedelta(seconds=5)
    login_wait_max: timedelta = timedelta(minutes=5)
    # A failure count (an account's, or a typed identifiant's that is no account's) left alone
    # this long starts again from zero; then the unknown identifiant's count is purged.
    login_failures_forgotten_after: timedelta = timedelta(hours=1)

    # Step 3 (« Suivant » on the identity form), matched or not: at most this many starts per
    # ``start_window`` with one mobile number, and from one session (one SSH or web
    # connection); a guardian has at most ``max_live_registrations_per_guardian`` in progress.
    start_window: timedelta = timedelta(hours=1)
    # What expired (registrations, sending and start limits) is purged at most this often, by
    # a start, a reminder or a reset request (``services.throttle.PurgeSchedule``).
    purge_every: timedelta = timedelta(minutes=10)
    max_starts_per_mobile: int = Field(default=5, ge=1)
    max_starts_per_session: int = Field(default=10, ge=1)
    max_live_registrations_per_guardian: int = Field(default=3, ge=1)
    # The least time « Identifiant oublié », a reset request and a registration start take,
    # for a real person and an unknown one alike (``services.floor``).
    neutral_answer_floor: timedelta = timedelta(milliseconds=50)

    # « Mot de passe oublié » : once the code is accepted, time left to choose the password.
    reset_token_ttl: timedelta = timedelta(minutes=30)

    # Pupils' provisional credentials, issued by the school: valid this many calendar months
    # (through the date printed on the notice); then the first login's steps.
    provisional_validity_months: int = Field(default=3, ge=1)
    first_login_ttl: timedelta = timedelta(minutes=30)
    pupil_birth_date_max_failures: int = 3
