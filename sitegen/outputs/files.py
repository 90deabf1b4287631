"""OutputFile: one file of the built site, as bytes, as bytes made on demand, or as a copy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class OutputFile:
    """A file to write at `output_path` (relative to the output folder), and what made it.

    Exactly one of `content` (bytes), `produce` (makes the bytes when first asked: pages,
    feeds and calendars, so the preview server renders only what a browser asks for) and
    `copy_from` (a file copied as it is) is set.
    """

    output_path: str
    content: bytes | None = None
    # As text for the files a build keeps from the last (see output_cache): thousands of
    # them, and a Path object each took longer than all else done to keep one.
    copy_from: Path | str | None = None
    source: str = ""
    produce: Callable[[], bytes] | None = field(default=None, compare=False, repr=False)
    # The values the bytes are made from, besides what every file of the build shares (the
    # settings, the theme); None when the file is always made again. See output_cache.
    inputs: tuple[Any, ...] | None = field(default=None, compare=False, repr=False)
    # The parts of the Site a template read while making the bytes (see render.recording).
    noted: set[str] = field(default_factory=set, compare=False, repr=False)

    def __post_init__(self) -> None:
        given = [self.content is not None, self.copy_from is not None, self.produce is not None]
        if sum(given) != 1:
            raise ValueError("an OutputFile has content, a way to produce it, or a file to copy")

    @property
    def pending(self) -> bool:
        """True while the bytes are still to be made."""
        return self.produce is not None and "_produced" not in self.__dict__

    def data(self) -> bytes:
        """The file's bytes (made now if they are made on demand)."""
        if self.content is not None:
            return self.content
        if self.produce is not None:
            return self._produced
        assert self.copy_from is not None
        return Path(self.copy_from).read_bytes()

    @cached_property
    def _produced(self) -> bytes:
        assert self.produce is not None
        return self.produce()

    # Made field by field (every field named): dataclasses.replace takes ten times as long,
    # and a large site's build makes one of these for every page.

    def with_content(self, content: bytes) -> OutputFile:
        return OutputFile(
            self.output_path, content, source=self.source, inputs=self.inputs, noted=self.noted
        )

    def kept_at(self, file: str, noted: set[str]) -> OutputFile:
        """This file as the copy of `file`: the bytes the last build wrote there, made by
        templates that read `noted`."""
        return OutputFile(
            self.output_path, copy_from=file, source=self.source, inputs=self.inputs, noted=noted
        )
