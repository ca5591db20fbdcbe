"""Provisional credentials and their printed notices, as one step for every front end.

Check the folder, issue, write the notices, in that order: a temporary password is stored only
as a hash, so one whose notice cannot be written is lost. The ``educonnect admin`` commands and
the administration app both go through ``issue_with_notices``, and say what was issued with the
same sentences.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from services.admin import GuardianResetDone, IssueResult, PupilResetDone, Skipped
from services.errors import ErrorCode, ServiceError
from services.formatting import day
from services.i18n import N_, _, ngettext
from services.notices import password_rules, write_notices
from services.pupils import IssuedCredentials
from services.school import SchoolDetails
from services.settings import Settings

__all__ = [
    "NOTICES_TO_PRINT",
    "Done",
    "FolderRefused",
    "NoticesNotWritten",
    "WithNotices",
    "check_out_dir",
    "issue_with_notices",
    "issued_sentence",
    "skipped_sentence",
]

# A msgid: translated where it is shown.
NOTICES_TO_PRINT = N_("Avis à imprimer :")


# What an issuing action returns: an issue, or a pupil's or a guardian's reset.
Done = TypeVar("Done", bound=IssueResult | PupilResetDone | GuardianResetDone)


@dataclass(frozen=True)
class WithNotices(Generic[Done]):
    """What the action returned, the credentials it issued, and the notice files written for
    them (none if nothing was issued)."""

    done: Done
    issued: tuple[IssuedCredentials, ...]
    files: tuple[Path, ...]


class FolderRefused(ServiceError):
    """The notices' folder cannot be created or written to; nothing was issued."""


class NoticesNotWritten(ServiceError):
    """The credentials were issued but their notices could not be written: the temporary
    passwords in ``issued`` are lost and must be issued again."""

    def __init__(
        self, issued: tuple[IssuedCredentials, ...], *, folder: str, reason: str, again: str
    ) -> None:
        super().__init__(ErrorCode.NOTICES_NOT_WRITTEN, folder=folder, reason=reason, again=again)
        self.issued = issued


def check_out_dir(out_dir: Path, *, shown: str | None = None) -> None:
    """Creates ``out_dir`` if needed; refuses it if it cannot be written to. ``shown`` is the
    folder as this front end names it to the person (by default, as given)."""
    shown = str(out_dir) if shown is None else shown
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FolderRefused(
            ErrorCode.NOTICES_FOLDER_NOT_CREATED, folder=shown, reason=str(error.strerror)
        ) from error
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise FolderRefused(ErrorCode.NOTICES_FOLDER_NOT_WRITABLE, folder=shown)


def issue_with_notices(
    issue: Callable[[], Done],
    out_dir: Path,
    *,
    settings: Settings,
    again: Callable[[Sequence[IssuedCredentials]], str],
    shown: str | None = None,
    school: SchoolDetails | None = None,
) -> WithNotices[Done]:
    """Checks ``out_dir``, runs ``issue``, then writes a notice for every credential issued.

    Raises ``FolderRefused`` before anything is issued, the action's own ``ServiceError``, or
    ``NoticesNotWritten`` once issued. ``again`` ends that last sentence: how this front end
    has the lost credentials issued again (« pour Léa Martin », « avec --eleve pour E001 »).
    ``settings`` give the password rules the notices list; ``school`` the staff's school file.
    """
    shown = str(out_dir) if shown is None else shown
    check_out_dir(out_dir, shown=shown)
    done = issue()
    issued = _issued(done)
    if not issued:
        return WithNotices(done, issued, ())
    try:
        files = write_notices(issued, out_dir, rules=password_rules(settings), school=school)
    except OSError as error:
        raise NoticesNotWritten(
            issued, folder=shown, reason=str(error.strerror), again=again(issued)
        ) from error
    return WithNotices(done, issued, files)


def _issued(
    done: IssueResult | PupilResetDone | GuardianResetDone,
) -> tuple[IssuedCredentials, ...]:
    if isinstance(done, IssueResult):
        return done.issued
    if isinstance(done, PupilResetDone):
        return (done.credentials,)
    # Nothing to print for a guardian: the school never issues their password.
    return ()


def issued_sentence(issued: Sequence[IssuedCredentials]) -> str:
    """« 2 élèves : identifiants provisoires émis, valables jusqu'au 06/03/2027. », or that
    none were."""
    if not issued:
        return _("Aucun identifiant provisoire émis.")
    return ngettext(
        "%(count)d élève : identifiants provisoires émis, valables jusqu'au %(day)s.",
        "%(count)d élèves : identifiants provisoires émis, valables jusqu'au %(day)s.",
        len(issued),
    ) % {"count": len(issued), "day": day(issued[0].valid_until)}


def skipped_sentence(skipped: Sequence[Skipped]) -> str:
    """The heading above the pupils left out, one per line after it."""
    return ngettext("%(count)d élève ignoré :", "%(count)d élèves ignorés :", len(skipped)) % {
        "count": len(skipped)
    }
