"""A series in an event file: its repeat rule, skipped dates and changes to single dates.

Each is checked against the rule itself, so a date that is not part of the series, a change on
a skipped date or a date changed twice is reported at its own line.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule

from sitegen.event_model import STATUSES, OccurrenceChange
from sitegen.fields import FieldReader
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

CHANGE_KEYS = ("date", "status", "start", "end", "location", "note")
STATUS_ALIASES = {
    "canceled": "cancelled",
    "moved online": "moved-online",
    "online": "moved-online",
}


def read_repeat(
    fields: FieldReader, start: datetime | None, all_day: bool, zone: ZoneInfo
) -> tuple[str, rrule | None]:
    """The rule as written (upper-cased) and as dateutil's, checked against `start`."""
    written = fields.text("repeat")
    if not written or start is None:
        return written, None
    try:
        rule = build_rule(written, start, all_day)
    except RuleError as exc:
        fields.problem(
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
        fields.problem(
            "repeat",
            f'"repeat" gives no dates at all from start {naive:%Y-%m-%d}: '
            "does its UNTIL come before the start?",
            f"Write it like: repeat: {RULE_EXAMPLE} (every Tuesday until June 1, 2027)",
        )
        return "", None
    if first != naive:
        clock = "" if all_day else f" {first:%H:%M}"
        fields.problem(
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
            fields.warn(
                "repeat",
                f"A date of this series falls on a daylight-saving change: {problems[0]}{more}.",
                "Check the time, or skip those dates with except:.",
            )
    return written.strip().upper().removeprefix("RRULE:"), rule


def read_exceptions(fields: FieldReader, rule: rrule | None) -> tuple[date, ...]:
    """The `except` dates: each must be a date of the series, or it is reported."""
    value = fields.data.get("except")
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    days = []
    for item in items:
        day = item if isinstance(item, date) and not isinstance(item, datetime) else None
        if day is None:
            fields.problem(
                "except",
                f'"except" must list dates like 2026-12-22 ({item!r} is not one).',
                "except: [2026-12-22, 2026-12-29]",
            )
            continue
        if rule is not None and not occurs_on(rule, day):
            fields.warn(
                "except",
                f'"except" skips {day:%Y-%m-%d}, which is not a date of this series, '
                "so nothing is skipped.",
                _nearby_hint(rule, day),
            )
            continue
        days.append(day)
    if days and not fields.has("repeat"):
        fields.warn("except", '"except" only applies to events that repeat.')
    return tuple(sorted(set(days)))


def read_changes(
    fields: FieldReader,
    all_day: bool,
    zone: ZoneInfo,
    rule: rrule | None,
    exceptions: tuple[date, ...],
) -> tuple[OccurrenceChange, ...]:
    """The `changes` list: one entry per date of the series that is cancelled or moved."""
    value = fields.data.get("changes")
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, YamlMap) for v in value):
        fields.problem(
            "changes", '"changes" must be a list of dates with what changes.', _CHANGE_HINT
        )
        return ()
    if not fields.has("repeat"):
        fields.warn("changes", '"changes" only applies to events that repeat.', _CHANGE_HINT)
    changes: dict[date, OccurrenceChange] = {}
    for entry in value:
        change = _change(fields, entry, zone, all_day)
        if change is None or rule is None:
            continue
        where = FieldReader(entry, fields.path, fields.problems, "change")
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


def _change(
    parent: FieldReader, entry: YamlMap, zone: ZoneInfo, all_day: bool
) -> OccurrenceChange | None:
    fields = FieldReader(entry, parent.path, parent.problems, "change")
    fields.reject_unknown(CHANGE_KEYS)
    day = fields.moment("date", zone)
    if not fields.require("date", "2026-12-22") or day is None:
        return None
    if isinstance(day, datetime):
        day = day.date()
    status = fields.choice(
        "status", STATUSES, default="", fallback="", hint=_CHANGE_HINT, aliases=STATUS_ALIASES
    )
    start = _change_moment(fields, "start", zone, all_day)
    end = _change_moment(fields, "end", zone, all_day)
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


def _change_moment(fields: FieldReader, key: str, zone: ZoneInfo, all_day: bool) -> datetime | None:
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
