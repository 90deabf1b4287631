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

from dateutil.rrule import rrule

from sitegen.config import Branch, SiteConfig
from sitegen.errors import Problem
from sitegen.event_model import STATUSES, Event, Label, OccurrenceChange, status_sequence
from sitegen.fields import FieldReader, suggest
from sitegen.readers.document import Document, read_document, stem_slug
from sitegen.readers.markdown import MarkdownRenderer, plain_text, summary_from_text
from sitegen.recurrence import (
    RULE_EXAMPLE,
    RuleError,
    build_rule,
    dst_problem,
    nearby_dates,
    occurs_on,
    series_dst_problems,
)
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
        repeat, rule = self._repeat(start, all_day, zone)
        exceptions = self._exceptions(rule)
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
            changes=self._changes(all_day, zone, rule, exceptions),
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

    def _repeat(
        self, start: datetime | None, all_day: bool, zone: ZoneInfo
    ) -> tuple[str, rrule | None]:
        """The rule as written (upper-cased) and as dateutil's, checked against `start`."""
        written = self.fields.text("repeat")
        if not written or start is None:
            return written, None
        try:
            rule = build_rule(written, start, all_day)
        except RuleError as exc:
            self.fields.problem(
                "repeat",
                f'"repeat" is not a rule sitegen understands: {exc}.',
                f"Write it like: repeat: {RULE_EXAMPLE} (every Tuesday until June 1, 2027)",
            )
            return "", None
        naive = start.replace(tzinfo=None)
        # dateutil skips a start that does not fit the rule; RFC 5545 counts it anyway, so
        # calendar apps would show one date more than the web page. Ask for a fitting start.
        first = next(iter(rule), None)
        if first is None:
            self.fields.problem(
                "repeat",
                f'"repeat" gives no dates at all from start {naive:%Y-%m-%d}: '
                "does its UNTIL come before the start?",
                f"Write it like: repeat: {RULE_EXAMPLE} (every Tuesday until June 1, 2027)",
            )
            return "", None
        if first != naive:
            clock = "" if all_day else f" {first:%H:%M}"
            self.fields.problem(
                "repeat",
                f"The first date ({naive:%A}, {naive:%Y-%m-%d}) is not a date of the repeat "
                f"rule; its first date after that is {first:%A}, {first:%Y-%m-%d}{clock}.",
                f"Make start the first date of the series: start: {first:%Y-%m-%d}{clock}",
            )
            return "", None
        if not all_day:
            problems = list(series_dst_problems(rule, zone))
            if problems:
                more = f" ({len(problems) - 1} more dates like it)" if len(problems) > 1 else ""
                self.fields.warn(
                    "repeat",
                    f"A date of this series falls on a daylight-saving change: "
                    f"{problems[0]}{more}.",
                    "Check the time, or skip those dates with except:.",
                )
        return written.strip().upper().removeprefix("RRULE:"), rule

    def _exceptions(self, rule: rrule | None) -> tuple[date, ...]:
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
            if rule is not None and not occurs_on(rule, day):
                self.fields.warn(
                    "except",
                    f'"except" skips {day:%Y-%m-%d}, which is not a date of this series, '
                    "so nothing is skipped.",
                    _nearby_hint(rule, day),
                )
                continue
            days.append(day)
        if days and not self.fields.has("repeat"):
            self.fields.warn("except", '"except" only applies to events that repeat.')
        return tuple(sorted(set(days)))

    def _changes(
        self, all_day: bool, zone: ZoneInfo, rule: rrule | None, exceptions: tuple[date, ...]
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
        changes: dict[date, OccurrenceChange] = {}
        for entry in value:
            change = self._change(entry, zone, all_day)
            if change is None or rule is None:
                continue
            where = FieldReader(entry, self.fields.path, self.fields.problems, "change")
            if not occurs_on(rule, change.date):
                where.warn(
                    "date",
                    f"{change.date:%Y-%m-%d} is not a date of this series, so this change "
                    "applies to nothing.",
                    _nearby_hint(rule, change.date),
                )
            elif change.date in exceptions:
                where.warn(
                    "date",
                    f'{change.date:%Y-%m-%d} is also listed in "except", which skips it; '
                    "this change is ignored.",
                    'Remove the date from "except", or remove this change.',
                )
            elif change.date in changes:
                where.problem(
                    "date",
                    f"{change.date:%Y-%m-%d} is changed twice (first on line "
                    f"{changes[change.date].line}).",
                    "Put everything that changes on that date in one entry.",
                )
            else:
                changes[change.date] = change
        return tuple(sorted(changes.values(), key=lambda c: c.date))

    def _change(self, entry: YamlMap, zone: ZoneInfo, all_day: bool) -> OccurrenceChange | None:
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
                "status",
                f'"status" must be one of {", ".join(STATUSES)} ({written!r}).'
                + suggest(written, STATUSES),
                _CHANGE_HINT,
            )
            status = ""
        start = self._change_moment(fields, "start", zone, all_day)
        end = self._change_moment(fields, "end", zone, all_day)
        if all_day and end is not None:
            end += timedelta(days=1)  # the last day, as staff write it; the end is exclusive
        if start is not None and end is not None and end <= start:
            fields.problem(
                "end",
                f"The moved date ends before it starts (end {end:%Y-%m-%d %H:%M} is not after "
                f"start {start:%Y-%m-%d %H:%M}).",
                "Give the new start and end of that date: start: 2027-01-06 10:30, "
                "end: 2027-01-06 11:30",
            )
            end = None
        return OccurrenceChange(
            date=day,
            line=entry.line,
            status=status,
            start=start,
            end=end,
            location=fields.text("location"),
            note=fields.text("note"),
        )

    def _change_moment(
        self, fields: FieldReader, key: str, zone: ZoneInfo, all_day: bool
    ) -> datetime | None:
        """A moved date's new start or end: a date for all-day series, else a date and time."""
        value = fields.moment(key, zone)
        if value is None:
            return None
        if all_day:
            day = value.date() if isinstance(value, datetime) else value
            return datetime.combine(day, time(0), tzinfo=zone)
        if not isinstance(value, datetime):
            fields.problem(key, "A moved date needs a time too.", f"{key}: 2026-12-23 10:30")
            return None
        if value.tzinfo is zone:
            problem = dst_problem(value.replace(tzinfo=None), zone)
            if problem:
                fields.warn(key, f"{problem[0].upper()}{problem[1:]}.", "Check the time.")
        return value.astimezone(ZoneInfo("UTC")).astimezone(zone)


def _nearby_hint(rule: rrule, day: date) -> str:
    near = nearby_dates(rule, day)
    if not near:
        return "Check the date against start and repeat."
    return "The nearest dates of the series: " + ", ".join(
        f"{found:%A} {found:%Y-%m-%d}" for found in near
    )


_CHANGE_HINT = (
    "Write it like:\nchanges:\n  - date: 2026-12-22\n    status: cancelled\n"
    '    note: "Closed for the holidays"\n  - date: 2027-01-05\n    start: 2027-01-06 10:30'
)
