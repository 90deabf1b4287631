"""The event pages: upcoming (and one page per branch, audience and category), past, month
calendars and one page per event or series, with its schema.org data and calendar links.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urljoin
from zoneinfo import ZoneInfo

from sitegen import urls
from sitegen.assemble.schedule import group_by_day
from sitegen.event_model import Event, EventFilter, MonthCalendar, Occurrence
from sitegen.model import Site
from sitegen.outputs.ics import ics_rule, location_text
from sitegen.outputs.meta import FeedLink, PageMeta

PageSpec = tuple[str, PageMeta, dict[str, Any], str]
LISTING_DAYS = 60
SERIES_DATES = 12
_FILTER_TITLES = {"branch": "Events at {}", "audience": "Events for {}", "category": "{} events"}
_SCHEMA_STATUS = {
    "scheduled": "EventScheduled",
    "cancelled": "EventCancelled",
    "postponed": "EventPostponed",
    "rescheduled": "EventRescheduled",
    "moved-online": "EventMovedOnline",
}
_SCHEMA_MODE = {
    "online": "OnlineEventAttendanceMode",
    "offline": "OfflineEventAttendanceMode",
    "mixed": "MixedEventAttendanceMode",
}


def event_feeds(site: Site) -> tuple[FeedLink, ...]:
    return (
        FeedLink(f"{site.config.title}: upcoming events (RSS)", urls.EVENTS_FEED),
        FeedLink(f"{site.config.title}: events calendar", urls.EVENTS_CALENDAR, "text/calendar"),
    )


def event_pages(site: Site) -> Iterator[PageSpec]:
    """Every event page of the site, as (template, meta, values, source)."""
    schedule = site.events
    if not schedule.events:
        return
    zone = site.config.timezone
    description = f"Programs and events at {site.config.title}."
    feeds = event_feeds(site)
    soon = _within_days(schedule.upcoming, site.now, LISTING_DAYS)
    listing = {
        "days": group_by_day(soon, zone, _today(site)),
        "filter": None,
        "calendar_url": urls.EVENTS_CALENDAR,
        "this_month": this_month(site),
    }
    yield (
        "events.html",
        PageMeta(urls.EVENTS, "Events", description, "events", feeds=feeds),
        listing,
        "the events page",
    )
    for event_filter in schedule.filters:
        yield _filter_page(event_filter, site, description, feeds)
    yield (
        "events-past.html",
        PageMeta(urls.PAST_EVENTS, "Past events", description, "events-past", feeds=feeds),
        {"days": group_by_day(schedule.past, zone)},
        "the past events page",
    )
    for month in schedule.months:
        title = f"Events in {month.first_day:%B %Y}"
        meta = PageMeta(month.url, title, description, "events-month", feeds=feeds)
        yield "events-month.html", meta, {"month": month}, "the events calendar"
    for event in schedule.events:
        yield _event_page(event, site, feeds)


def _today(site: Site) -> date:
    return site.now.astimezone(site.config.timezone).date()


def this_month(site: Site) -> MonthCalendar:
    """The calendar of the month the build's clock is in (there always is one)."""
    today = _today(site)
    for month in site.events.months:
        if (month.year, month.month) == (today.year, today.month):
            return month
    return site.events.months[0]


def _within_days(
    occurrences: tuple[Occurrence, ...], now: datetime, days: int
) -> tuple[Occurrence, ...]:
    limit = now + timedelta(days=days)
    return tuple(o for o in occurrences if o.start < limit)


def _filter_page(
    event_filter: EventFilter, site: Site, description: str, feeds: tuple[FeedLink, ...]
) -> PageSpec:
    title = _FILTER_TITLES[event_filter.kind].format(event_filter.name)
    own_feed = FeedLink(f"{site.config.title}: {title}", event_filter.ics_url, "text/calendar")
    meta = PageMeta(event_filter.url, title, description, "events", feeds=(*feeds, own_feed))
    soon = _within_days(event_filter.upcoming, site.now, LISTING_DAYS)
    values = {
        "days": group_by_day(soon, site.config.timezone, _today(site)),
        "filter": event_filter,
        "calendar_url": event_filter.ics_url,
        "this_month": this_month(site),
    }
    return "events.html", meta, values, f"the {event_filter.kind} page {event_filter.id}"


def _event_page(event: Event, site: Site, feeds: tuple[FeedLink, ...]) -> PageSpec:
    schedule = site.events
    upcoming = schedule.upcoming_of(event)
    shown = shown_occurrence(upcoming, schedule.occurrences_of(event))
    own = FeedLink(f"{event.title} (calendar)", event.ics_url, "text/calendar")
    meta = PageMeta(
        event.url, event.title, event.description, "event", image=event.image, feeds=(*feeds, own)
    )
    values = {
        "event": event,
        "occurrence": shown,
        "upcoming": upcoming[:SERIES_DATES],
        "json_ld": event_json_ld(event, shown, site),
        "calendar_links": calendar_links(event, shown, site) if shown else {},
    }
    return "event.html", meta, values, event.source.path


def shown_occurrence(
    upcoming: tuple[Occurrence, ...], occurrences: tuple[Occurrence, ...]
) -> Occurrence | None:
    """The date an event's page leads with: the next one that takes place (a series whose
    next date alone is cancelled is not a cancelled series), else the next, else the last."""
    going_ahead = [o for o in upcoming if not o.cancelled or o.event.status == "cancelled"]
    if going_ahead:
        return going_ahead[0]
    if upcoming:
        return upcoming[0]
    return occurrences[-1] if occurrences else None


def event_json_ld(event: Event, occurrence: Occurrence | None, site: Site) -> dict[str, Any]:
    """schema.org Event data for the event's page (the next date of a series)."""
    config = site.config
    start = occurrence.start if occurrence else event.start
    end = occurrence.end if occurrence else event.end
    status = occurrence.status if occurrence else event.status
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.description,
        "url": urljoin(config.url, event.url.lstrip("/")),
        "startDate": start.date().isoformat() if event.all_day else start.isoformat(),
        "endDate": _end_date(event, end),
        "eventStatus": f"https://schema.org/{_SCHEMA_STATUS[status]}",
        "eventAttendanceMode": f"https://schema.org/{_SCHEMA_MODE[event.attendance_mode]}",
        "location": _locations(event, occurrence),
        "organizer": {"@type": "Library", "name": config.title, "url": config.url},
        "offers": _offer(event, config.url),
    }
    if event.previous_start and status == "rescheduled":
        previous = event.previous_start
        data["previousStartDate"] = (
            previous.date().isoformat() if event.all_day else previous.isoformat()
        )
    if event.image:
        data["image"] = urljoin(config.url, event.image.src.lstrip("/"))
    if event.audiences:
        data["audience"] = [{"@type": "Audience", "audienceType": a.name} for a in event.audiences]
    return data


def _end_date(event: Event, end: datetime) -> str:
    if event.all_day:
        return (end - timedelta(days=1)).date().isoformat()
    return end.isoformat()


def _locations(event: Event, occurrence: Occurrence | None) -> list[dict[str, Any]]:
    places: list[dict[str, Any]] = []
    room = (occurrence.location if occurrence else "") or event.location
    if event.attendance_mode != "online" and (event.branch or room):
        place: dict[str, Any] = {
            "@type": "Place",
            "name": event.branch.name if event.branch else room,
        }
        if event.branch:
            address = event.branch.address
            place["address"] = {
                "@type": "PostalAddress",
                "streetAddress": address.street,
                "addressLocality": address.city,
                "addressRegion": address.region,
                "postalCode": address.postal_code,
                "addressCountry": address.country,
            }
            if room:
                place["name"] = f"{event.branch.name}, {room}"
        else:
            place["address"] = room
        places.append(place)
    if event.online_url:
        places.append({"@type": "VirtualLocation", "url": event.online_url})
    return places


def is_free(event: Event) -> bool:
    return event.cost.strip().lower() in ("", "free", "0", "$0", "$0.00", "no cost")


# "$5", "$5.00", "5", "$12 per person": a price search engines can show.
_PRICE = re.compile(r"\$?\s*(\d+(?:\.\d{1,2})?)\b")


def _offer(event: Event, site_url: str) -> dict[str, Any]:
    offer: dict[str, Any] = {
        "@type": "Offer",
        "url": event.registration_url or urljoin(site_url, event.url.lstrip("/")),
        "availability": "https://schema.org/InStock",
    }
    if is_free(event):
        offer.update(price=0, priceCurrency="USD")
        return offer
    offer["description"] = event.cost
    price = _PRICE.match(event.cost.strip())
    if price:
        offer.update(price=price.group(1), priceCurrency="USD")
    return offer


def calendar_links(event: Event, occurrence: Occurrence, site: Site) -> dict[str, str]:
    """ "Add to calendar" links: the event's .ics, Google Calendar and Outlook on the web.

    Google gets a whole series (its first date and rule, as in the .ics); Outlook's link
    cannot repeat, so it adds the date the page shows.
    """
    zone = ZoneInfo(event.timezone_name)
    where = location_text(event, occurrence.location)
    details = f"{event.description}\n\n{urljoin(site.config.url, event.url.lstrip('/'))}"
    first_start, first_end = (
        (event.start, event.end) if event.recurring else (occurrence.start, occurrence.end)
    )
    if event.all_day:
        google_dates = f"{first_start:%Y%m%d}/{first_end:%Y%m%d}"
    else:
        google_dates = "/".join(
            f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}" for moment in (first_start, first_end)
        )
    google = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": google_dates,
        "details": details,
        "location": where,
        "ctz": str(zone),
    }
    if event.recurring:
        google["recur"] = f"RRULE:{ics_rule(event)}"
    outlook = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "startdt": occurrence.start.isoformat(),
        "enddt": occurrence.end.isoformat(),
        "body": details,
        "location": where,
    }
    if event.all_day:
        outlook.update(
            allday="true",
            startdt=f"{occurrence.start:%Y-%m-%d}",
            enddt=f"{occurrence.end:%Y-%m-%d}",
        )
    return {
        "ics": event.ics_url,
        "google": "https://calendar.google.com/calendar/render?" + urlencode(google),
        "outlook": "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(outlook),
    }
