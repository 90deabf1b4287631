"""Repeating events: RFC 5545 RRULE text checked and expanded in local wall-clock time.

A weekly 10:30 storytime stays at 10:30 across daylight-saving changes because occurrences
are computed as local times and only then given the zone's offset. Local times that do not
exist (the spring gap) or happen twice (the autumn fold) resolve as RFC 5545 says: a time in
the gap moves forward by the gap's length, an ambiguous time is the first of the two instants.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, tzinfo

from dateutil.rrule import rrule, rrulestr

_KNOWN_PARTS = {
    "FREQ",
    "UNTIL",
    "COUNT",
    "INTERVAL",
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
}
_FREQUENCIES = {"YEARLY", "MONTHLY", "WEEKLY", "DAILY"}
_UNTIL = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2}):?(\d{2})?(Z)?)?")
RULE_EXAMPLE = "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270601"


class RuleError(ValueError):
    """A repeat rule that cannot be used; the message is written for staff."""


def rule_parts(text: str) -> dict[str, str]:
    """The KEY=VALUE parts of a rule, upper-cased; RuleError if one is malformed or unknown."""
    body = text.strip().upper().removeprefix("RRULE:")
    parts: dict[str, str] = {}
    for item in filter(None, body.split(";")):
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not value.strip():
            raise RuleError(f'"{item}" is not KEY=VALUE')
        if key not in _KNOWN_PARTS:
            raise RuleError(f'"{key}" is not part of a repeat rule')
        if key in parts:
            raise RuleError(f'"{key}" is given twice')
        parts[key] = value.strip()
    if parts.get("FREQ") not in _FREQUENCIES:
        raise RuleError("it needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY")
    if "UNTIL" in parts and "COUNT" in parts:
        raise RuleError("it may have UNTIL or COUNT, not both")
    for key in ("COUNT", "INTERVAL"):
        # dateutil takes COUNT=0 as "no dates at all" and INTERVAL=0 as an endless loop.
        if key in parts and not (parts[key].isdecimal() and int(parts[key]) > 0):
            raise RuleError(f"{key} must be a whole number of at least 1, not {parts[key]}")
    return parts


def until_moment(value: str, zone: tzinfo, all_day: bool) -> datetime:
    """UNTIL as an aware moment; a date alone means the end of that day in the event's zone."""
    match = _UNTIL.fullmatch(value)
    if not match:
        raise RuleError(f'UNTIL "{value}" is not a date like 20270601')
    year, month, day, hour, minute, second, utc = match.groups()
    try:
        day_value = date(int(year), int(month), int(day))
        if hour is None or all_day:
            return datetime.combine(day_value, time(23, 59, 59), tzinfo=zone)
        clock = time(int(hour), int(minute), int(second or 0))
    except ValueError as exc:
        raise RuleError(f'UNTIL "{value}" is not a real date') from exc
    return datetime.combine(day_value, clock, tzinfo=UTC if utc else zone)


def build_rule(text: str, start: datetime, all_day: bool) -> rrule:
    """The rule as a dateutil rrule over naive local times starting at `start`."""
    assert start.tzinfo is not None
    parts = rule_parts(text)
    if "UNTIL" in parts:
        until = until_moment(parts["UNTIL"], start.tzinfo, all_day)
        parts["UNTIL"] = f"{until.astimezone(start.tzinfo).replace(tzinfo=None):%Y%m%dT%H%M%S}"
    rule_text = "RRULE:" + ";".join(f"{key}={value}" for key, value in parts.items())
    try:
        made = rrulestr(rule_text, dtstart=start.replace(tzinfo=None))
    except (ValueError, TypeError) as exc:
        raise RuleError(str(exc).rstrip(".")) from None
    assert isinstance(made, rrule)
    return made


def local_moment(naive: datetime, zone: tzinfo) -> datetime:
    """A wall-clock time in `zone` as an aware datetime, resolved as RFC 5545 says."""
    first = naive.replace(tzinfo=zone, fold=0)
    return first.astimezone(UTC).astimezone(zone)


def dst_problem(naive: datetime, zone: tzinfo) -> str:
    """Why `naive` is not a plain local time in `zone` ("" if it is one)."""
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return ""
    resolved = local_moment(naive, zone)
    if resolved.replace(tzinfo=None) != naive:
        return (
            f"{naive:%H:%M} on {naive:%Y-%m-%d} does not exist in {zone}: the clocks jump "
            f"forward that night, so it is taken as {resolved:%H:%M}"
        )
    return (
        f"{naive:%H:%M} on {naive:%Y-%m-%d} happens twice in {zone}: the clocks go back "
        f"that night, so the first one ({resolved:%Z}) is used"
    )


def occurs_on(rule: rrule, day: date) -> bool:
    """True if the rule has a date (at any time) on `day`."""
    return bool(
        rule.between(datetime.combine(day, time.min), datetime.combine(day, time.max), inc=True)
    )


def nearby_dates(rule: rrule, day: date) -> list[date]:
    """The rule's dates just before and after `day`, for "did you mean" hints."""
    before = rule.before(datetime.combine(day, time.min))
    after = rule.after(datetime.combine(day, time.max))
    return [found.date() for found in (before, after) if found is not None]


# Far enough ahead for any series a library plans; an endless daily rule stops here too.
_DST_CHECK_YEARS = 5


def series_dst_problems(rule: rrule, zone: tzinfo) -> Iterator[str]:
    """dst_problem() for each date of the series (its first five years) in a gap or fold."""
    dates = iter(rule)
    first = next(dates, None)
    if first is None:
        return
    stop = first.replace(year=first.year + _DST_CHECK_YEARS, day=min(first.day, 28))
    for naive in itertools.chain([first], dates):
        if naive >= stop:
            return
        problem = dst_problem(naive, zone)
        if problem:
            yield problem
