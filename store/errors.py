"""Errors the store raises; each carries the French sentence a user can be shown."""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "CorruptStoreError",
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
]


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
        super().__init__(
            path,
            f"Le fichier de données {path} est illisible ({reason}). "
            "Il n'a pas été modifié ; restaurez une sauvegarde ou indiquez un autre fichier.",
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
