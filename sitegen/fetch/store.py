"""Fetched entries → highlight files under content/highlights/SOURCE/, merged with what is there.

One Markdown file per entry, in the front matter staff write by hand; `status: approved` for
`auto` sources, `pending` for `review` ones. The files are the truth and staff decide in them:
a re-fetch never overwrites a staff edit or decision, never brings back a hidden or deleted
entry, never touches an entry another source brought first, and keeps every entry a source has
since dropped. It only rewrites a file fetch wrote itself and nobody changed since (the
fingerprint in the state file says so), when the source changed the entry; a `review`
source's entry that staff approved stays as they approved it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sitegen import urls
from sitegen.config import HighlightSource
from sitegen.fetch.clean import CleanEntry
from sitegen.fetch.state import EntryRecord, FetchState, write_atomic

IMAGES = "images"
_KEY_IN_NAME = re.compile(r"-([0-9a-f]{10})\.md$")
_DECISION = re.compile(r"^(status|pinned)\s*:", re.IGNORECASE)
_STATUS_LINE = re.compile(r"^status\s*:\s*[\"']?([A-Za-z-]+)", re.IGNORECASE | re.MULTILINE)
_FENCE = "---"
HEADER = (
    "# Written by `sitegen fetch`. To publish or hide this highlight, change status to\n"
    "# approved or hidden (or run: sitegen review). Edits you make here are never overwritten."
)


@dataclass
class Planned:
    """A file fetch will write: a new entry, or an update of one it wrote before."""

    entry: CleanEntry
    source: HighlightSource
    path: Path
    key: str
    decisions: tuple[str, ...] = ()
    image: str = ""


@dataclass
class SourceCounts:
    """What merging one source's entries did, for the fetch report."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_edited: int = 0
    kept_hidden: int = 0
    removed_by_staff: int = 0
    from_other_source: int = 0
    planned: list[Planned] = field(default_factory=list)


class HighlightStore:
    """The highlight files under `folder` and fetch's memory of them."""

    def __init__(self, folder: Path, state: FetchState, zone: ZoneInfo, now: datetime) -> None:
        self.folder = folder
        self.state = state
        self.zone = zone
        self.now = now
        self.by_key: dict[str, Path] = {}
        for file in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
            match = _KEY_IN_NAME.search(file.name)
            if match and not _hidden(file, folder):
                self.by_key.setdefault(match.group(1), file)

    def count(self, source_id: str) -> int:
        """How many highlight files the source has on disk."""
        folder = self.folder / source_id
        return sum(1 for _ in folder.glob("*.md")) if folder.is_dir() else 0

    def plan(self, source: HighlightSource, entries: tuple[CleanEntry, ...]) -> SourceCounts:
        """Decide, entry by entry, what to write; nothing is written yet."""
        counts = SourceCounts()
        for entry in entries:
            key = self.state.find(entry.key, entry.guid_key) or (
                entry.key if entry.key in self.by_key else None
            )
            if key is None:
                path = self._new_path(source, entry)
                counts.planned.append(
                    Planned(entry, source, path, entry.key, image=self._image(entry))
                )
                self._remember(entry, source, path, entry.key)
                counts.new += 1
                continue
            record = self.state.entries.get(key)
            path = self.folder / record.file if record else self.by_key[key]
            if record is not None and record.source != source.id:
                counts.from_other_source += 1
            elif not path.is_file():
                counts.removed_by_staff += 1
            else:
                self._plan_update(source, entry, key, path, record, counts)
        return counts

    def _plan_update(
        self,
        source: HighlightSource,
        entry: CleanEntry,
        key: str,
        path: Path,
        record: EntryRecord | None,
        counts: SourceCounts,
    ) -> None:
        text = path.read_text(encoding="utf-8", errors="replace")
        status = _status_of(text)
        if status == "hidden":
            counts.kept_hidden += 1
        elif record is None or record.written != fingerprint(text):
            counts.kept_edited += 1
        elif source.trust == "review" and status == "approved":
            counts.unchanged += 1  # staff approved this version; a new one would need review
        else:
            planned = Planned(entry, source, path, key, _decision_lines(text), self._image(entry))
            if fingerprint(self.render(planned, record)) == record.written:
                counts.unchanged += 1
            else:
                counts.planned.append(planned)
                counts.updated += 1

    def _remember(self, entry: CleanEntry, source: HighlightSource, path: Path, key: str) -> None:
        self.state.entries[key] = EntryRecord(
            file=path.relative_to(self.folder).as_posix(),
            source=source.id,
            url_key=entry.key,
            guid_key=entry.guid_key,
            first_seen=self.now.isoformat(timespec="seconds"),
        )
        self.by_key[key] = path

    def _new_path(self, source: HighlightSource, entry: CleanEntry) -> Path:
        day = self._date(entry, self.now.isoformat()).astimezone(self.zone)
        slug = urls.slugify(entry.title)[:48].strip("-_") or "post"
        return self.folder / source.id / f"{day:%Y-%m-%d}-{slug}-{entry.key}.md"

    def _date(self, entry: CleanEntry, first_seen: str) -> datetime:
        """The entry's date; an undated or future-dated one gets the time fetch first saw it."""
        seen = datetime.fromisoformat(first_seen) if first_seen else self.now
        if entry.date is None or entry.date > self.now:
            return seen
        return entry.date

    def _image(self, entry: CleanEntry) -> str:
        """`images/NAME` for the entry's image if fetch stored it before, else ""."""
        if not entry.image_url:
            return ""
        found = sorted((self.folder / IMAGES).glob(f"{_image_stem(entry.image_url)}.*"))
        return f"{IMAGES}/{found[0].name}" if found else ""

    def store_image(self, image_url: str, data: bytes, kind: str) -> str:
        """Save a checked image once; gives the value for the file's `image:` line."""
        path = self.folder / IMAGES / f"{_image_stem(image_url)}.{kind}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return f"{IMAGES}/{path.name}"

    def write(self, planned: Planned) -> None:
        """Write one planned file and remember its fingerprint."""
        record = self.state.entries[planned.key]
        text = self.render(planned, record)
        write_atomic(planned.path, text)
        record.written = fingerprint(text)
        record.url_key = planned.entry.key
        record.guid_key = planned.entry.guid_key or record.guid_key

    def render(self, planned: Planned, record: EntryRecord) -> str:
        """The highlight file for an entry, as fetch writes it."""
        entry = planned.entry
        date = self._date(entry, record.first_seen).astimezone(self.zone)
        lines = [_FENCE, HEADER, f"title: {_quoted(entry.title)}", f"url: {_quoted(entry.url)}"]
        lines.append(f"source: {planned.source.id}")
        if entry.author:
            lines.append(f"author: {_quoted(entry.author)}")
        if entry.author_url:
            lines.append(f"author_url: {_quoted(entry.author_url)}")
        lines.append(f"date: {date:%Y-%m-%d %H:%M}")
        if planned.image:
            lines.append(f"image: {planned.image}")
            lines.append(f"image_alt: {_quoted(entry.image_alt)}")
        if planned.decisions:
            lines.extend(planned.decisions)
        else:
            status = "approved" if planned.source.trust == "auto" else "pending"
            lines.extend([f"status: {status}", "pinned: false"])
        lines.append(_FENCE)
        if entry.content:
            lines.extend(["", "<div>", _no_blank_lines(entry.content), "</div>"])
        return "\n".join(lines) + "\n"


def fingerprint(text: str) -> str:
    """A hash of a highlight file without its status and pinned lines: what staff decide
    (approve, hide, pin) is not an edit, anything else is."""
    lines = text.replace("\r\n", "\n").split("\n")
    closing = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == _FENCE), 0)
    kept = [line for i, line in enumerate(lines) if not (0 < i < closing and _DECISION.match(line))]
    return hashlib.sha256("\n".join(kept).encode("utf-8")).hexdigest()[:16]


def _status_of(text: str) -> str:
    front = text.replace("\r\n", "\n").split("\n---", 1)[0]
    match = _STATUS_LINE.search(front)
    return match.group(1).lower() if match else "approved"


def _decision_lines(text: str) -> tuple[str, ...]:
    front = text.replace("\r\n", "\n").split("\n---", 1)[0].split("\n")[1:]
    return tuple(line for line in front if _DECISION.match(line))


def _quoted(text: str) -> str:
    # A JSON string is a YAML double-quoted scalar: "#", ":", "no" and quotes stay text.
    return json.dumps(text, ensure_ascii=False)


def _no_blank_lines(html: str) -> str:
    # A blank line would end the raw HTML block in Markdown; in HTML it is only whitespace.
    return re.sub(r"\n\s*\n", "\n", html.strip())


def _image_stem(image_url: str) -> str:
    return hashlib.sha256(image_url.encode("utf-8")).hexdigest()[:16]


def _hidden(file: Path, folder: Path) -> bool:
    return any(part.startswith((".", "_")) for part in file.relative_to(folder).parts)
