"""`sitegen review`: moderating community highlights from the terminal.

Lists the pending highlights and approves or hides them by id, by changing the one `status:`
line of each file, exactly as a staff member would in an editor: nothing else in the file
changes, so a later fetch still recognises the file as its own and the decision as staff's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sitegen.config import SiteConfig
from sitegen.errors import Problem, SiteError
from sitegen.fields import suggest
from sitegen.highlight_model import Highlight
from sitegen.readers.highlights import HIGHLIGHTS_FOLDER, read_highlight
from sitegen.readers.markdown import MarkdownRenderer

__all__ = ["Decision", "decide", "pending_highlights", "short_id"]

_HASH_SUFFIX = re.compile(r"-([0-9a-f]{10})$")
_STATUS_LINE = re.compile(rb"^status\s*:[^\r\n]*", re.MULTILINE)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Decision:
    """A status changed (or already as asked) in one highlight file."""

    path: str
    title: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def read_all(config: SiteConfig) -> tuple[list[Highlight], list[Problem]]:
    """Every highlight file that can be read, and the problems of those that cannot."""
    folder = config.content_dir / HIGHLIGHTS_FOLDER
    renderer = MarkdownRenderer(config.allow_raw_html)
    highlights: list[Highlight] = []
    problems: list[Problem] = []
    for file in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
        relative = file.relative_to(folder)
        if any(part.startswith((".", "_")) for part in relative.parts) or not file.is_file():
            continue
        path = file.relative_to(config.root).as_posix()
        highlight, found = read_highlight(file, path, config, renderer)
        problems.extend(p for p in found if p.severity.value == "error")
        if highlight is not None:
            highlights.append(highlight)
    return highlights, problems


def pending_highlights(config: SiteConfig) -> list[Highlight]:
    """The highlights waiting for a decision, oldest first (first come, first reviewed)."""
    highlights, _ = read_all(config)
    pending = [h for h in highlights if h.status == "pending"]
    pending.sort(key=lambda h: (h.date.timestamp() if h.date else 0.0, h.id))
    return pending


def short_id(highlight: Highlight) -> str:
    """The id to type: the 10-character hash of a fetched file, else the file name."""
    match = _HASH_SUFFIX.search(highlight.id)
    return match.group(1) if match else highlight.id


def terminal_text(text: str) -> str:
    """Text from a stranger made safe to print: no escape sequences that steer the terminal."""
    return _CONTROL.sub("", text)


def decide(
    config: SiteConfig, ids: Iterable[str], status: str, every_pending: bool = False
) -> list[Decision]:
    """Set `status` on the highlights named by `ids` (or on every pending one).

    Every id is checked before any file changes: one typo changes nothing.
    """
    highlights, problems = read_all(config)
    if every_pending:
        chosen = [h for h in highlights if h.status == "pending"]
    else:
        chosen, unknown = _find(highlights, list(ids))
        if unknown:
            raise SiteError(unknown)
    if problems and not chosen:
        raise SiteError(problems)
    decisions = []
    for highlight in dict.fromkeys(chosen):
        file = config.root / highlight.file.path
        before = highlight.status
        if before != status:
            _set_status(file, status)
        decisions.append(Decision(highlight.file.path, highlight.title, before, status))
    return decisions


def _find(highlights: list[Highlight], ids: list[str]) -> tuple[list[Highlight], list[Problem]]:
    chosen: list[Highlight] = []
    problems: list[Problem] = []
    for wanted in ids:
        key = wanted.strip().removesuffix(".md")
        matches = [
            h
            for h in highlights
            if key in (h.id, short_id(h), h.file.path.removesuffix(".md"))
            or h.file.path.removesuffix(".md").endswith("/" + key)
        ]
        if len(matches) == 1:
            chosen.append(matches[0])
            continue
        if matches:
            where = ", ".join(h.file.path for h in matches)
            problems.append(Problem(f'"{wanted}" names more than one highlight: {where}.'))
            continue
        known = [short_id(h) for h in highlights]
        problems.append(
            Problem(
                f'There is no highlight "{terminal_text(wanted)}".' + suggest(key, known),
                hint="Run `sitegen review` to list the pending highlights and their ids.",
            )
        )
    return chosen, problems


def _set_status(file: Path, status: str) -> None:
    """Change the `status:` line of the front matter, or add one before its closing line."""
    data = file.read_bytes()
    newline = b"\r\n" if b"\r\n" in data[:200] else b"\n"
    lines = data.split(newline)
    closing = next(
        (i for i, line in enumerate(lines[1:], 1) if line.strip() in (b"---", b"...")), None
    )
    if closing is None:
        raise SiteError(
            Problem("The front matter is never closed, so its status cannot be set.", str(file))
        )
    new_line = b"status: " + status.encode("ascii")
    for index in range(1, closing):
        if _STATUS_LINE.match(lines[index]):
            lines[index] = new_line
            break
    else:
        lines.insert(closing, new_line)
    file.write_bytes(newline.join(lines))
