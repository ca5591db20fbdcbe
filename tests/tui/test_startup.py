"""Start-up of the sessions' app: the first screen comes before the domain, the services are
built in the background once it is out, and whatever comes early waits for them."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual import events

import tui.app
from services import Services
from services.demo import DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD
from store import CorruptStoreError, StoreError
from tests.tui.pilot import log_in, to_authentication
from tui.app import REFUSED, EduConnectApp, make_app
from tui.loading import PendingServices, open_services
from tui.screens import EntProfileScreen, EntryScreen
from tui.screens.login import ServicesScreen

ROOT = Path(__file__).resolve().parents[2]
SIZE = (80, 24)
# What the domain drags in; none of it is needed to show the first screen.
HEAVY = (
    "click",
    "pydantic",
    "phonenumbers",
    "passlib",
    "argon2",
    "tinydb",
    "smtplib",
    "services.container",
    "store.database",
)


def run_python(script: str, *args: str) -> dict[str, Any]:
    """``script`` in a fresh interpreter (nothing imported yet); what it printed, as JSON."""
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answer: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    return answer


@pytest.fixture
def held_idle(monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """The app's "first screen is out and the process idle" moment, given by the test: set
    the event to let the app go on with its styles and services."""
    idle = asyncio.Event()

    async def until_released(limit: float = 1.0) -> None:
        await idle.wait()

    monkeypatch.setattr(tui.app, "until_idle", until_released)
    return idle


class Recorder:
    """A build function for ``PendingServices`` that says when and where it was called."""

    def __init__(self, app_of: Callable[[], EduConnectApp], services: Services) -> None:
        self._app_of = app_of
        self._services = services
        self.calls: list[tuple[bool, type[object]]] = []
        self.started = threading.Event()
        self.release = threading.Event()
        self.release.set()

    def __call__(self) -> Services:
        app = self._app_of()
        self.calls.append((threading.current_thread() is threading.main_thread(), type(app.screen)))
        self.started.set()
        self.release.wait(timeout=60)
        return self._services


@pytest.fixture
def recorded(demo_services: Services) -> Iterator[tuple[EduConnectApp, Recorder]]:
    """The sessions' app on a build function that records its calls; a held build is always
    released at the end, so no thread outlives the test."""
    apps: list[EduConnectApp] = []
    recorder = Recorder(lambda: apps[0], demo_services)
    apps.append(make_app(PendingServices(recorder)))
    yield apps[0], recorder
    recorder.release.set()


class TestFirstScreenWithoutTheDomain:
    def test_the_session_app_and_its_first_screen_import_nothing_of_the_domain(
        self, tmp_path: Path
    ) -> None:
        """What an SSH session runs (``tui.serve.child``) builds its app and loads the first
        screen's module with none of click, pydantic, phonenumbers, passlib, TinyDB… loaded;
        building the services then loads them (the check is not vacuous)."""
        script = (
            "import json, sys\n"
            "from pathlib import Path\n"
            "from tui.serve.child import session_app\n"
            "import tui.screens.start\n"
            f"heavy = {HEAVY!r}\n"
            "app = session_app(Path(sys.argv[1]))\n"
            "before = [name for name in heavy if name in sys.modules]\n"
            "app.pending.get()\n"
            "after = [name for name in heavy if name in sys.modules]\n"
            "print(json.dumps({'before': before, 'after': after}))\n"
        )

        answer = run_python(script, str(tmp_path / "data.json"))

        assert answer["before"] == []
        assert {"pydantic", "tinydb", "services.container"} <= set(answer["after"])

    def test_the_first_screen_is_shown_before_the_domain_is_imported(self, tmp_path: Path) -> None:
        """Running, the session's app shows step 1 with the domain still unloaded; once the
        screen is out and the process idle, the services are built and ready."""
        script = (
            "import asyncio, json, sys\n"
            "from pathlib import Path\n"
            "import tui.app\n"
            "from tui.serve.child import session_app\n"
            f"heavy = {HEAVY!r}\n"
            "idle = asyncio.Event()\n"
            "async def until_released(limit=1.0):\n"
            "    await idle.wait()\n"
            "tui.app.until_idle = until_released\n"
            "async def main():\n"
            "    app = session_app(Path(sys.argv[1]))\n"
            "    async with app.run_test(size=(80, 24)) as pilot:\n"
            "        await pilot.pause()\n"
            "        shown = type(app.screen).__name__\n"
            "        before = [name for name in heavy if name in sys.modules]\n"
            "        idle.set()\n"
            "        await app.workers.wait_for_complete()\n"
            "        loaded = app.pending.loaded and app.pending.error is None\n"
            "    print(json.dumps({'shown': shown, 'before': before, 'loaded': loaded}))\n"
            "asyncio.run(main())\n"
        )

        answer = run_python(script, str(tmp_path / "data.json"))

        assert answer == {"shown": "EntryScreen", "before": [], "loaded": True}


class TestServicesBuiltInTheBackground:
    async def test_they_are_built_once_in_a_thread_after_the_first_screen_and_then_used(
        self, recorded: tuple[EduConnectApp, Recorder]
    ) -> None:
        """The build runs once, off the event loop, while step 1 is shown; then a login at
        step 2 goes through those services to the account's services page."""
        app, recorder = recorded
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            assert recorder.calls == [(False, EntryScreen)]
            await to_authentication(pilot)
            await log_in(pilot, DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD)
            assert isinstance(app.screen, ServicesScreen)
        assert len(recorder.calls) == 1

    async def test_keys_that_come_while_they_load_wait_for_them_and_keep_their_order(
        self, recorded: tuple[EduConnectApp, Recorder], held_idle: asyncio.Event
    ) -> None:
        """Tab then Enter while the services are still being built: neither is lost nor taken
        early. Step 1 stays until the services are ready, then both keys act, in order
        (Tab to « Se connecter », Enter on it)."""
        app, recorder = recorded
        recorder.release.clear()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.post_message(events.Key("tab", None))
            app.post_message(events.Key("enter", "\r"))
            # The first key has made the app build the services, and waits for them.
            assert await asyncio.to_thread(recorder.started.wait, 60)
            assert isinstance(app.screen, EntryScreen)
            assert not app.pending.loaded
            recorder.release.set()
            await pilot.pause()
            assert isinstance(app.screen, EntProfileScreen)
            held_idle.set()

    async def test_a_data_file_refused_once_the_screen_is_out_ends_the_app_with_code_2(
        self,
    ) -> None:
        """The file went bad after the server checked it: the app ends (exit code 2, the way
        the ``educonnect`` command refuses a file) instead of failing at the first service
        call, and a key pressed meanwhile changes nothing."""

        def refuse() -> Services:
            raise CorruptStoreError(Path("données.json"), "JSON invalide")

        app = make_app(PendingServices(refuse))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.click("#connect")
            await app.workers.wait_for_complete()
            assert isinstance(app.screen, EntryScreen)
        assert app.return_code == REFUSED


class TestOtherScreensStylesAfterTheFirst:
    def test_an_app_given_ready_services_has_every_style_from_the_start(
        self, demo_services: Services
    ) -> None:
        """The tests and the local command hand over services already built: nothing is
        deferred, so no picture can depend on how fast the machine reached idle."""
        assert make_app(demo_services).later_css_loaded

    async def test_reading_them_changes_nothing_shown_and_paints_nothing(
        self, demo_services: Services, held_idle: asyncio.Event
    ) -> None:
        """Step 1 is styled with its own stylesheets only; the other screens' are read once it
        is out. Step 1 looks the same afterwards and no frame is sent for it (every frame
        costs bytes on a slow link)."""
        app = make_app(PendingServices(lambda: demo_services))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert not app.later_css_loaded
            before = app.export_screenshot()
            frames: list[object] = []
            display = app._display

            def counting(screen: Any, renderable: Any) -> None:
                if renderable is not None:
                    frames.append(renderable)
                display(screen, renderable)

            app._display = counting  # type: ignore[method-assign]
            held_idle.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.later_css_loaded
            assert frames == []
            assert app.export_screenshot() == before

    async def test_a_key_before_they_are_read_reads_them_first(
        self, demo_services: Services, held_idle: asyncio.Event
    ) -> None:
        """A person quicker than the start-up still gets the next screen with its styles:
        the first key reads them before it is handled."""
        app = make_app(PendingServices(lambda: demo_services))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert not app.later_css_loaded
            await pilot.click("#connect")
            assert app.later_css_loaded
            assert isinstance(app.screen, EntProfileScreen)


class TestPendingServices:
    def test_two_threads_asking_at_once_get_the_same_services_built_once(
        self, demo_services: Services
    ) -> None:
        """The app's loader and a key's wait can ask together: the second waits for the
        first's build instead of opening the data file a second time."""
        building, release = threading.Event(), threading.Event()
        builds: list[Services] = []

        def build() -> Services:
            building.set()
            release.wait(timeout=60)
            builds.append(demo_services)
            return demo_services

        pending = PendingServices(build)
        results: list[Services] = []
        first = threading.Thread(target=lambda: results.append(pending.get()))
        second = threading.Thread(target=lambda: results.append(pending.get()))
        first.start()
        assert building.wait(timeout=60)
        second.start()
        assert not pending.loaded
        release.set()
        first.join(timeout=60)
        second.join(timeout=60)

        assert results == [demo_services, demo_services]
        assert len(builds) == 1

    def test_a_refusal_is_raised_to_every_asker_without_reading_the_file_again(self) -> None:
        """A refused file is read once; whoever asks afterwards gets the same refusal."""
        attempts: list[int] = []

        def refuse() -> Services:
            attempts.append(1)
            raise CorruptStoreError(Path("données.json"), "JSON invalide")

        pending = PendingServices(refuse)
        for _ in range(2):
            with pytest.raises(CorruptStoreError):
                pending.get()

        assert attempts == [1]
        assert isinstance(pending.error, CorruptStoreError)


class TestOpeningTheDataFile:
    def test_a_path_that_cannot_be_opened_is_a_refusal_with_a_french_sentence(
        self, tmp_path: Path
    ) -> None:
        """A folder given as the data file ends as a ``StoreError`` (the command line and the
        sessions show its sentence), not as an ``OSError`` traceback."""
        with pytest.raises(StoreError) as refused:
            open_services(tmp_path)

        assert (
            f"Le fichier {tmp_path} ne peut pas être utilisé : c'est un dossier, pas un fichier."
            in refused.value.message
        )
