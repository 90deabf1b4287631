"""Items read from files that have not changed since, for the preview server's rebuilds.

A file whose modification time and size are what they were is not read again; its item and
problems are reused. What an item means also depends on site.yaml and static/, so the
server clears the whole cache when anything outside content/ changes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sitegen.errors import Problem

_Stamp = tuple[int, int]
_Read = tuple[Any, list[Problem]]


class ReadCache:
    """What each content file gave when it was last read, keyed by its path and stamp."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[_Stamp, _Read]] = {}
        self._looked_at: dict[str, _Stamp | None] = {}

    @staticmethod
    def _stamp(file: str) -> _Stamp | None:
        try:
            status = os.stat(file)
        except OSError:
            return None
        return (status.st_mtime_ns, status.st_size)

    @property
    def empty(self) -> bool:
        """True before the first build and after clear(): every file is to be read."""
        return not self._entries

    def fresh(self, file: str | Path) -> bool:
        file = os.fspath(file)
        stamp = self._looked_at[file] = self._stamp(file)
        entry = self._entries.get(file)
        return entry is not None and entry[0] == stamp

    def read(self, file: str | Path, read: Callable[[], _Read]) -> _Read:
        """The cached result for `file` if it is unchanged, else `read()` (then remembered).

        The stamp `fresh` just took is used again: a file saved in between is named by the
        watcher, which makes the next build read it again (see forget)."""
        file = os.fspath(file)
        stamp = self._looked_at.pop(file) if file in self._looked_at else self._stamp(file)
        entry = self._entries.get(file)
        if entry is not None and stamp is not None and entry[0] == stamp:
            return entry[1]
        result = read()
        if stamp is not None:
            self._entries[file] = (stamp, result)
        return result

    def forget(self, files: Iterable[str | Path]) -> None:
        """Read these again next time, whatever their stamp says (a save within one tick of
        the clock, or a tool that keeps modification times, leaves the stamp as it was)."""
        for file in files:
            self._entries.pop(os.fspath(file), None)

    def keep_only(self, files: Iterable[str | Path]) -> None:
        """Forget files that are gone (deleted or renamed)."""
        keep = {os.fspath(file) for file in files}
        self._entries = {file: entry for file, entry in self._entries.items() if file in keep}
        self._looked_at.clear()

    def clear(self) -> None:
        self._entries.clear()
