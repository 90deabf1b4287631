"""iCalendar feeds made with the icalendar package: the whole calendar, one per event, and one
per branch, audience and category.

A series is one VEVENT with RRULE and EXDATE; a date of a series that was moved or cancelled
on its own is a second VEVENT with the same UID and a RECURRENCE-ID, as RFC 5545 intends, so
calendar apps update the one date. VTIMEZONE blocks describe every zone used.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from sitegen import urls
from sitegen.event_model import Event, OccurrenceChange, status_sequence
from sitegen.model import Site
from sitegen.outputs.files import OutputFile
from sitegen.recurrence import local_moment, rule_parts, until_moment

if TYPE_CHECKING:
    import icalendar

RECENT_DAYS = 30
_ICS_STATUS = {
    "scheduled": "CONFIRMED",
    "rescheduled": "CONFIRMED",
    "moved-online": "CONFIRMED",
    "postponed": "TENTATIVE",
    "cancelled": "CANCELLED",
}


def plan_calendars(site: Site) -> list[OutputFile]:
    """/events.ics, /events/SLUG/event.ics and one calendar per filter page."""
    schedule = site.events
    if not schedule.events:
        return []
    recent = site.now - timedelta(days=RECENT_DAYS)
    current = [
        event
        for event in schedule.events
        if any(o.end > recent for o in schedule.occurrences_of(event))
    ]
    title = site.config.title
    files = [_calendar_file(site, urls.EVENTS_CALENDAR, f"{title} events", current)]
    for event in schedule.events:
        files.append(_calendar_file(site, event.ics_url, event.title, [event]))
    for event_filter in schedule.filters:
        name = f"{title}: {event_filter.name}"
        files.append(_calendar_file(site, event_filter.ics_url, name, list(event_filter.events)))
    return files


def _calendar_file(site: Site, url: str, name: str, events: Sequence[Event]) -> OutputFile:
    make = partial(calendar_bytes, site, name, events)
    return OutputFile(urls.output_path(url), source=f"the calendar {url}", produce=make)


def calendar_bytes(site: Site, name: str, events: Sequence[Event]) -> bytes:
    # Imported when a calendar is made (it takes longer to import than a rebuild of a post).
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//sitegen//Library events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # icalendar does not escape X- properties: a title with a line break would start a new
    # property (or a whole VEVENT) in the file.
    calendar.add("x-wr-calname", icalendar.vText(" ".join(name.split())))
    calendar.add("x-wr-timezone", site.config.timezone_name)
    for event in events:
        for component in event_components(event, site):
            calendar.add_component(component)
    if events:
        # Transitions from the first event to a year past the listing horizon, not since 1970.
        starts = [event.start for event in events]
        starts += [change.start for event in events for change in event.changes if change.start]
        first = min(starts).date() - timedelta(days=1)
        last = (site.now + timedelta(days=site.config.events.horizon_days + 366)).date()
        calendar.add_missing_timezones(first_date=first, last_date=max(last, first))
        _zones_in_order(calendar)
    return bytes(calendar.to_ical())


def _zones_in_order(calendar: icalendar.Calendar) -> None:
    """VTIMEZONE blocks by zone name: icalendar adds them in the order of a set, which
    changes with Python's hash seed, so two builds of the same site would differ."""
    zones = [part for part in calendar.subcomponents if part.name == "VTIMEZONE"]
    others = [part for part in calendar.subcomponents if part.name != "VTIMEZONE"]
    calendar.subcomponents[:] = sorted(zones, key=lambda zone: str(zone["TZID"])) + others


def event_components(event: Event, site: Site) -> list[icalendar.Event]:
    """The VEVENT of an event or series, then one per date of a series changed on its own."""
    import icalendar

    main = _vevent(event, site, event.start, event.end, event.status, "")
    if event.recurring:
        main.add("rrule", icalendar.vRecur.from_ical(ics_rule(event)))
        if event.exceptions:
            main.add("exdate", [_on_day(event, day) for day in event.exceptions])
    overrides = [_override(event, change, site) for change in event.changes]
    return [main, *overrides]


def _vevent(
    event: Event, site: Site, start: datetime, end: datetime, status: str, room: str
) -> icalendar.Event:
    import icalendar

    component = icalendar.Event()
    component.add("uid", f"{event.slug}@{urlsplit(site.config.url).hostname}")
    component.add("dtstamp", site.now.astimezone(UTC))
    if event.all_day:
        component.add("dtstart", start.date())
        component.add("dtend", end.date())
    else:
        component.add("dtstart", start)
        component.add("dtend", end)
    component.add("summary", event.title)
    page = urljoin(site.config.url, event.url.lstrip("/"))
    component.add("url", page)
    component.add("description", f"{event.description}\n\n{page}".strip())
    where = location_text(event, room)
    if where:
        component.add("location", where)
    component.add("status", _ICS_STATUS[status])
    component.add("sequence", event.sequence)
    labels = [label.name for label in (*event.categories, *event.audiences)]
    if labels:
        component.add("categories", labels)
    return component


def location_text(event: Event, room: str = "") -> str:
    """Where, as one line for calendar apps: branch, room and address, and the link to join
    when the event is (also) online; only the link once it has moved online."""
    if event.attendance_mode == "online":
        return event.online_url
    room = room or event.location
    parts = []
    if event.branch:
        parts.append(event.branch.name + (f", {room}" if room else ""))
        parts.extend(event.branch.address.lines)
    elif room:
        parts.append(room)
    if event.online_url:
        parts.append(event.online_url)
    return ", ".join(parts)


def ics_rule(event: Event) -> str:
    """The rule with UNTIL in UTC (or a date for all-day events), as RFC 5545 requires."""
    parts = rule_parts(event.repeat)
    if "UNTIL" in parts:
        until = until_moment(parts["UNTIL"], event.start.tzinfo or UTC, event.all_day)
        parts["UNTIL"] = (
            f"{until:%Y%m%d}" if event.all_day else f"{until.astimezone(UTC):%Y%m%dT%H%M%SZ}"
        )
    return ";".join(f"{key}={value}" for key, value in parts.items())


def _on_day(event: Event, day: date) -> date | datetime:
    """The start an occurrence on `day` would have: its RECURRENCE-ID or EXDATE value."""
    if event.all_day:
        return day
    naive = datetime.combine(day, event.start.replace(tzinfo=None).time())
    return local_moment(naive, ZoneInfo(event.timezone_name))


def _override(event: Event, change: OccurrenceChange, site: Site) -> icalendar.Event:
    original = _on_day(event, change.date)
    zone = ZoneInfo(event.timezone_name)
    if isinstance(original, datetime):
        planned_start = original
        planned_end = local_moment(original.replace(tzinfo=None) + _wall_duration(event), zone)
    else:
        planned_start = datetime.combine(original, event.start.timetz())
        planned_end = planned_start + (event.end - event.start)
    start = change.start or planned_start
    end = change.end or start + (planned_end - planned_start)
    status = change.status or event.status
    component = _vevent(event, site, start, end, status, change.location)
    component.add("recurrence-id", original)
    # A changed date is a newer revision of that occurrence, so calendar apps take it, and
    # its own status change (moved, then cancelled) raises it again.
    component["sequence"] = event.sequence + 1 + status_sequence(change.status)
    if change.note:
        import icalendar

        component["description"] = icalendar.vText(f"{change.note}\n\n{component['description']}")
    return component


def _wall_duration(event: Event) -> timedelta:
    """The length on the wall clock, as the schedule expands a series (10:30 to 11:15)."""
    return event.end.replace(tzinfo=None) - event.start.replace(tzinfo=None)
