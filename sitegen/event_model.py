"""Events as plain frozen dataclasses: an Event as staff wrote it, its Occurrences in time.

A one-off event has one occurrence; a series (`repeat`) has one per date, each of which can
be changed on its own (`changes`). EventSchedule is what a build publishes: occurrences split
into upcoming and past at the build's `now`, month calendars and filters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from markupsafe import Markup

from sitegen import urls
from sitegen.config import Branch
from sitegen.model import Image, SourceRef, Tag

STATUSES = ("scheduled", "cancelled", "postponed", "rescheduled", "moved-online")
STATUS_LABELS = {
    "scheduled": "",
    "cancelled": "Cancelled",
    "postponed": "Postponed",
    "rescheduled": "Rescheduled",
    "moved-online": "Moved online",
}
# How far along the usual path (scheduled → moved online or postponed → rescheduled →
# cancelled) a status is: added to SEQUENCE in .ics files, so calendar apps take each change.
_STATUS_STEPS = {
    "scheduled": 0,
    "moved-online": 1,
    "postponed": 1,
    "rescheduled": 2,
    "cancelled": 3,
}


def status_sequence(status: str) -> int:
    """The SEQUENCE a status adds to the one staff write (0 for scheduled)."""
    return _STATUS_STEPS.get(status, 0)


@dataclass(frozen=True)
class Label:
    """An audience or category: the id staff write, the label visitors read."""

    id: str
    name: str


@dataclass(frozen=True)
class OccurrenceChange:
    """A change to one date of a series: cancelled, moved, or held in another room."""

    date: date
    line: int
    status: str = ""
    start: datetime | None = None
    end: datetime | None = None
    location: str = ""
    note: str = ""


@dataclass(frozen=True)
class Event:
    """One event or series, as its file describes it; times are aware, in `timezone_name`.

    For all-day events `start` is midnight of the first day and `end` midnight after the last.
    """

    source: SourceRef
    title: str
    slug: str
    start: datetime
    end: datetime
    timezone_name: str
    content: Markup
    summary: Markup
    description: str
    all_day: bool = False
    branch: Branch | None = None
    location: str = ""
    online_url: str = ""
    audiences: tuple[Label, ...] = ()
    categories: tuple[Label, ...] = ()
    registration_url: str = ""
    registration_required: bool = False
    cost: str = ""
    status: str = "scheduled"
    status_note: str = ""
    previous_start: datetime | None = None
    repeat: str = ""
    exceptions: tuple[date, ...] = ()
    changes: tuple[OccurrenceChange, ...] = ()
    image: Image | None = None
    tags: tuple[Tag, ...] = ()
    sequence: int = 0
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def url(self) -> str:
        return urls.event_url(self.slug)

    @property
    def ics_url(self) -> str:
        return urls.event_ics_url(self.slug)

    @property
    def feedback_url(self) -> str:
        """Its feedback form, made when site.yaml says `feedback: {event_links: true}`."""
        return urls.event_feedback_url(self.slug)

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    @property
    def recurring(self) -> bool:
        return bool(self.repeat)

    @property
    def in_person(self) -> bool:
        return self.branch is not None or bool(self.location)

    @property
    def attendance_mode(self) -> str:
        """schema.org's words: online, offline (in person) or mixed (hybrid)."""
        if self.status == "moved-online" or (self.online_url and not self.in_person):
            return "online"
        return "mixed" if self.online_url else "offline"


@dataclass(frozen=True)
class Occurrence:
    """One date of an event, with any change made to that date alone."""

    event: Event
    start: datetime
    end: datetime
    original_start: datetime
    status: str
    note: str = ""
    location: str = ""

    @property
    def url(self) -> str:
        return self.event.url

    @property
    def title(self) -> str:
        return self.event.title

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, "")

    @property
    def day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        """The last calendar day the occurrence covers (the end is exclusive)."""
        return (self.end - timedelta(microseconds=1)).date() if self.end > self.start else self.day

    @property
    def days(self) -> tuple[date, ...]:
        count = (self.last_day - self.day).days + 1
        return tuple(self.day + timedelta(days=n) for n in range(count))

    @property
    def moved(self) -> bool:
        return self.start != self.original_start


@dataclass(frozen=True)
class DayGroup:
    """Occurrences on one day, for listings grouped by day."""

    day: date
    occurrences: tuple[Occurrence, ...]


@dataclass(frozen=True)
class CalendarDay:
    day: date
    in_month: bool
    occurrences: tuple[Occurrence, ...]


@dataclass(frozen=True)
class MonthCalendar:
    """A month as weeks of days (Monday first), for the calendar table."""

    year: int
    month: int
    weeks: tuple[tuple[CalendarDay, ...], ...]
    previous_url: str | None = None
    next_url: str | None = None

    @property
    def url(self) -> str:
        return urls.event_month_url(self.year, self.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)


@dataclass(frozen=True)
class EventFilter:
    """Upcoming events for one branch, audience or category: a page and a calendar feed."""

    kind: str
    id: str
    name: str
    upcoming: tuple[Occurrence, ...]
    events: tuple[Event, ...]

    @property
    def url(self) -> str:
        return urls.event_filter_url(self.kind, self.id)

    @property
    def ics_url(self) -> str:
        return urls.event_filter_ics_url(self.kind, self.id)


@dataclass(frozen=True)
class EventSchedule:
    """The events a build publishes at its `now`."""

    events: tuple[Event, ...] = ()
    upcoming: tuple[Occurrence, ...] = ()
    past: tuple[Occurrence, ...] = ()
    months: tuple[MonthCalendar, ...] = ()
    filters: tuple[EventFilter, ...] = ()
    occurrences_by_event: dict[str, tuple[Occurrence, ...]] = field(default_factory=dict)

    def occurrences_of(self, event: Event) -> tuple[Occurrence, ...]:
        return self.occurrences_by_event.get(event.slug, ())

    def upcoming_of(self, event: Event) -> tuple[Occurrence, ...]:
        return tuple(o for o in self.upcoming if o.event.slug == event.slug)

    def filters_of(self, kind: str) -> tuple[EventFilter, ...]:
        return tuple(f for f in self.filters if f.kind == kind)
