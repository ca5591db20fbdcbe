"""The school's CSV export: encodings, separators, all-or-nothing, idempotence, warnings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from services import ManualClock, Services
from services.importer import (
    EXPECTED_HEADER,
    ImportCounts,
    ImportFileError,
    ImportIssue,
    SchoolImporter,
    decode_export,
    read_export,
)
from store import Records
from store.records import Guardian, Link, LinkState, Pupil
from tests.services._stored import data_text

SAMPLE = Path(__file__).parent.parent / "data" / "export-etablissement.csv"

BASE_ROW = {
    "uai": "0341234A",
    "etablissement": "CLG Frédéric Bazille",
    "eleve_id": "E001",
    "eleve_nom": "Martin",
    "eleve_prenom": "Lucas",
    "eleve_naissance": "14/03/2012",
    "classe": "4B",
    "responsable_id": "R001",
    "responsable_nom": "Martin",
    "responsable_prenom": "Sophie",
    "responsable_portable": "06 12 34 56 78",
    "responsable_courriel": "",
}


def row(**changes: str) -> str:
    return ";".join({**BASE_ROW, **changes}.values())


def export(*rows: str) -> str:
    return "\n".join([EXPECTED_HEADER, *rows]) + "\n"


@pytest.fixture
def importer(services: Services, clock: ManualClock) -> SchoolImporter:
    return SchoolImporter(services.store, clock)


def records(services: Services) -> Records:
    return Records(services.store.snapshot())


def guardian(services: Services, guardian_id: str) -> Guardian:
    found = records(services).guardians.get(id=guardian_id)
    assert found is not None, guardian_id
    return found


def pupil(services: Services, pupil_id: str) -> Pupil:
    found = records(services).pupils.get(id=pupil_id)
    assert found is not None, pupil_id
    return found


class TestSampleExport:
    def test_sample_imports_whole(self, importer: SchoolImporter, services: Services) -> None:
        """The sample a trainer can reuse imports whole: 2 schools, 7 pupils, 7 guardians."""
        result = importer.import_file(SAMPLE)

        assert result.errors == ()
        assert result.establishments == ImportCounts(added=2)
        assert result.pupils == ImportCounts(added=7)
        assert result.guardians == ImportCounts(added=7)
        assert result.links == ImportCounts(added=8)
        camille = pupil(services, "E101")
        assert (camille.nom, camille.prenom, camille.naissance, camille.classe, camille.uai) == (
            "Rousseau",
            "Camille",
            date(2013, 4, 12),
            "5B",
            "0341234A",
        )

    def test_phones_are_stored_in_e164(self, importer: SchoolImporter, services: Services) -> None:
        """Numbers typed the national way, overseas included, are stored as E.164."""
        importer.import_file(SAMPLE)

        assert guardian(services, "R101").portable == "+33641526374"
        assert guardian(services, "R103").portable == "+262692401234"
        assert guardian(services, "R106").portable == "+33655443322"

    def test_new_links_are_pending(self, importer: SchoolImporter, services: Services) -> None:
        """Every imported link waits for the guardian to confirm it at step 6."""
        importer.import_file(SAMPLE)

        states = {link.state for link in records(services).links.all()}
        assert states == {LinkState.PENDING}

    def test_import_is_audited(self, importer: SchoolImporter, services: Services) -> None:
        """An import that changes data leaves one audit event with its counts."""
        importer.import_file(SAMPLE)

        events = [e for e in services.store.audit_log.read() if e["event"] == "school_import"]
        assert len(events) == 1
        assert "élèves +7" in events[0]["detail"]


class TestEncodings:
    def test_utf8_with_bom(self, importer: SchoolImporter, services: Services) -> None:
        """Excel's « CSV UTF-8 » starts with a BOM: the first column is still `uai`."""
        raw = "\ufeff".encode() + SAMPLE.read_bytes()

        result = importer.import_text(decode_export(raw))

        assert result.errors == ()
        assert records(services).establishments.get(uai="0341234A") is not None

    def test_windows_1252_keeps_accents(self, importer: SchoolImporter, services: Services) -> None:
        """A file saved as Windows-1252 keeps é, ë and œ in the names."""
        raw = SAMPLE.read_text(encoding="utf-8").encode("cp1252")

        result = importer.import_text(decode_export(raw))

        assert result.errors == ()
        assert pupil(services, "E106").nom == "Cœurdevey"
        assert guardian(services, "R104").prenom == "Gwenaëlle"

    def test_comma_separated(self, importer: SchoolImporter, services: Services) -> None:
        """A `,` separated export (header detected) imports like the `;` one."""
        text = SAMPLE.read_text(encoding="utf-8").replace(";", ",")

        result = importer.import_text(text)

        assert result.errors == ()
        assert result.pupils == ImportCounts(added=7)

    def test_windows_line_endings(self, importer: SchoolImporter) -> None:
        """CRLF line endings count lines the same way (warnings still on the right line)."""
        text = SAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n")

        result = importer.import_text(text)

        assert result.errors == ()
        assert [w.line for w in result.warnings] == [6, 7, 9]

    def test_undecodable_file_is_refused(self, tmp_path: Path) -> None:
        """Bytes that are neither UTF-8 nor Windows-1252 give a French reason, not a crash."""
        path = tmp_path / "export.csv"
        path.write_bytes(EXPECTED_HEADER.encode() + b"\n\x81\x8d\n")

        with pytest.raises(ImportFileError, match="ni en UTF-8 ni en Windows-1252"):
            read_export(path)

    def test_utf16_file_is_refused(self) -> None:
        """Excel's « Texte Unicode » (UTF-16) is named, with the format to choose instead."""
        raw = SAMPLE.read_text(encoding="utf-8").encode("utf-16")

        with pytest.raises(ImportFileError, match="UTF-16"):
            decode_export(raw)

    def test_missing_file_is_refused(self, tmp_path: Path) -> None:
        """A wrong file name is said plainly."""
        with pytest.raises(ImportFileError, match="n'existe pas"):
            read_export(tmp_path / "absent.csv")


class TestReimport:
    def test_same_file_changes_nothing(self, importer: SchoolImporter, services: Services) -> None:
        """Importing the same export twice: everything unchanged, the stored data identical."""
        importer.import_file(SAMPLE)
        before = data_text(services.store)

        result = importer.import_file(SAMPLE)

        assert result.establishments == ImportCounts(unchanged=2)
        assert result.pupils == ImportCounts(unchanged=7)
        assert result.guardians == ImportCounts(unchanged=7)
        assert result.links == ImportCounts(unchanged=8)
        assert data_text(services.store) == before

    def test_changed_row_updates_the_record(
        self, importer: SchoolImporter, services: Services
    ) -> None:
        """A new class and a new mobile are updated; the rest of the file is unchanged."""
        importer.import_text(export(row()))

        result = importer.import_text(export(row(classe="3B", responsable_portable="0745678901")))

        assert result.pupils == ImportCounts(updated=1)
        assert result.guardians == ImportCounts(updated=1)
        assert result.establishments == ImportCounts(unchanged=1)
        assert pupil(services, "E001").classe == "3B"
        assert guardian(services, "R001").portable == "+33745678901"

    def test_link_states_and_accounts_survive(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """A confirmed or disputed link stays so, and accounts are untouched, on re-import."""
        store = demo_services.store
        with store.transaction() as tx:
            Records(tx).links.put(
                Link(guardian_id="R001", pupil_id="E002", state=LinkState.DISPUTED)
            )
        before = Records(store.snapshot())
        confirmed = before.links.get(guardian_id="R010", pupil_id="E011")
        accounts = before.accounts.all()
        text = export(
            row(),  # R001 – E001, already there
            row(
                eleve_id="E002",
                eleve_prenom="Emma",
                eleve_naissance="05/09/2008",
                uai="0345678B",
                etablissement="LGT Jean Monnet",
                classe="1G2",
            ),
            row(
                eleve_id="E011",
                eleve_nom="Moreau",
                eleve_prenom="Inès",
                eleve_naissance="03/07/2011",
                classe="3B",
                responsable_id="R010",
                responsable_nom="Moreau",
                responsable_prenom="Claire",
                responsable_portable="06 45 12 34 56",
            ),
        )

        result = SchoolImporter(store, clock).import_text(text)

        after = Records(store.snapshot())
        assert result.links == ImportCounts(unchanged=3)
        disputed = after.links.get(guardian_id="R001", pupil_id="E002")
        assert disputed is not None and disputed.state is LinkState.DISPUTED
        assert after.links.get(guardian_id="R010", pupil_id="E011") == confirmed
        assert after.accounts.all() == accounts

    def test_records_missing_from_the_file_are_kept(
        self, importer: SchoolImporter, services: Services
    ) -> None:
        """An export of one class does not erase the pupils of the others."""
        importer.import_file(SAMPLE)

        importer.import_text(export(row()))

        assert records(services).pupils.count() == 8
        assert records(services).links.count() == 9


class TestAllOrNothing:
    def test_every_error_is_listed_and_nothing_is_written(
        self, importer: SchoolImporter, services: Services
    ) -> None:
        """Several bad rows: each error with its line, and the store left exactly as it was."""
        importer.import_file(SAMPLE)
        before = data_text(services.store)
        text = export(
            row(),
            row(eleve_id="E002", eleve_nom=""),
            row(eleve_id="E003", eleve_naissance="31/02/2012"),
            row(eleve_id="E004", responsable_id="R002", responsable_prenom="Jean\x1b[2J"),
            row(eleve_id="", responsable_id="R003"),
        )

        result = importer.import_text(text)

        assert not result.written
        assert [(e.line, e.column) for e in result.errors] == [
            (3, "eleve_nom"),
            (4, "eleve_naissance"),
            (5, "responsable_prenom"),
            (6, "eleve_id"),
        ]
        assert data_text(services.store) == before
        assert result.pupils == ImportCounts()

    def test_impossible_date(self, importer: SchoolImporter) -> None:
        """31/02/2012 does not exist: refused, with the date quoted."""
        result = importer.import_text(export(row(eleve_naissance="31/02/2012")))

        assert result.errors == (
            ImportIssue(
                2,
                "La date 31/02/2012 n'existe pas. Format attendu : JJ/MM/AAAA.",
                "eleve_naissance",
            ),
        )

    def test_birth_date_in_the_future(self, importer: SchoolImporter) -> None:
        """A pupil cannot be born after the day of the import (2026-09-07 here)."""
        result = importer.import_text(export(row(eleve_naissance="08/09/2026")))

        assert [str(e) for e in result.errors] == [
            "Ligne 2, colonne eleve_naissance : La date de naissance 08/09/2026 est "
            "postérieure à aujourd'hui."
        ]

    def test_control_character_in_a_name(self, importer: SchoolImporter) -> None:
        """An escape sequence in a name is refused and shown as a code point, never printed."""
        result = importer.import_text(export(row(eleve_nom="Mar\x1b[31mtin")))

        assert len(result.errors) == 1
        assert result.errors[0].message == (
            "Le nom de l'élève contient un caractère interdit (U+001B)."
        )
        assert "\x1b" not in str(result.errors[0])

    def test_missing_guardian_name(self, importer: SchoolImporter) -> None:
        """A row without the guardian's nom is an error, not a nameless guardian."""
        result = importer.import_text(export(row(responsable_nom="  ")))

        assert [str(e) for e in result.errors] == [
            "Ligne 2, colonne responsable_nom : Il manque le nom du responsable."
        ]

    def test_row_with_wrong_number_of_columns(self, importer: SchoolImporter) -> None:
        """A shifted row (one separator missing) is refused with its column count."""
        result = importer.import_text(export(row(), "0341234A;CLG;E009;Dupont;Zoé"))

        assert [str(e) for e in result.errors] == [
            "Ligne 3 : La ligne compte 5 colonnes au lieu de 12 (séparateur « ; »)."
        ]

    def test_malformed_uai(self, importer: SchoolImporter) -> None:
        """A UAI that is not 7 digits and a letter betrays shifted columns."""
        result = importer.import_text(export(row(uai="CLG Bazille")))

        assert [e.column for e in result.errors] == ["uai"]

    def test_same_pupil_with_contradictory_data(self, importer: SchoolImporter) -> None:
        """One pupil, two rows, two dates of birth: which one is right cannot be guessed."""
        text = export(
            row(),
            row(responsable_id="R002", responsable_prenom="Paul", eleve_naissance="15/03/2012"),
        )

        result = importer.import_text(text)

        assert [str(e) for e in result.errors] == [
            "Ligne 3 : L'élève E001 figure déjà ligne 2 avec d'autres données (date de naissance)."
        ]

    def test_same_guardian_with_contradictory_data(self, importer: SchoolImporter) -> None:
        """One guardian id with two mobiles in the same file is refused."""
        text = export(row(), row(eleve_id="E002", responsable_portable="07 11 22 33 44"))

        result = importer.import_text(text)

        assert [str(e) for e in result.errors] == [
            "Ligne 3 : Le responsable R001 figure déjà ligne 2 avec d'autres données (portable)."
        ]

    def test_same_school_with_two_names(self, importer: SchoolImporter) -> None:
        """One UAI, two establishment names: refused."""
        text = export(row(), row(eleve_id="E002", etablissement="Collège Bazille"))

        result = importer.import_text(text)

        assert [e.line for e in result.errors] == [3]
        assert "L'établissement 0341234A" in result.errors[0].message


class TestHeader:
    def test_wrong_header(self, importer: SchoolImporter) -> None:
        """An export with other columns is refused on line 1, saying what is missing."""
        text = "nom;prenom;date_naissance\nMartin;Lucas;14/03/2012\n"

        result = importer.import_text(text)

        assert len(result.errors) == 1
        error = result.errors[0]
        assert error.line == 1
        assert "colonnes manquantes : uai, etablissement" in error.message
        assert "colonnes inconnues : « nom », « prenom », « date_naissance »" in error.message

    def test_empty_file(self, importer: SchoolImporter) -> None:
        """An empty file is an error (an export that went wrong), not a silent success."""
        result = importer.import_text("")

        assert [str(e) for e in result.errors] == [
            "Ligne 1 : Le fichier est vide : la ligne d'en-tête est attendue."
        ]

    def test_header_without_rows(self, importer: SchoolImporter) -> None:
        """A header alone is reported: nothing to import is most likely a wrong export."""
        result = importer.import_text(export())

        assert [e.message for e in result.errors] == [
            "Le fichier ne contient aucune ligne d'élève après l'en-tête."
        ]

    def test_columns_in_another_order_and_case(
        self, importer: SchoolImporter, services: Services
    ) -> None:
        """Columns are found by name, whatever their order or case."""
        names = list(BASE_ROW)[::-1]
        text = ";".join(n.upper() for n in names) + "\n" + ";".join(BASE_ROW[n] for n in names)

        result = importer.import_text(text)

        assert result.errors == ()
        assert records(services).pupils.get(id="E001") is not None

    def test_blank_lines_are_skipped(self, importer: SchoolImporter) -> None:
        """Trailing empty lines (or `;;;;` rows) left by a spreadsheet are not errors."""
        result = importer.import_text(export(row(), "", ";" * 11))

        assert result.errors == ()
        assert result.pupils == ImportCounts(added=1)


class TestMobileWarnings:
    @pytest.mark.parametrize(
        ("typed", "reason"),
        [
            ("", "n'a pas de portable"),
            ("04 67 12 34 56", "a un numéro « 04 67 12 34 56 » qui n'est pas un portable"),
            ("+44 7400 123456", "a un numéro « +44 7400 123456 » qui n'est pas un portable"),
        ],
        ids=["vide", "fixe", "etranger"],
    )
    def test_guardian_imported_without_mobile(
        self, importer: SchoolImporter, services: Services, typed: str, reason: str
    ) -> None:
        """No usable mobile: imported anyway, with a warning on its line, not an error."""
        result = importer.import_text(export(row(responsable_portable=typed)))

        assert result.written
        assert len(result.warnings) == 1
        warning = result.warnings[0]
        assert (warning.line, warning.column) == (2, "responsable_portable")
        assert reason in warning.message
        assert "ne pourra pas s'inscrire par SMS" in warning.message
        assert guardian(services, "R001").portable is None

    def test_one_warning_per_guardian(self, importer: SchoolImporter) -> None:
        """A guardian without a mobile on three rows (three children) is warned about once."""
        text = export(
            row(responsable_portable=""),
            row(eleve_id="E002", responsable_portable=""),
            row(eleve_id="E003", responsable_portable=""),
        )

        result = importer.import_text(text)

        assert [w.line for w in result.warnings] == [2]

    def test_invalid_email_is_a_warning(self, importer: SchoolImporter, services: Services) -> None:
        """A malformed e-mail is left out with a warning; the guardian is still imported."""
        result = importer.import_text(export(row(responsable_courriel="sophie.martin@")))

        assert result.written
        assert [w.column for w in result.warnings] == ["responsable_courriel"]
        assert guardian(services, "R001").courriel is None

    def test_duplicate_row_is_counted_once(self, importer: SchoolImporter) -> None:
        """The same row twice is one link, with a warning pointing at the first."""
        result = importer.import_text(export(row(), row()))

        assert result.links == ImportCounts(added=1)
        assert [(w.line, w.message[:30]) for w in result.warnings] == [
            (3, "Cette ligne répète la ligne 2 ")
        ]
