"""Events: content/events/**/*.md → Event values, every field checked against site.yaml.

Times are read in the event's own zone (its `timezone`, else the site's). Branches,
audiences and categories must be ids from site.yaml; repeat rules, exceptions and changes
to single dates of a series are checked here so mistakes point at the right line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sitegen.config import Branch, SiteConfig
from sitegen.errors import Problem
from sitegen.event_model import STATUSES, Event, Label, status_sequence
from sitegen.fields import suggest
from sitegen.readers.document import Document, read_document, stem_slug
from sitegen.readers.markdown import MarkdownRenderer, plain_text, summary_from_text
from sitegen.readers.series import (
    CHANGE_KEYS,
    STATUS_ALIASES,
    read_changes,
    read_exceptions,
    read_repeat,
)
from sitegen.recurrence import (
    dst_problem,
)

__all__ = ["CHANGE_KEYS", "EVENT_KEYS", "read_event"]

EVENT_KEYS = (
    "title",
    "start",
    "end",
    "all_day",
    "timezone",
    "branch",
    "location",
    "online_url",
    "audiences",
    "categories",
    "registration_url",
    "registration_required",
    "cost",
    "status",
    "status_note",
    "previous_start",
    "repeat",
    "except",
    "changes",
    "image",
    "image_alt",
    "summary",
    "tags",
    "slug",
    "sequence",
    "extra",
)
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")


def read_event(
    file: Path, path: str, config: SiteConfig, renderer: MarkdownRenderer, data: bytes | None = None
) -> tuple[Event | None, list[Problem]]:
    """One event or series, or None with the problems that keep it off the site."""
    document = read_document(file, path, renderer, "event", EVENT_KEYS, data)
    if isinstance(document, list):
        return None, document
    event = _EventReader(document, config).read(stem_slug(file))
    return (None if document.failed() else event), document.problems


class _EventReader:
    def __init__(self, document: Document, config: SiteConfig) -> None:
        self.document = document
        self.fields = document.fields
        self.config = config

    def read(self, default_slug: str) -> Event | None:
        fields = self.fields
        has_title = fields.require("title", '"Preschool Storytime"')
        has_start = fields.require("start", "2026-12-01 10:30")
        zone_name = fields.zone("timezone", self.config.timezone_name)
        zone = ZoneInfo(zone_name)
        start, all_day = self._start(zone)
        end = self._end(start, all_day, zone) if start is not None else None
        summary_text = fields.text("summary")
        status = self._status()
        repeat, rule = read_repeat(self.fields, start, all_day, zone)
        exceptions = read_exceptions(self.fields, rule)
        event = Event(
            source=self.document.ref,
            title=fields.text("title"),
            slug=self.document.slug(default_slug),
            start=start or datetime.min.replace(tzinfo=zone),
            end=end or datetime.min.replace(tzinfo=zone),
            timezone_name=zone_name,
            content=self.document.body.html,
            summary=summary_from_text(summary_text) if summary_text else self.document.body.summary,
            description=summary_text or plain_text(self.document.body.summary),
            all_day=all_day,
            branch=self._branch(),
            location=fields.text("location"),
            online_url=self._web_address("online_url"),
            audiences=self._labels("audiences", self.config.audiences),
            categories=self._labels("categories", self.config.categories),
            registration_url=self._web_address("registration_url"),
            registration_required=fields.boolean("registration_required"),
            cost=fields.text("cost"),
            status=status,
            status_note=fields.text("status_note"),
            previous_start=self._previous_start(status, zone, all_day),
            repeat=repeat,
            exceptions=exceptions,
            changes=read_changes(self.fields, all_day, zone, rule, exceptions),
            image=self.document.image(self.config.static_dir),
            tags=self.document.tags(),
            # Calendar apps take an update only with a higher SEQUENCE; a status change is one.
            sequence=fields.integer("sequence", 0) + status_sequence(status),
            extra=dict(fields.mapping("extra") or {}),
        )
        if event.status == "moved-online" and not event.online_url:
            fields.problem(
                "status",
                'A "moved-online" event needs "online_url": the link people join with.',
                "online_url: https://meet.example.org/storytime",
            )
        if not (has_title and has_start and start is not None and end is not None):
            return None
        return event

    def _start(self, zone: ZoneInfo) -> tuple[datetime | None, bool]:
        value = self.fields.moment("start", zone)
        all_day = self.fields.boolean("all_day")
        if value is None:
            return None, all_day
        if not isinstance(value, datetime):
            return datetime.combine(value, time(0), tzinfo=zone), True
        if all_day:
            self.fields.warn(
                "start",
                "An all-day event has no start time; the time is ignored.",
                "start: 2026-12-01",
            )
            return datetime.combine(value.date(), time(0), tzinfo=zone), True
        return self._in_zone(value, zone, "start"), False

    def _in_zone(self, value: datetime, zone: ZoneInfo, key: str) -> datetime:
        """`value` in `zone`; a local time in a daylight-saving gap or fold gets a warning."""
        if value.tzinfo is not zone:
            return value.astimezone(zone)
        naive = value.replace(tzinfo=None)
        problem = dst_problem(naive, zone)
        if problem:
            self.fields.warn(key, f"{problem[0].upper()}{problem[1:]}.", "Check the time.")
        return value.astimezone(ZoneInfo("UTC")).astimezone(zone)

    def _end(self, start: datetime, all_day: bool, zone: ZoneInfo) -> datetime | None:
        fields = self.fields
        if not fields.has("end"):
            if all_day:
                return start + timedelta(days=1)
            return start + timedelta(minutes=self.config.events.default_duration)
        raw = fields.data.raw.get("end", "")
        clock = _CLOCK.fullmatch(raw) or _CLOCK.fullmatch(str(fields.data["end"]))
        end: datetime | None
        if clock and not all_day:
            end = self._on_day(start.date(), clock, zone)
            if end is None:
                return None
        else:
            value = fields.moment("end", zone)
            if value is None:
                return None
            if all_day or not isinstance(value, datetime):
                last_day = value if not isinstance(value, datetime) else value.date()
                end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone)
            else:
                end = self._in_zone(value, zone, "end")
        if end <= start:
            shown = (
                f"the last day {end - timedelta(days=1):%Y-%m-%d} is before the first day "
                f"{start:%Y-%m-%d}"
                if all_day
                else f"end {end:%Y-%m-%d %H:%M} is not after start {start:%Y-%m-%d %H:%M}"
            )
            fields.problem(
                "end",
                f"The event ends before it starts ({shown}).",
                "Check the dates and times; for an event past midnight give the date too: "
                "end: 2026-12-02 00:30",
            )
            return None
        return end

    def _on_day(self, day: date, clock: re.Match[str], zone: ZoneInfo) -> datetime | None:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        if hour > 23 or minute > 59:
            self.fields.problem("end", f'"end" is not a time of day ({clock.group(0)}).')
            return None
        naive = datetime.combine(day, time(hour, minute))
        return self._in_zone(naive.replace(tzinfo=zone), zone, "end")

    def _status(self) -> str:
        return self.fields.choice(
            "status",
            STATUSES,
            default="scheduled",
            fallback="scheduled",
            hint="status: cancelled",
            aliases=STATUS_ALIASES,
        )

    def _previous_start(self, status: str, zone: ZoneInfo, all_day: bool) -> datetime | None:
        value = self.fields.moment("previous_start", zone)
        if value is None:
            if status == "rescheduled":
                self.fields.warn(
                    "status",
                    'A rescheduled event should say when it was planned before ("previous_start").',
                    "previous_start: 2026-11-20 18:00",
                )
            return None
        if all_day or not isinstance(value, datetime):
            day = value.date() if isinstance(value, datetime) else value
            return datetime.combine(day, time(0), tzinfo=zone)
        return value.astimezone(zone)

    def _branch(self) -> Branch | None:
        branch_id = self.fields.text("branch")
        if not branch_id:
            return None
        branch = self.config.branches.get(branch_id)
        if branch is None:
            self._unknown_id("branch", branch_id, self.config.branches)
        return branch

    def _labels(self, key: str, known: dict[str, str]) -> tuple[Label, ...]:
        labels = []
        for item_id in self.fields.text_list(key):
            if item_id in known:
                labels.append(Label(item_id, known[item_id]))
            else:
                self._unknown_id(key, item_id, known)
        return tuple(labels)

    def _unknown_id(self, key: str, item_id: str, known: Mapping[str, object]) -> None:
        kind = "branches" if key == "branch" else key
        listed = ", ".join(known) if known else f"none yet: add {kind} to site.yaml"
        self.fields.problem(
            key,
            f'"{item_id}" is not one of the {kind} in site.yaml.{suggest(item_id, known)}',
            f"Use one of: {listed}",
        )

    def _web_address(self, key: str) -> str:
        url = self.fields.text(key)
        if url and urlsplit(url).scheme not in ("http", "https"):
            self.fields.problem(
                key, f'"{key}" must be a web address starting with https:// ({url!r}).'
            )
            return ""
        return url
