"""How the administration app shows names and paths: as plain text, short enough for 80
columns."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

__all__ = ["display_path", "plain"]


def display_path(path: Path) -> str:
    """Relative to the working folder when inside it (short enough for 80 columns), else
    absolute: either way the operator can find the file."""
    absolute = path.absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def plain(text: str, style: str = "") -> Text:
    """A table cell: ``DataTable`` parses ``str`` cells as markup; a Rich ``Text`` is shown as
    it is."""
    return Text(text, style=style, no_wrap=True, overflow="ellipsis")
