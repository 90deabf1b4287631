"""What the checks look at: each content file as Written (its HTML, its page, its lines), the
CheckContext of one run, and the CheckReport it gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path

from sitegen.check.html import Parsed, parse_html
from sitegen.errors import Problem, Severity
from sitegen.model import Content, Site
from sitegen.outputs import OutputFile


@dataclass(frozen=True)
class Written:
    """One content file as the checks see it: its HTML, its page's URL and its source lines."""

    path: str
    url: str
    html: str
    lines: tuple[str, ...]
    body_line: int

    @cached_property
    def parsed(self) -> Parsed:
        """Its links, images, headings and ids, read once for every check."""
        return parse_html(self.html)

    def line_of(self, needle: str) -> int:
        """The first line of the text (after the front matter) holding `needle`."""
        for number in range(self.body_line, len(self.lines) + 1):
            if needle and needle in self.lines[number - 1]:
                return number
        return self.body_line

    def key_line(self, key: str) -> int:
        """The line of a front matter setting, like `registration_required:`."""
        pattern = re.compile(rf"{re.escape(key)}\s*:")
        for number, line in enumerate(self.lines[: self.body_line], start=1):
            if pattern.match(line):
                return number
        return 1


@dataclass
class CheckContext:
    """What every check may look at: the built site in memory and the content it came from."""

    root: Path
    site: Site
    content: Content
    files: dict[str, OutputFile]
    written: list[Written]
    pending_days: int
    real_now: datetime | None = None
    # Addresses Netlify redirects (static/_redirects, netlify.toml): "/old/" or "/old/*".
    redirects: tuple[str, ...] = ()
    _ids: dict[str, set[str]] = field(default_factory=dict)

    def exists(self, path: str) -> str | None:
        """The output file a site path is served from, or None: "/about" finds about/index.html."""
        relative = path.lstrip("/")
        if relative == "" or relative.endswith("/"):
            candidates = [relative + "index.html"]
        else:
            candidates = [relative, relative + "/index.html"]
        found = next((c for c in candidates if c in self.files), None)
        if found is None and self._redirected("/" + relative):
            return "_redirects"
        return found

    def _redirected(self, path: str) -> bool:
        for source in self.redirects:
            if source.endswith("*"):
                if path.startswith(source[:-1]) or path + "/" == source[:-1]:
                    return True
            elif path.rstrip("/") == source.rstrip("/"):
                return True
        return False

    def ids_of(self, output_path: str) -> set[str]:
        """The ids on a built page, for links to a part of it (#section)."""
        if output_path not in self._ids:
            file = self.files[output_path]
            html = file.data().decode("utf-8", "replace") if file.copy_from is None else ""
            self._ids[output_path] = parse_html(html).ids
        return self._ids[output_path]


@dataclass
class CheckReport:
    """The problems `sitegen check` found, and what it looked at."""

    problems: list[Problem]
    counts: dict[str, int] = field(default_factory=dict)
    now: datetime | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))


Check = Callable[[CheckContext], Iterable[Problem]]
