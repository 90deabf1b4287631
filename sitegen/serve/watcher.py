"""Watching the site folder: watchdog events batched into one rebuild per burst of writes.

Editors save in bursts (a temp file, a rename, a chmod), a few milliseconds long at most; the
Batcher waits until the folder has been quiet for a moment, then hands the changed paths over
at once. A burst that outlasts the moment is caught later: the server drops a build that
changes arrived during (see `pending`) and builds again. Only site.yaml,
content/, static/ and themes/ count; editors' swap, lock and temp files and hidden files are
ignored, and so is the output folder, so a rebuild never triggers another one. Only those
folders are watched, so `sitegen build` writing public/ (or a busy .git) costs nothing.
"""

from __future__ import annotations

import threading
from pathlib import Path, PurePath

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

# Short, because every save waits for it; a burst that outlasts it costs a dropped build.
QUIET_SECONDS = 0.01
WATCHED_FOLDERS = ("content", "static", "themes")
_IGNORED_DIRS = {"node_modules", "__pycache__"}
_IGNORED_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload", "~", ".pyc")


def is_author_change(path: PurePath, root: Path, output: Path) -> bool:
    """True if a change at `path` can change the site (not output, caches or editor files)."""
    try:
        relative = PurePath(path).relative_to(root)
    except ValueError:
        return False
    if PurePath(path).is_relative_to(output):
        return False
    if relative.parts[:1] not in [(name,) for name in (*WATCHED_FOLDERS, "site.yaml")]:
        return False
    if any(part in _IGNORED_DIRS or ".sitegen" in part for part in relative.parts):
        return False
    name = relative.name
    if name.startswith((".#", "#")) or name.endswith(_IGNORED_SUFFIXES) or name == "4913":
        return False  # Emacs lock files, Vim's write test file "4913", swap and temp files
    return not any(part.startswith(".") for part in relative.parts)


class Batcher(FileSystemEventHandler):
    """Collects relevant changes; `wait()` returns them once the folder has gone quiet."""

    def __init__(self, root: Path, output: Path) -> None:
        self.root = root.resolve()
        self.output = output.resolve()
        self._changed: set[str] = set()
        self._event = threading.Event()
        self._lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # only echoes a change to an entry (even a swap file), which comes on its own
        paths = [event.src_path, getattr(event, "dest_path", "")]
        for raw in paths:
            if raw and is_author_change(PurePath(str(raw)), self.root, self.output):
                with self._lock:  # set under the lock, so wait() never sees a stale signal
                    self._changed.add(str(raw))
                    self._event.set()

    def wait(self, timeout: float | None = None) -> set[str]:
        """Block until changes arrive and settle; return them (empty on timeout)."""
        if not self._event.wait(timeout):
            return set()
        while True:
            self._event.clear()
            if not self._event.wait(QUIET_SECONDS):
                break
        with self._lock:
            changed, self._changed = self._changed, set()
            self._event.clear()
        return changed

    def pending(self) -> bool:
        """True if changes arrived since `wait()` last handed them over."""
        with self._lock:
            return bool(self._changed)


class SiteWatcher:
    """watchdog on site.yaml and the author's folders, never on the output folder."""

    def __init__(self, batcher: Batcher) -> None:
        self.batcher = batcher
        self.observer = Observer()
        self.observer.daemon = True
        self._watches: dict[str, ObservedWatch] = {}

    def start(self) -> None:
        # The site folder itself only for site.yaml and folders that appear: not recursively,
        # so public/, a build's staging folders, .git and the like are never watched.
        self.observer.schedule(self.batcher, str(self.batcher.root), recursive=False)
        self.observer.start()
        self.watch_folders()

    def watch_folders(self) -> bool:
        """Watch content/, static/ and themes/ as they are now; True if one is watched anew."""
        live = {emitter.watch for emitter in self.observer.emitters if emitter.is_alive()}
        added = False
        for name in WATCHED_FOLDERS:
            watch = self._watches.get(name)
            if watch is not None and watch not in live:  # the folder was deleted
                self.observer.unschedule(watch)
                del self._watches[name]
                watch = None
            folder = self.batcher.root / name
            if watch is None and folder.is_dir():
                self._watches[name] = self.observer.schedule(
                    self.batcher, str(folder), recursive=True
                )
                added = True
        return added

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=5)
