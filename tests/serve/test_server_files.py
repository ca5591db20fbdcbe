"""The SSH server's own side files (host key, authorized keys) refused in French, untouched."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tui.serve.ssh import ServeError, load_authorized_keys, load_or_create_host_key


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00\x01 pas une cl\xe9")


def _folder(path: Path) -> None:
    path.mkdir()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (_garbage, "format de clé non reconnu"),
        (_folder, "ce n'est pas un fichier ordinaire"),
        (os.mkfifo, "ce n'est pas un fichier ordinaire"),
    ],
    ids=["garbage", "folder", "fifo"],
)
def test_damaged_host_key(tmp_path: Path, damage: Callable[[Path], None], reason: str) -> None:
    """A host key that cannot be read stops the start with its French reason (a pipe without
    waiting on it), and is neither replaced nor changed."""
    path = tmp_path / "educonnect.json.ssh_host_ed25519_key"
    damage(path)
    before = path.lstat()
    content = path.read_bytes() if path.is_file() else None

    with pytest.raises(ServeError) as refused:
        load_or_create_host_key(path)

    assert f"La clé d'hôte {path} ne peut pas être lue ({reason})." in refused.value.message
    after = path.lstat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert content is None or path.read_bytes() == content


@pytest.mark.parametrize(
    ("content", "reason"),
    [(None, "il n'existe pas"), ("clé".encode("cp1252"), "il n'est pas en UTF-8")],
    ids=["missing", "not-utf8"],
)
def test_unreadable_authorized_keys(tmp_path: Path, content: bytes | None, reason: str) -> None:
    """The authorized keys file: the reason in French, not the system's English."""
    path = tmp_path / "cles"
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(ServeError) as refused:
        load_authorized_keys(path, None)

    assert refused.value.message == f"Le fichier de clés {path} ne peut pas être lu ({reason})."
