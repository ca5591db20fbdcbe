"""What the sandbox tests share: finding the sandboxes' data files, waiting for them to go."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path

from tui.serve.sandbox import DATA_NAME

__all__ = ["data_files", "until"]


def data_files(root: Path) -> set[Path]:
    """The sandboxes' data files this test process's server has made under ``root``."""
    return set(root.glob(f"serveur-{os.getpid()}/session-*/{DATA_NAME}"))


async def until(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    """Wait until ``condition()`` holds (the server removes a sandbox once it has seen the
    session end, which a client learns about only by its own channel closing)."""
    async with asyncio.timeout(seconds):
        while not condition():
            await asyncio.sleep(0.05)
