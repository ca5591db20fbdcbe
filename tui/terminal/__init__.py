"""Every use of Textual's private API (and of rich's, which Textual renders with), in one place.

The rest of ``tui/`` calls the functions and classes here and never reaches for an underscored
name of Textual or rich itself. Each one says why the public API is not enough. They are
written against the Textual version pinned exactly in ``pyproject.toml``; a test fails when
another version is installed, and these modules are what to check before moving the pin.
"""

from tui.terminal.bilingual import install_bilingual_content
from tui.terminal.display import FrameFilterApp
from tui.terminal.footer import describe_key, key_action, mark_bindings_ready
from tui.terminal.frames import sgr_and_link
from tui.terminal.guarded import GuardedApp
from tui.terminal.key_order import OrderedKeys
from tui.terminal.screens import focus_without_repaint
from tui.terminal.typed_keys import typed_key

__all__ = [
    "FrameFilterApp",
    "GuardedApp",
    "OrderedKeys",
    "describe_key",
    "focus_without_repaint",
    "install_bilingual_content",
    "key_action",
    "mark_bindings_ready",
    "sgr_and_link",
    "typed_key",
]
