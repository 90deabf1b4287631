"""The event schedule at the build's clock: occurrences, upcoming and past, months, filters.

Pure functions: events and `now` in, an EventSchedule out. Series are expanded in local
wall-clock time within a window around `now` (site.yaml `events: past_days, horizon_days`).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sitegen import urls
from sitegen.config import SiteConfig
from sitegen.event_model import (
    CalendarDay,
    DayGroup,
    Event,
    EventFilter,
    EventSchedule,
    MonthCalendar,
    Occurrence,
)
from sitegen.model import ScheduledChange
from sitegen.recurrence import build_rule, local_moment


def expand_event(event: Event, window_start: datetime, window_end: datetime) -> list[Occurrence]:
    """The event's occurrences that overlap [window_start, window_end), changes applied."""
    if not event.recurring:
        single = Occurrence(event, event.start, event.end, event.start, event.status)
        return [single] if _overlaps(single, window_start, window_end) else []
    zone = ZoneInfo(event.timezone_name)
    rule = build_rule(event.repeat, event.start, event.all_day)
    naive_duration = event.end.replace(tzinfo=None) - event.start.replace(tzinfo=None)
    low = (window_start.astimezone(zone) - naive_duration).replace(tzinfo=None)
    high = window_end.astimezone(zone).replace(tzinfo=None)
    changes = {change.date: change for change in event.changes}
    skipped = set(event.exceptions)
    occurrences = []
    for naive in rule.between(low, high, inc=True):
        if naive.date() in skipped:
            continue
        start = local_moment(naive, zone)
        occurrence = Occurrence(
            event, start, local_moment(naive + naive_duration, zone), start, event.status
        )
        change = changes.get(naive.date())
        if change is not None:
            occurrence = _changed(
                occurrence, change.status, change.start, change.end, change.location, change.note
            )
        if _overlaps(occurrence, window_start, window_end):
            occurrences.append(occurrence)
    return occurrences


def _changed(
    occurrence: Occurrence,
    status: str,
    start: datetime | None,
    end: datetime | None,
    location: str,
    note: str,
) -> Occurrence:
    new_start = start or occurrence.start
    new_end = end or (new_start + (occurrence.end - occurrence.start))
    return replace(
        occurrence,
        start=new_start,
        end=new_end,
        status=status or occurrence.status,
        location=location or occurrence.location,
        note=note,
    )


def _overlaps(occurrence: Occurrence, start: datetime, end: datetime) -> bool:
    return occurrence.end > start and occurrence.start < end


def assemble_schedule(config: SiteConfig, events: Sequence[Event], now: datetime) -> EventSchedule:
    """Every occurrence within the window around `now`, split into upcoming and past."""
    settings = config.events
    window_start = now - timedelta(days=settings.past_days)
    window_end = now + timedelta(days=settings.horizon_days)
    by_event: dict[str, tuple[Occurrence, ...]] = {}
    everything: list[Occurrence] = []
    for event in events:
        occurrences = sorted(expand_event(event, window_start, window_end), key=_order)
        by_event[event.slug] = tuple(occurrences)
        everything.extend(occurrences)
    everything.sort(key=_order)
    upcoming = tuple(o for o in everything if o.end > now)
    past = tuple(sorted((o for o in everything if o.end <= now), key=_order, reverse=True))
    shown = tuple(sorted(events, key=lambda e: (e.start, e.title.casefold())))
    return EventSchedule(
        events=shown,
        upcoming=upcoming,
        past=past,
        months=month_calendars(everything, now, ZoneInfo(config.timezone_name)),
        filters=_filters(config, shown, upcoming),
        occurrences_by_event=by_event,
    )


def _order(occurrence: Occurrence) -> tuple[datetime, str, str]:
    return (occurrence.start, occurrence.event.title.casefold(), occurrence.event.slug)


def group_by_day(
    occurrences: Iterable[Occurrence], zone: ZoneInfo, today: date | None = None
) -> tuple[DayGroup, ...]:
    """Occurrences grouped by their first day in the site's zone, in the order given.

    An all-day event's days are its own dates, whatever its zone. With `today`, an event
    that began earlier and is still going on is listed under today, not under a past day.
    """
    days: dict[date, list[Occurrence]] = defaultdict(list)
    for occurrence in occurrences:
        day = (
            occurrence.day if occurrence.event.all_day else occurrence.start.astimezone(zone).date()
        )
        if today is not None and day < today:
            day = today
        days[day].append(occurrence)
    return tuple(DayGroup(day, tuple(items)) for day, items in days.items())


def month_calendars(
    occurrences: Sequence[Occurrence], now: datetime, zone: ZoneInfo
) -> tuple[MonthCalendar, ...]:
    """One calendar per month from the first to the last occurrence (and this month)."""
    today = now.astimezone(zone).date()
    by_day: dict[date, list[Occurrence]] = defaultdict(list)
    for occurrence in occurrences:
        for day in _local_days(occurrence, zone):
            by_day[day].append(occurrence)
    months = {(today.year, today.month)} | {(day.year, day.month) for day in by_day}
    first, last = min(months), max(months)
    keys: list[tuple[int, int]] = []
    year, month = first
    while (year, month) <= last:
        keys.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(
        _month(
            key,
            keys[index - 1] if index else None,
            keys[index + 1] if index + 1 < len(keys) else None,
            by_day,
        )
        for index, key in enumerate(keys)
    )


def _local_days(occurrence: Occurrence, zone: ZoneInfo) -> list[date]:
    if occurrence.event.all_day:
        return list(occurrence.days)
    start = occurrence.start.astimezone(zone).date()
    end = (occurrence.end.astimezone(zone) - timedelta(microseconds=1)).date()
    return [start + timedelta(days=n) for n in range(max(0, (end - start).days) + 1)]


def _month(
    key: tuple[int, int],
    previous: tuple[int, int] | None,
    following: tuple[int, int] | None,
    by_day: dict[date, list[Occurrence]],
) -> MonthCalendar:
    year, month = key
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return MonthCalendar(
        year,
        month,
        tuple(
            tuple(CalendarDay(day, day.month == month, tuple(by_day.get(day, ()))) for day in week)
            for week in weeks
        ),
        previous_url=urls.event_month_url(*previous) if previous else None,
        next_url=urls.event_month_url(*following) if following else None,
    )


def _filters(
    config: SiteConfig, events: Sequence[Event], upcoming: Sequence[Occurrence]
) -> tuple[EventFilter, ...]:
    filters = []
    groups = (
        ("branch", {b.id: b.name for b in config.branches.values()}, _branch_ids),
        ("audience", config.audiences, lambda e: [a.id for a in e.audiences]),
        ("category", config.categories, lambda e: [c.id for c in e.categories]),
    )
    for kind, labels, ids_of in groups:
        for item_id, name in labels.items():
            matching = tuple(e for e in events if item_id in ids_of(e))
            if matching:
                slugs = {e.slug for e in matching}
                shown = tuple(o for o in upcoming if o.event.slug in slugs)
                filters.append(EventFilter(kind, item_id, name, shown, matching))
    return tuple(filters)


def _branch_ids(event: Event) -> list[str]:
    return [event.branch.id] if event.branch else []


def next_event_change(schedule: EventSchedule) -> ScheduledChange | None:
    """When the next upcoming occurrence ends and moves to the past listings."""
    if not schedule.upcoming:
        return None
    first = min(schedule.upcoming, key=lambda o: o.end)
    return ScheduledChange(first.end, f'"{first.title}" moves to past events', first.event.source)
