"""Terminal input that no byte sequence can turn into an error.

A terminal set to Latin-1 or Windows-1252 sends « è » as the single byte ``0xE8``, which is
not UTF-8; Textual's Linux driver decodes its input with a strict UTF-8 decoder, so that one
byte ended the app. Here every byte that is not part of valid UTF-8 is read as Windows-1252
(Latin-1 plus « œ », « € », typographic quotes in 0x80–0x9F), and the few bytes it leaves
undefined become U+FFFD: the field shows what it can and the session goes on.

Used twice: by the SSH server on the bytes it hands to each session's pty, and by the app's
own driver when it reads its terminal (``tui.terminal.guarded``: a local run, or the session
behind the pty). Nothing here imports Textual: the SSH server does not need it.
"""

from __future__ import annotations

import codecs
from typing import Final

__all__ = ["IDLE_SECONDS", "TerminalDecoder"]

ERRORS: Final = "educonnect-terminal"
"""The codec error handler that reads a byte which is not UTF-8 as Windows-1252."""

IDLE_SECONDS: Final = 0.1
"""How long a reader waits for more input before an incomplete UTF-8 sequence at the end of
what it read is taken as single-byte characters: a terminal sends a UTF-8 character in one
write, so what is still missing after this is a Latin-1 key standing alone."""


def _single_byte(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    # One byte at a time: the decoder then resumes right after it, so a valid sequence that
    # follows an invalid byte is still read as UTF-8.
    byte = error.object[error.start : error.start + 1]
    return byte.decode("cp1252", "replace"), error.start + 1


codecs.register_error(ERRORS, _single_byte)


class TerminalDecoder:
    """Incremental: bytes in as they are read, text out; never raises."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors=ERRORS)

    def decode(self, data: bytes) -> str:
        """The text of ``data``; the start of a UTF-8 sequence cut at its end is kept back."""
        return str(self._decoder.decode(data))

    @property
    def pending(self) -> bool:
        """Whether bytes are kept back, waiting for the rest of their sequence."""
        buffered, _ = self._decoder.getstate()
        return bool(buffered)

    def flush(self) -> str:
        """What is kept back, as single-byte characters: nothing more is coming for it."""
        return str(self._decoder.decode(b"", final=True))
