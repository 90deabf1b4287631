"""Events: content/events/**/*.md → Event values, every field checked against site.yaml.

Times are read in the event's own zone (its `timezone`, else the site's). Branches,
audiences and categories must be ids from site.yaml; repeat rules, exceptions and changes
to single dates of a series are checked here so mistakes point at the right line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sitegen.config import Branch, SiteConfig
from sitegen.errors import Problem
from sitegen.event_model import STATUSES, Event, Label, OccurrenceChange
from sitegen.fields import FieldReader, suggest
from sitegen.readers.document import Document, read_document, stem_slug
from sitegen.readers.markdown import MarkdownRenderer, plain_text, summary_from_text
from sitegen.recurrence import RULE_EXAMPLE, RuleError, build_rule, dst_problem
from sitegen.yaml_source import YamlMap

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
CHANGE_KEYS = ("date", "status", "start", "end", "location", "note")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_STATUS_ALIASES = {
    "canceled": "cancelled",
    "moved online": "moved-online",
    "online": "moved-online",
}


def read_event(
    file: Path, path: str, config: SiteConfig, renderer: MarkdownRenderer
) -> tuple[Event | None, list[Problem]]:
    """One event or series, or None with the problems that keep it off the site."""
    document = read_document(file, path, renderer, "event", EVENT_KEYS)
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
            previous_start=self._previous_start(status, zone),
            repeat=self._repeat(start, all_day),
            exceptions=self._exceptions(),
            changes=self._changes(start, all_day, zone),
            image=self.document.image(self.config.static_dir),
            tags=self.document.tags(),
            sequence=fields.integer("sequence", 0 if status == "scheduled" else 1),
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
            fields.problem(
                "end",
                "The event ends before it starts.",
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
        written = self.fields.text("status", "scheduled").strip().lower()
        status = _STATUS_ALIASES.get(written, written)
        if status not in STATUSES:
            self.fields.problem(
                "status",
                f'"status" must be one of {", ".join(STATUSES)} ({written!r}).'
                + suggest(written, STATUSES),
                "status: cancelled",
            )
            return "scheduled"
        return status

    def _previous_start(self, status: str, zone: ZoneInfo) -> datetime | None:
        value = self.fields.moment("previous_start", zone)
        if value is None:
            if status == "rescheduled":
                self.fields.warn(
                    "status",
                    'A rescheduled event should say when it was planned before ("previous_start").',
                    "previous_start: 2026-11-20 18:00",
                )
            return None
        if not isinstance(value, datetime):
            return datetime.combine(value, time(0), tzinfo=zone)
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
        listed = ", ".join(known) if known else f"none yet: add {key} to site.yaml"
        self.fields.problem(
            key,
            f'"{item_id}" is not one of the {key} in site.yaml.{suggest(item_id, known)}',
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

    def _repeat(self, start: datetime | None, all_day: bool) -> str:
        rule = self.fields.text("repeat")
        if not rule or start is None:
            return rule
        try:
            build_rule(rule, start, all_day)
        except RuleError as exc:
            self.fields.problem(
                "repeat",
                f'"repeat" is not a rule sitegen understands: {exc}.',
                f"Write it like: repeat: {RULE_EXAMPLE} (every Tuesday until June 1, 2027)",
            )
            return ""
        return rule.strip().upper().removeprefix("RRULE:")

    def _exceptions(self) -> tuple[date, ...]:
        value = self.fields.data.get("except")
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        days = []
        for item in items:
            day = item if isinstance(item, date) and not isinstance(item, datetime) else None
            if day is None:
                self.fields.problem(
                    "except",
                    f'"except" must list dates like 2026-12-22 ({item!r} is not one).',
                    "except: [2026-12-22, 2026-12-29]",
                )
                continue
            days.append(day)
        if days and not self.fields.has("repeat"):
            self.fields.warn("except", '"except" only applies to events that repeat.')
        return tuple(sorted(days))

    def _changes(
        self, start: datetime | None, all_day: bool, zone: ZoneInfo
    ) -> tuple[OccurrenceChange, ...]:
        value = self.fields.data.get("changes")
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, YamlMap) for v in value):
            self.fields.problem(
                "changes", '"changes" must be a list of dates with what changes.', _CHANGE_HINT
            )
            return ()
        if not self.fields.has("repeat"):
            self.fields.warn(
                "changes", '"changes" only applies to events that repeat.', _CHANGE_HINT
            )
        changes = [self._change(entry, zone) for entry in value]
        return tuple(sorted((c for c in changes if c is not None), key=lambda c: c.date))

    def _change(self, entry: YamlMap, zone: tzinfo) -> OccurrenceChange | None:
        fields = FieldReader(entry, self.fields.path, self.fields.problems, "change")
        fields.reject_unknown(CHANGE_KEYS)
        day = fields.moment("date", zone)
        if not fields.require("date", "2026-12-22") or day is None:
            return None
        if isinstance(day, datetime):
            day = day.date()
        written = fields.text("status").strip().lower()
        status = _STATUS_ALIASES.get(written, written)
        if status and status not in STATUSES:
            fields.problem(
                "status", f'"status" must be one of {", ".join(STATUSES)}.', _CHANGE_HINT
            )
            status = ""
        start = fields.moment("start", zone)
        end = fields.moment("end", zone)
        moved = start if isinstance(start, datetime) else None
        if start is not None and moved is None:
            fields.problem("start", "A moved date needs a time too.", "start: 2026-12-23 10:30")
        return OccurrenceChange(
            date=day,
            line=entry.line,
            status=status,
            start=moved.astimezone(zone) if moved else None,
            end=end.astimezone(zone) if isinstance(end, datetime) else None,
            location=fields.text("location"),
            note=fields.text("note"),
        )


_CHANGE_HINT = (
    "Write it like:\nchanges:\n  - date: 2026-12-22\n    status: cancelled\n"
    '    note: "Closed for the holidays"\n  - date: 2027-01-05\n    start: 2027-01-06 10:30'
)
