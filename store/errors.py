"""Errors the store raises; each carries the French sentence a user can be shown."""

from __future__ import annotations

import errno
from pathlib import Path

__all__ = [
    "CorruptStoreError",
    "DamagedFileError",
    "DamagedRecordError",
    "DatabaseBusyError",
    "DatabaseUnavailableError",
    "ForeignDatabaseError",
    "ForeignStoreError",
    "NewerDatabaseError",
    "NewerStoreError",
    "ReadOnlyStoreError",
    "SerializationConflict",
    "StoreError",
    "StoreLockTimeout",
    "UnusableFileError",
    "os_error_reason",
    "shown",
]

_RESTORE = "Il n'a pas été modifié ; restaurez une sauvegarde ou indiquez un autre fichier."

# The system's own strerror is English; these are the errors a file, a folder or a listening
# address can meet here.
_OS_ERRORS = {
    errno.ENOENT: "il n'existe pas",
    errno.EACCES: "accès refusé (droits insuffisants pour ce compte)",
    errno.EPERM: "opération non permise pour ce compte",
    errno.EROFS: "le système de fichiers est en lecture seule",
    errno.ENOSPC: "le disque est plein",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EEXIST: "il existe déjà",
    errno.ENAMETOOLONG: "le nom est trop long",
    errno.ELOOP: "trop de liens symboliques (une boucle ?)",
    errno.EDQUOT: "le quota de disque de ce compte est atteint",
    errno.EIO: "erreur d'entrée-sortie du disque",
    # A server's listening address.
    errno.EADDRINUSE: "l'adresse est déjà utilisée, par un autre serveur ?",
    errno.EADDRNOTAVAIL: "cette adresse n'est pas une adresse de cette machine",
}


def os_error_reason(error: OSError) -> str:
    """What the system said, in French; an errno without a sentence is still named."""
    if error.errno in _OS_ERRORS:
        return _OS_ERRORS[error.errno]
    if error.errno is None:
        return "erreur du système"
    return f"erreur du système n° {error.errno} ({errno.errorcode.get(error.errno, '?')})"


def shown(text: object, limit: int = 60) -> str:
    """A name read from a damaged file, safe to print: control and format characters escaped
    (no escape sequence reaches the terminal), and cut to ``limit`` characters."""
    value = str(text)
    cut = value[:limit]
    safe = "".join(char if char.isprintable() else f"\\u{ord(char):04x}" for char in cut)
    return safe + ("…" if len(value) > limit else "")


class StoreError(Exception):
    """A data file (or database) that cannot be used. Nothing is modified when this is raised.

    ``path`` is the file, or the database as ``store.postgres`` names it (never its password).
    """

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


class CorruptStoreError(StoreError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(path, f"Le fichier de données {path} est illisible ({reason}). {_RESTORE}")


class DamagedRecordError(CorruptStoreError):
    """One record of the data file does not match its model: the first one found is named."""

    def __init__(self, path: Path, table: str, record: str, problem: str) -> None:
        StoreError.__init__(
            self,
            path,
            f"Le fichier de données {path} est endommagé : table « {shown(table)} », "
            f"enregistrement {shown(record)}, {problem}. {_RESTORE}",
        )
        self.table = table
        self.record = record


class DamagedFileError(StoreError):
    """A side file (secret key, lock, journal) whose content or kind is wrong."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(path, f"Le fichier {path} est endommagé ({reason}). {_RESTORE}")


class UnusableFileError(StoreError):
    """The system refused the store a file or folder it needs (``OSError``)."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(
            path,
            f"Le fichier {path} ne peut pas être utilisé : {os_error_reason(error)}. "
            "Rien n'a été modifié.",
        )


class ForeignStoreError(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            f"Le fichier {path} n'est pas un fichier de données ÉduConnect. "
            "Il n'a pas été modifié ; indiquez un autre fichier avec --db.",
        )


class NewerStoreError(StoreError):
    def __init__(self, path: Path, found: int, supported: int) -> None:
        super().__init__(
            path,
            f"Le fichier {path} a été écrit par une version plus récente de l'application "
            f"(format {found}, cette version lit jusqu'au format {supported}). "
            "Il n'a pas été modifié ; mettez l'application à jour.",
        )


class ReadOnlyStoreError(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            f"Le fichier de données {path} est en lecture seule pour ce compte : rien n'a été "
            "enregistré. Il n'a pas été modifié ; donnez à ce compte le droit d'écrire ce "
            "fichier ou indiquez un autre fichier avec --db.",
        )


class StoreLockTimeout(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            "Le fichier de données est occupé par une autre session. Réessayez dans un instant.",
        )


class ForeignDatabaseError(ForeignStoreError):
    def __init__(self, location: str) -> None:
        StoreError.__init__(
            self,
            location,
            f"La base de données {location} contient déjà d'autres tables que celles "
            "d'ÉduConnect. Elle n'a pas été modifiée ; indiquez une base vide ou une base "
            "ÉduConnect avec --db.",
        )


class NewerDatabaseError(NewerStoreError):
    def __init__(self, location: str, found: int, supported: int) -> None:
        StoreError.__init__(
            self,
            location,
            f"La base de données {location} a été mise à jour par une version plus récente de "
            f"l'application (schéma {found}, cette version connaît jusqu'au schéma {supported}). "
            "Elle n'a pas été modifiée ; mettez l'application à jour.",
        )


class DatabaseUnavailableError(StoreError):
    def __init__(self, location: str) -> None:
        super().__init__(
            location,
            f"La base de données {location} ne répond pas (connexion refusée ou perdue). "
            "L'opération en cours n'a peut-être pas été enregistrée : vérifiez, puis réessayez "
            "dans un instant ou prévenez l'administrateur.",
        )


class DatabaseBusyError(StoreError):
    def __init__(self, location: str) -> None:
        super().__init__(
            location,
            "La base de données est occupée par d'autres sessions : rien n'a été enregistré. "
            "Réessayez dans un instant.",
        )


class SerializationConflict(DatabaseBusyError):
    """Another machine's transaction changed what this one read: nothing was written, and the
    whole operation may run again (``store.retry``); past the last try, « occupée »."""
