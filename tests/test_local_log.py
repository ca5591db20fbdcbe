"""A local run's log: an unexpected error's traceback is kept in the person's own log file,
since the screen only says that the app stopped."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.cli.plumbing import log_to_user_file, user_log_path


@pytest.fixture
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    root = logging.getLogger()
    before = list(root.handlers)
    yield tmp_path / "state"
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


class TestLocalLog:
    def test_an_unexpected_error_is_written_with_its_traceback(self, state_home: Path) -> None:
        """The critical record the app writes when it stops carries the traceback, in
        `$XDG_STATE_HOME/educonnect-tui/educonnect.log`."""
        log_to_user_file()
        try:
            raise KeyError("écran inconnu")
        except KeyError as error:
            logging.getLogger("tui.terminal.guarded").critical("erreur inattendue", exc_info=error)
        text = (state_home / "educonnect-tui" / "educonnect.log").read_text(encoding="utf-8")
        assert user_log_path() == state_home / "educonnect-tui" / "educonnect.log"
        assert "CRITICAL tui.terminal.guarded erreur inattendue" in text
        assert "Traceback" in text and "KeyError: 'écran inconnu'" in text

    def test_information_stays_out_of_the_file(self, state_home: Path) -> None:
        """Only warnings and errors are kept: a person's log does not fill with routine."""
        log_to_user_file()
        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.DEBUG)
        try:
            logging.getLogger("tui").warning("attention")
            logging.getLogger("tui").info("routine")
        finally:
            root.setLevel(level)
        text = (state_home / "educonnect-tui" / "educonnect.log").read_text(encoding="utf-8")
        assert "attention" in text and "routine" not in text

    def test_a_log_that_cannot_be_opened_does_not_stop_the_app(self, state_home: Path) -> None:
        """A state directory that is a file: no log, and no error either."""
        state_home.mkdir()
        (state_home / "educonnect-tui").write_text("", encoding="utf-8")
        handlers = list(logging.getLogger().handlers)
        log_to_user_file()
        assert logging.getLogger().handlers == handlers
