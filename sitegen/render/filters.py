"""Dates and times as a library writes them on a flyer: "Tuesday, December 1, 2026",
"10:30 a.m. – 11:30 a.m." and, when an event is in another zone than the site, its zone named;
a branch's opening hours grouped by the days that share them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sitegen.config import OpeningHours
from sitegen.event_model import Occurrence


def long_date(value: date | datetime) -> str:
    return f"{_weekday_name(value.weekday())}, {_month_name(value.month)} {value.day}, {value.year}"


def short_date(value: date | datetime) -> str:
    return f"{_month_name(value.month)} {value.day}, {value.year}"


# Names as strftime writes them (%B, %A), kept: strftime on a datetime with a zone asks the
# zone for its offset first, and listings write the dates of thousands of posts.
@cache
def _month_name(month: int) -> str:
    return f"{date(2000, month, 1):%B}"


@cache
def _weekday_name(weekday: int) -> str:
    return f"{date(2000, 1, 3 + weekday):%A}"  # 2000-01-03 was a Monday


def clock(value: datetime) -> str:
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes} {'a.m.' if value.hour < 12 else 'p.m.'}"


def event_when(occurrence: Occurrence, site_zone: str) -> str:
    """The occurrence's day(s) and time(s) in the event's zone, naming the zone if foreign."""
    event = occurrence.event
    start, end = occurrence.start, occurrence.end
    if event.all_day:
        last = occurrence.last_day
        if last == occurrence.day:
            return f"{long_date(start)}, all day"
        return f"{long_date(start)} to {long_date(last)}"
    if (end - timedelta(microseconds=1)).date() != start.date():
        text = f"{long_date(start)}, {clock(start)} to {long_date(end)}, {clock(end)}"
    else:
        text = f"{long_date(start)}, {clock(start)} – {clock(end)}"
    if event.timezone_name != site_zone:
        text += f" ({start:%Z}, {event.timezone_name.split('/')[-1].replace('_', ' ')} time)"
    return text


def event_times(occurrence: Occurrence, site_zone: str) -> str:
    """Just the times, for a listing already grouped by day."""
    event = occurrence.event
    if event.all_day:
        return (
            "All day"
            if occurrence.last_day == occurrence.day
            else (f"Until {short_date(occurrence.last_day)}")
        )
    zone = ZoneInfo(site_zone)
    start, end = occurrence.start, occurrence.end
    text = f"{clock(start)} – {clock(end)}"
    if event.timezone_name != site_zone:
        local = start.astimezone(zone)
        text += f" {start:%Z} ({clock(local)} {local:%Z})"
    return text


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class HoursRow:
    """Days with the same opening hours: "Monday–Thursday", "09:00" to "20:00"."""

    days: str
    opens: str
    closes: str
    closed: bool


def opening_hours(hours: Iterable[OpeningHours]) -> list[HoursRow]:
    """A branch's hours as rows of days that share their times, in the order of the week."""
    by_day = {}
    for entry in hours:
        for day in entry.days:
            by_day[day] = (entry.opens, entry.closes, entry.closed)
    groups: dict[tuple[str, str, bool], list[int]] = {}
    for index, day in enumerate(WEEKDAYS):
        if day in by_day:
            groups.setdefault(by_day[day], []).append(index)
    rows = sorted(groups.items(), key=lambda item: item[1][0])
    return [HoursRow(_day_ranges(days), *times) for times, days in rows]


def _day_ranges(days: list[int]) -> str:
    """[0, 1, 2, 3] → "Monday–Thursday"; [1, 3, 4] → "Tuesday, Thursday and Friday"."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts: list[str] = []
    for run in runs:
        names = [WEEKDAYS[day].capitalize() for day in run]
        parts.extend([f"{names[0]}–{names[-1]}"] if len(run) > 2 else names)
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def clock_text(value: str) -> str:
    """ "09:00" (as site.yaml writes opening hours) → "9 a.m."."""
    hours, minutes = (int(part) for part in value.split(":"))
    return clock(datetime(2000, 1, 1, hours, minutes))
