"""Issuing provisional credentials with their notices, the one path the command line and the
administration app share: check the folder, issue, write the notices."""

from __future__ import annotations

import errno
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from services import Services
from services.admin import GuardianResetDone, IssueResult, PupilResetDone, Skipped
from services.demo import DEMO_ACTIVE_IDENTIFIANT
from services.issuing import (
    FolderRefused,
    NoticesNotWritten,
    issue_with_notices,
    issued_sentence,
    skipped_sentence,
)
from services.pupils import IssuedCredentials
from store import Records
from store.records import AccountKind, AccountStatus

COLLEGE = "0341234A"


def _by_id(issued: Sequence[IssuedCredentials]) -> str:
    return "avec --eleve pour " + ", ".join(c.pupil_id for c in issued)


def _credentials(pupil_id: str, valid_until: date) -> IssuedCredentials:
    return IssuedCredentials(
        pupil_id=pupil_id,
        nom="Garcia",
        prenom="Pablo",
        classe="4A",
        uai=COLLEGE,
        etablissement="CLG Frédéric Bazille",
        identifiant="p.garcia1",
        password="K7PQ-M3XR-9ZTW",
        valid_until=valid_until,
        issued_at=datetime(2026, 9, 7, 8, 30, tzinfo=UTC),
    )


def _provisional(services: Services, pupil_id: str) -> bool:
    account = Records(services.store.snapshot()).accounts.get(
        kind=AccountKind.PUPIL.value, owner_id=pupil_id
    )
    return account is not None and account.status is AccountStatus.PROVISIONAL


class TestIssueWithNotices:
    def test_a_class_gets_its_credentials_and_their_notices(
        self, demo_services: Services, tmp_path: Path
    ) -> None:
        """Class 4A: both pupils are issued credentials, and one PDF and one text file are
        written in a folder created for them."""
        out = tmp_path / "avis" / "4A"

        written = issue_with_notices(
            lambda: demo_services.admin.issue_for_class("4A", uai=COLLEGE),
            out,
            settings=demo_services.settings,
            again=_by_id,
        )

        assert written.issued == written.done.issued
        assert sorted(c.pupil_id for c in written.issued) == ["E008", "E013"]
        assert sorted(path.suffix for path in written.files) == [".pdf", ".txt"]
        assert all(path.parent == out and path.is_file() for path in written.files)
        assert _provisional(demo_services, "E008") and _provisional(demo_services, "E013")

    def test_a_folder_that_cannot_be_created_is_refused_before_anything_is_issued(
        self, demo_services: Services, tmp_path: Path
    ) -> None:
        """Under a regular file no folder can be made: the refusal names the folder as the
        front end shows it, and the action never runs (no password is issued to be lost)."""
        blocker = tmp_path / "fichier"
        blocker.write_text("")
        ran: list[bool] = []

        def issue() -> IssueResult:
            ran.append(True)
            return demo_services.admin.issue_for_pupil("E001")

        with pytest.raises(FolderRefused) as refused:
            issue_with_notices(
                issue,
                blocker / "avis",
                settings=demo_services.settings,
                again=_by_id,
                shown="fichier/avis",
            )

        assert refused.value.message.startswith("Le dossier fichier/avis ne peut pas être créé (")
        assert ran == []
        assert not _provisional(demo_services, "E001")

    def test_notices_that_cannot_be_written_carry_the_lost_credentials(
        self, demo_services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A full disk after the issue: the error lists the credentials that were issued,
        and its sentence says where and why, then how to issue them again."""

        def disk_full(*args: object, **kwargs: object) -> tuple[Path, ...]:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr("services.issuing.write_notices", disk_full)

        with pytest.raises(NoticesNotWritten) as lost:
            issue_with_notices(
                lambda: demo_services.admin.issue_for_pupil("E001"),
                tmp_path,
                settings=demo_services.settings,
                again=_by_id,
            )

        assert [c.pupil_id for c in lost.value.issued] == ["E001"]
        assert lost.value.message == (
            f"Les avis n'ont pas pu être écrits dans {tmp_path} (No space left on device). "
            "Les mots de passe provisoires émis sont perdus : émettez-les de nouveau avec "
            "--eleve pour E001."
        )

    def test_nothing_issued_writes_no_notice(self, demo_services: Services, tmp_path: Path) -> None:
        """Every pupil skipped: the folder is ready but no file is written in it."""
        skipped = Skipped("E001", "Martin", "Lucas", "compte déjà actif")

        written = issue_with_notices(
            lambda: IssueResult((), (skipped,)),
            tmp_path / "avis",
            settings=demo_services.settings,
            again=_by_id,
        )

        assert written.done.skipped == (skipped,)
        assert written.files == ()
        assert list((tmp_path / "avis").iterdir()) == []

    def test_a_pupils_reset_writes_one_notice_and_a_guardians_none(
        self, demo_services: Services, tmp_path: Path
    ) -> None:
        """Resets go the same way: a pupil's new credentials get their notice; a guardian's
        account is removed and nothing is printed (the school never issues their password)."""
        first = demo_services.admin.issue_for_pupil("E001").issued[0]

        pupil = issue_with_notices(
            lambda: demo_services.admin.reset(first.identifiant),
            tmp_path / "eleve",
            settings=demo_services.settings,
            again=_by_id,
        )
        guardian = issue_with_notices(
            lambda: demo_services.admin.reset(DEMO_ACTIVE_IDENTIFIANT),
            tmp_path / "responsable",
            settings=demo_services.settings,
            again=_by_id,
        )

        assert isinstance(pupil.done, PupilResetDone)
        assert pupil.issued == (pupil.done.credentials,)
        assert pupil.issued[0].identifiant == first.identifiant
        assert pupil.issued[0].password != first.password
        assert len(pupil.files) == 2
        assert isinstance(guardian.done, GuardianResetDone)
        assert guardian.issued == ()
        assert guardian.files == ()
        assert list((tmp_path / "responsable").iterdir()) == []


class TestIssuedSentences:
    def test_what_was_issued_and_until_when(self) -> None:
        """The count of pupils and the last day their temporary passwords work."""
        issued = [_credentials("E1", date(2026, 12, 7)), _credentials("E2", date(2026, 12, 7))]

        assert issued_sentence(issued) == (
            "2 élèves : identifiants provisoires émis, valables jusqu'au 07/12/2026."
        )
        assert issued_sentence(issued[:1]).startswith("1 élève : ")

    def test_nothing_issued_says_so(self) -> None:
        """No count of zero: a sentence saying nothing was issued."""
        assert issued_sentence([]) == "Aucun identifiant provisoire émis."

    def test_the_heading_of_the_pupils_left_out(self) -> None:
        """One pupil or several, then a colon: their lines follow."""
        one = Skipped("E1", "Garcia", "Pablo", "compte déjà actif")

        assert skipped_sentence([one]) == "1 élève ignoré :"
        assert skipped_sentence([one, one]) == "2 élèves ignorés :"
