"""Dates and times as a library writes them on a flyer: "Tuesday, December 1, 2026",
"10:30 a.m. – 11:30 a.m." and, when an event is in another zone than the site, its zone named.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sitegen.event_model import Occurrence


def long_date(value: date | datetime) -> str:
    return f"{value:%A}, {value:%B} {value.day}, {value.year}"


def short_date(value: date | datetime) -> str:
    return f"{value:%B} {value.day}, {value.year}"


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
