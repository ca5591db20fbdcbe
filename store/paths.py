"""Where the data lives when nobody says, and how ``--db`` tells a file from a database."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

__all__ = ["database_url", "default_db_path", "describe_database", "resolve_db_path"]

ENV_VAR = "EDUCONNECT_DB"
# What libpq accepts as a URL; anything else given to --db is a file name.
URL_SCHEMES = ("postgresql://", "postgres://")


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


def database_url(explicit: str | None) -> str | None:
    """The PostgreSQL URL that `--db` (else `EDUCONNECT_DB`) gives, or ``None`` for a file."""
    chosen = explicit or os.environ.get(ENV_VAR) or ""
    return chosen if chosen.startswith(URL_SCHEMES) else None


def describe_database(url: str) -> str:
    """The database as messages name it, « nom » (hôte …), never with its password."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    name = parts.path.lstrip("/") or query.get("dbname", [""])[0] or parts.username or "?"
    host = parts.hostname or query.get("host", [""])[0] or "localhost"
    return f"« {name} » (hôte {host})"
