"""`sitegen serve`: build, serve the site on 127.0.0.1, rebuild on every change, reload tabs.

A PreviewServer keeps the last good build in memory; a failed rebuild keeps serving it and
shows the errors over every page until the next good build.
"""

from __future__ import annotations

import errno
import gc
import ipaddress
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from sitegen.build import BuildResult, build_site
from sitegen.cache import CACHE_DIR, stored_markdown_memo
from sitegen.config import load_config
from sitegen.errors import Problem, SiteError
from sitegen.readers import ReadCache
from sitegen.render.memory import PageMemory
from sitegen.serve.server import PreviewHTTPServer, PreviewState, Snapshot
from sitegen.serve.watcher import Batcher, SiteWatcher

__all__ = ["PreviewServer"]

# A folder that never stops changing (a tool writing a file over and over) still gets builds.
MAX_DROPPED_BUILDS = 3
BACKGROUND_PAUSE_SECONDS = 0.05
BACKGROUND_RENDER_THREAD = "sitegen background render"


class PreviewServer:
    """Build, serve and watch one site; start() returns once the server answers."""

    def __init__(
        self,
        root: Path,
        *,
        port: int = 8000,
        bind: str = "127.0.0.1",
        drafts: bool = False,
        future: bool = False,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        on_build: Callable[[BuildResult], object] = lambda result: None,
    ) -> None:
        self.root = root.resolve()
        self.port, self.bind = port, bind
        self.drafts, self.future, self.clock = drafts, future, clock
        self.on_build = on_build
        self.state = PreviewState()
        # Renderings of earlier builds (`sitegen build` or an earlier preview), if there are.
        self.memo = stored_markdown_memo(self.root / CACHE_DIR)
        self.read_cache = ReadCache()
        self.pages = PageMemory()
        self._generation = 0
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._collector_was_on = True
        self._switch_interval = sys.getswitchinterval()
        self._collected = 0  # the build after which the collector last ran

    @property
    def url(self) -> str:
        host = f"[{self.bind}]" if ":" in self.bind else self.bind
        return f"http://{host}:{self.port}/"

    def rebuild(self, changed: Iterable[str] = ()) -> BuildResult:
        """Build again; with `changed`, files outside it under content/ are not read again."""
        result = self._build(changed)
        self._publish(result)
        return result

    def _build(self, changed: Iterable[str] = ()) -> BuildResult:
        content = self.root / "content"
        self._generation += 1  # stops the background rendering of the build this replaces
        changed_paths = [Path(path) for path in changed]
        settings = not changed_paths or any(not p.is_relative_to(content) for p in changed_paths)
        if settings:
            self.read_cache.clear()  # site.yaml, static/ or a theme may change any item
        self.pages.same_settings(not settings)
        self.read_cache.forget(changed_paths)
        try:
            return build_site(
                self.root,
                now=self.clock(),
                drafts=self.drafts,
                future=self.future,
                write=False,
                memo=self.memo,
                # A build that reads every file (the first one, or after a change to site.yaml,
                # static/ or a theme) takes what it can from the build cache on disk and adds
                # to it: at 4,000 posts the preview starts in under a second, not nine.
                cache=self.read_cache.empty,
                lazy=True,
                read_cache=self.read_cache,
                pages=self.pages,
            )
        except Exception as exc:
            # A bug, or a file deleted while it was read: shown like any failed build, and
            # the watcher carries on, so the next save is built again.
            return _crashed_build(exc)

    def _publish(self, result: BuildResult) -> None:
        snapshot = self.state.publish(result)
        self.on_build(result)
        if not snapshot.errors:
            # Pages render when a browser asks for them, so the reload signal goes out at once;
            # this renders the rest in the background and reports any template error.
            checker = threading.Thread(
                target=self._render_all,
                args=(snapshot, self._generation),
                name=BACKGROUND_RENDER_THREAD,
                daemon=True,
            )
            checker.start()

    def _render_all(self, snapshot: Snapshot, generation: int) -> None:
        # The tabs' long polls answer first, and the page each then asks for renders without
        # this pass competing for the interpreter (~10 ms sooner at 4,000 posts).
        if self._stopping.wait(BACKGROUND_PAUSE_SECONDS):
            return
        # Pages only: feeds, calendars and the sitemap use no theme template, so they hold no
        # template error to find, and making them all again was most of this pass after each
        # save (about 200 ms at 4,000 posts). They are made when a reader asks for them.
        pages = [file for file in snapshot.files.values() if file.output_path.endswith(".html")]
        for file in pages:
            if self._generation != generation or self._stopping.is_set():
                return  # a newer build is on its way: leave it the whole interpreter
            try:
                file.data() if file.copy_from is None else None
            except SiteError as exc:
                if self.state.reject(snapshot.build, exc.problems):
                    self.on_build(BuildResult(problems=exc.problems))
                return

    def start(self) -> None:
        # The collector walks every object alive, and a large site's builds keep hundreds of
        # thousands: it runs when the server is idle instead (see _rebuild_on_changes).
        self._collector_was_on = gc.isenabled()
        gc.disable()
        # While pages render in the background, the watcher's threads wait for the interpreter
        # lock; a shorter switch interval hands a save over to the rebuild sooner (by ~30 ms).
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._switch_interval, 0.001))
        self.rebuild()
        self.http = _bind(self.bind, self.port, self.state)
        self.port = self.http.server_address[1]
        self.batcher = Batcher(self.root, self._output_folder())
        self.watcher = SiteWatcher(self.batcher)
        self.watcher.start()
        for target in (self.http.serve_forever, self._rebuild_on_changes):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stopping.set()
        self.http.shutdown()
        self.http.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self.watcher.stop()  # after the rebuild loop, which may still add a watch
        if self._collector_was_on:
            gc.enable()
        sys.setswitchinterval(self._switch_interval)

    def _rebuild_on_changes(self) -> None:
        dropped = 0  # builds in a row dropped because a save was still under way
        while not self._stopping.is_set():
            changed = self.batcher.wait(timeout=0.5)
            # A folder watched anew (made after the start, or deleted and made again) may hold
            # changes that came before its watch did.
            if self.watcher.watch_folders():
                result = self._build()
            elif changed:
                result = self._build(changed)
            else:
                if self._generation != self._collected:
                    gc.collect()  # half a second without a change since a build
                    self._collected = self._generation
                continue
            # Changes that came while it built may be the rest of the save it started on (a
            # file written in two steps): built again with them, this build would not last.
            # The read cache is right either way, since every changed path is read again.
            if self.batcher.pending() and dropped < MAX_DROPPED_BUILDS:
                dropped += 1
                continue
            dropped = 0
            self._publish(result)

    def _output_folder(self) -> Path:
        try:
            return self.root / load_config(self.root).output
        except SiteError:
            return self.root / "public"


def _crashed_build(exc: Exception) -> BuildResult:
    detail = traceback.format_exception_only(exc)[-1].strip()
    print(f"sitegen stopped on an unexpected error: {detail}", file=sys.stderr)
    problem = Problem(
        f"sitegen stopped on an unexpected error ({type(exc).__name__}).",
        hint="The terminal shows the details. Save a file to build again.",
    )
    return BuildResult(problems=[problem])


def _bind(address: str, port: int, state: PreviewState) -> PreviewHTTPServer:
    try:
        return PreviewHTTPServer((address, port), state)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise SiteError(
                Problem(
                    f"Port {port} is already in use, perhaps by another sitegen serve.",
                    hint=f"Stop the other server, or choose another port: --port {port + 1}",
                )
            ) from None
        raise SiteError(Problem(f"Cannot listen on {address}:{port}: {exc.strerror}.")) from None


def is_loopback(address: str) -> bool:
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def warn_if_public(address: str) -> None:
    if not is_loopback(address):
        print(
            f"Warning: --bind {address} makes the preview reachable from other computers on "
            "the network, drafts included.",
            file=sys.stderr,
        )
