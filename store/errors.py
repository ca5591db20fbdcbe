"""Errors the store raises; each carries the French sentence a user can be shown."""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "CorruptStoreError",
    "ForeignStoreError",
    "NewerStoreError",
    "ReadOnlyStoreError",
    "StoreError",
    "StoreLockTimeout",
]


class StoreError(Exception):
    """A data file that cannot be used. The file is never modified when this is raised."""

    def __init__(self, path: Path, message: str) -> None:
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
