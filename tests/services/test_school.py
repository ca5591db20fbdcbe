"""The school's file for the pupils' notices: read when valid, refused in French otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.school import SchoolDetails, SchoolFileRefused, load_school_details


def _load(tmp_path: Path, content: bytes) -> SchoolDetails:
    path = tmp_path / "etablissement.toml"
    path.write_bytes(content)
    return load_school_details(path)


def test_a_secretary_s_file_is_read(tmp_path: Path) -> None:
    """Only the contact is required; the other lines are kept as written, trimmed."""
    details = _load(
        tmp_path,
        '# Établissement\ncontact = "  Secrétariat : 04 67 00 00 00  "\nacademie = '
        '"Montpellier"\n'.encode(),
    )

    assert details.contact == "Secrétariat : 04 67 00 00 00"
    assert details.academie == "Montpellier"
    assert details.nom is None and details.ent is None


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'nom = "X"\n', 'il manque la ligne « contact = "…" ».'),
        (b'contact = ""\n', "« contact » est vide."),
        (b'contact = "' + b"0" * 161 + b'"\n', "« contact » dépasse 160 caractères"),
        (b'contact = "X"\n[autre]\n', "« autre » n'est pas une clé connue"),
        (b'contact = "\xe9"\n', "n'est pas enregistré en UTF-8."),
        (b'contact = "X"\ncontact = "Y"\n', "(ligne 2)"),
        (b"contact = 'X'" + b" " * 20_000, "est trop long pour être le bon."),
    ],
)
def test_a_damaged_file_is_refused_in_french(tmp_path: Path, content: bytes, reason: str) -> None:
    with pytest.raises(SchoolFileRefused) as refused:
        _load(tmp_path, content)

    assert reason in str(refused.value)
    assert "etablissement.toml" in str(refused.value)
