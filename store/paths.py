"""Where the data file lives when nobody says."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["default_db_path", "resolve_db_path"]

ENV_VAR = "EDUCONNECT_DB"


def default_db_path() -> Path:
    """The per-user data directory (XDG on Linux), so two users never share a file by accident."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "educonnect-tui" / "educonnect.json"


def resolve_db_path(explicit: str | os.PathLike[str] | None) -> Path:
    """`--db` first, then `EDUCONNECT_DB`, then the per-user default."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    return default_db_path()
