"""OutputFile: one file of the built site, as bytes or as a file to copy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class OutputFile:
    """A file to write at `output_path` (relative to the output folder), and what made it."""

    output_path: str
    content: bytes | None = None
    copy_from: Path | None = None
    source: str = ""

    def __post_init__(self) -> None:
        if (self.content is None) == (self.copy_from is None):
            raise ValueError("an OutputFile has either content or a file to copy")
