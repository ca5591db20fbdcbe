"""The line mode (``educonnect lignes``): the guide's journeys as plain lines and prompts, for
screen readers, braille displays, ``TERM=dumb``, the slowest links and scripts.

It walks the same journey table (``tui.journey``) and calls the same services as the screens,
and never imports Textual (``tests/test_architecture.py`` checks).
"""

from __future__ import annotations

from tui.lines.console import Console, output_wants_ascii
from tui.lines.session import run_lines

__all__ = ["Console", "output_wants_ascii", "run_lines"]
