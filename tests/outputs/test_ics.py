"""The iCalendar files, read back by the icalendar package and expanded by a second reader,
recurring-ical-events, whose dates must be the ones the HTML pages show for the same window.

The site (event_site.EVENT_SITE) is built once at NOW, Tuesday 2026-12-01 09:00 in Chicago.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from bs4 import BeautifulSoup
from conftest import NOW, BuiltSite
from event_site import STATUS_OF, build_event_site

from sitegen.build import build_site

CHICAGO = ZoneInfo("America/Chicago")
HOST = "library.example.org"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> BuiltSite:
    built = build_event_site(tmp_path_factory.mktemp("ics"))
    assert built.problems == []
    return built


def calendar(site: BuiltSite, path: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(site.file(path).read_bytes())


def vevents(cal: icalendar.Calendar) -> list[icalendar.Event]:
    return list(cal.walk("VEVENT"))


def by_slug(cal: icalendar.Calendar) -> dict[str, list[icalendar.Event]]:
    found: dict[str, list[icalendar.Event]] = {}
    for component in vevents(cal):
        found.setdefault(str(component["UID"]).split("@")[0], []).append(component)
    return found


def all_calendars(site: BuiltSite) -> list[str]:
    return sorted(p.relative_to(site.out).as_posix() for p in site.out.rglob("*.ics"))


# --- every file parses and is complete --------------------------------------------------------


def test_there_is_a_calendar_for_the_site_each_event_and_each_filter(site):
    paths = all_calendars(site)
    assert "events.ics" in paths
    assert {f"events/{slug}/event.ics" for slug in STATUS_OF} <= set(paths)
    assert "events/branch/eastside/events.ics" in paths
    assert "events/audience/kids/events.ics" in paths
    assert "events/category/books/events.ics" in paths
    assert len(paths) == 1 + len(STATUS_OF) + 9


def test_every_calendar_parses_and_every_event_has_the_required_properties(site):
    for path in all_calendars(site):
        cal = calendar(site, path)
        assert str(cal["VERSION"]) == "2.0", path
        assert str(cal["PRODID"]) == "-//sitegen//Library events//EN"
        assert vevents(cal), path
        for component in vevents(cal):
            assert str(component["UID"]).endswith(f"@{HOST}")
            assert component.decoded("DTSTAMP") == NOW
            assert component.decoded("DTSTART") < component.decoded("DTEND")
            assert str(component["URL"]).startswith(f"https://{HOST}/events/")


def test_every_zone_used_has_a_vtimezone(site):
    for path in all_calendars(site):
        cal = calendar(site, path)
        defined = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
        used = set(re.findall(r";TZID=([^:;]+)", site.file(path).read_text("utf-8")))
        assert used <= defined, path
    assert {str(tz["TZID"]) for tz in calendar(site, "events.ics").walk("VTIMEZONE")} == {
        "America/Chicago",
        "America/New_York",
    }


def test_the_calendar_is_the_same_whatever_the_hash_seed(site, tmp_path):
    """Builds of the same site give the same bytes, so deploys see only real changes."""
    made = []
    for seed in ("1", "2", "3", "4", "5"):
        out = tmp_path / f"seed-{seed}"
        script = (
            "from datetime import datetime; from sitegen.build import build_site; "
            f"build_site({str(site.root)!r}, now=datetime.fromisoformat({NOW.isoformat()!r}), "
            f"out={str(out)!r})"
        )
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script], env=env, check=True)
        made.append((out / "events.ics").read_bytes())
    assert all(calendar_bytes == made[0] for calendar_bytes in made)
    zones = [str(tz["TZID"]) for tz in icalendar.Calendar.from_ical(made[0]).walk("VTIMEZONE")]
    assert zones == sorted(zones) and len(zones) == 2


def test_timed_events_carry_their_zone_and_all_day_events_dates(site):
    events = by_slug(calendar(site, "events.ics"))
    (talk,) = events["author-talk"]
    assert talk["DTSTART"].params["TZID"] == "America/New_York"
    assert talk.decoded("DTSTART") == datetime(2026, 12, 11, 0, 0, tzinfo=UTC)
    (fair,) = events["craft-fair"]
    # All-day: DATE values, and DTEND is the day after the last day (RFC 5545 3.6.1).
    assert fair.decoded("DTSTART") == date(2026, 12, 11)
    assert fair.decoded("DTEND") == date(2026, 12, 14)
    assert "DTSTART;VALUE=DATE:20261211" in site.text("events/craft-fair/event.ics")


# --- series -----------------------------------------------------------------------------------


def test_a_series_is_one_vevent_with_its_rule_and_one_per_changed_date(site):
    (main, *overrides) = vevents(calendar(site, "events/storytime/event.ics"))
    assert "RRULE" in main and "RECURRENCE-ID" not in main
    assert {str(o["UID"]) for o in overrides} == {str(main["UID"])}
    by_date = {o.decoded("RECURRENCE-ID"): o for o in overrides}
    cancelled = by_date[datetime(2026, 12, 22, 10, 30, tzinfo=CHICAGO)]
    moved = by_date[datetime(2027, 1, 5, 10, 30, tzinfo=CHICAGO)]
    assert len(by_date) == 2
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["DESCRIPTION"]).startswith("Staff training")
    assert moved.decoded("DTSTART") == datetime(2027, 1, 6, 10, 30, tzinfo=CHICAGO)
    assert moved.decoded("DTEND") == datetime(2027, 1, 6, 11, 15, tzinfo=CHICAGO)
    assert str(moved["LOCATION"]).startswith("Central Library, Heron Room")
    assert str(moved["STATUS"]) == "CONFIRMED"


def test_the_whole_calendar_holds_a_series_once_not_a_copy_per_date(site):
    counts = {slug: len(items) for slug, items in by_slug(calendar(site, "events.ics")).items()}
    assert counts == {slug: 3 if slug == "storytime" else 1 for slug in STATUS_OF}


def test_exdate_has_the_series_time_and_zone(site):
    main = vevents(calendar(site, "events/storytime/event.ics"))[0]
    exdates = [d.dt for prop in _as_list(main["EXDATE"]) for d in prop.dts]
    assert exdates == [datetime(2026, 12, 29, 10, 30, tzinfo=CHICAGO)]
    assert "EXDATE;TZID=America/Chicago:20261229T103000" in site.text("events/storytime/event.ics")


def _as_list(value):
    return value if isinstance(value, list) else [value]


def test_until_is_in_utc(site):
    main = vevents(calendar(site, "events/storytime/event.ics"))[0]
    assert main["RRULE"]["UNTIL"] == [datetime(2027, 4, 14, 4, 59, 59, tzinfo=UTC)]
    assert re.search(r"^RRULE:.*UNTIL=20270414T045959Z", site.text("events.ics"), re.MULTILINE)
    book_club = vevents(calendar(site, "events/book-club/event.ics"))[0]
    assert book_club["RRULE"]["COUNT"] == [6] and "UNTIL" not in book_club["RRULE"]


def test_an_all_day_series_has_a_date_until(make_site):
    built = make_site(
        "-- content/events/sale.md --\n---\ntitle: Sale\nstart: 2026-12-05\n"
        "repeat: FREQ=MONTHLY;BYDAY=1SA;UNTIL=20270301\n---\nBooks.\n"
    )
    assert built.problems == []
    (main,) = vevents(calendar(built, "events/sale/event.ics"))
    assert main["RRULE"]["UNTIL"] == [date(2027, 3, 1)]
    assert main.decoded("DTSTART") == date(2026, 12, 5)


# --- status -----------------------------------------------------------------------------------

ICS_STATUS = {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}
SEQUENCE = {"moved-online": 1, "postponed": 1, "rescheduled": 2, "cancelled": 3}


@pytest.mark.parametrize("slug", STATUS_OF)
def test_status_and_sequence_follow_the_events_status(site, slug):
    status = STATUS_OF[slug]
    (main, *_) = vevents(calendar(site, f"events/{slug}/event.ics"))
    assert str(main["STATUS"]) == ICS_STATUS.get(status, "CONFIRMED")
    assert main["SEQUENCE"] == SEQUENCE.get(status, 0)


def test_changed_dates_of_a_series_have_a_higher_sequence(site):
    (main, *overrides) = vevents(calendar(site, "events/storytime/event.ics"))
    sequences = {str(o["STATUS"]): o["SEQUENCE"] for o in overrides}
    assert main["SEQUENCE"] == 0
    assert sequences == {"CANCELLED": 4, "CONFIRMED": 1}


def test_changing_the_status_bumps_the_sequence_and_keeps_the_uid(tmp_path):
    before = build_event_site(tmp_path / "before")
    source = tmp_path / "after"
    build_event_site(source)
    path = source / "content/events/history-lecture.md"
    path.write_text(path.read_text("utf-8").replace("---\nThe", "status: cancelled\n---\nThe"))
    after = BuiltSite(source, build_site(source, now=NOW))
    assert after.problems == []

    (old,) = vevents(calendar(before, "events/history-lecture/event.ics"))
    (new,) = vevents(calendar(after, "events/history-lecture/event.ics"))
    assert str(old["UID"]) == str(new["UID"])
    assert (old["SEQUENCE"], str(old["STATUS"])) == (0, "CONFIRMED")
    assert (new["SEQUENCE"], str(new["STATUS"])) == (3, "CANCELLED")
    # A cancelled event stays in the calendars, so subscribers see it cancelled.
    assert "history-lecture" in by_slug(calendar(after, "events.ics"))


def test_a_moved_online_event_is_located_at_its_link(site):
    (tech,) = vevents(calendar(site, "events/tech-help/event.ics"))
    assert str(tech["LOCATION"]) == "https://meet.example.org/tech-help"
    (lecture,) = vevents(calendar(site, "events/history-lecture/event.ics"))
    assert str(lecture["LOCATION"]) == (
        "Central Library, Heron Room, 300 West Mill Street, Riverbend, MN 55988, "
        "https://stream.example.org/history"
    )


# --- text, lines and UIDs ---------------------------------------------------------------------


def test_lines_are_folded_at_75_octets_and_end_with_crlf(site):
    for path in all_calendars(site):
        data = site.file(path).read_bytes()
        assert data.endswith(b"\r\n")
        lines = data.split(b"\r\n")[:-1]
        assert b"\n" not in b"".join(lines), path
        assert max(len(line) for line in lines) <= 75, path
        for line in lines:
            line.decode("utf-8")  # no line is cut inside a multi-byte character


def test_text_with_commas_semicolons_and_accents_round_trips(site):
    (talk,) = vevents(calendar(site, "events/author-talk/event.ics"))
    assert str(talk["SUMMARY"]) == "Author Talk: Ana Díaz, «Rivers»; Q&A"
    raw = site.file("events/author-talk/event.ics").read_bytes().decode("utf-8")
    unfolded = raw.replace("\r\n ", "")
    assert "SUMMARY:Author Talk: Ana Díaz\\, «Rivers»\\; Q&A\r\n" in unfolded


def test_a_title_cannot_inject_properties_or_events(make_site):
    built = make_site(
        "-- content/events/x.md --\n---\n"
        'title: "Storytime\\r\\nEND:VEVENT\\r\\nBEGIN:VEVENT\\r\\nSUMMARY:Free money"\n'
        'start: 2026-12-10 10:00\nlocation: "Room 1\\nURL:https://evil.example"\n---\nHi.\n'
    )
    assert built.problems == []
    for path in ("events/x/event.ics", "events.ics"):
        cal = calendar(built, path)
        (only,) = vevents(cal)
        assert (
            # The line breaks are escaped inside SUMMARY (as \\n) and read back as text.
            str(only["SUMMARY"]) == "Storytime\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:Free money"
        )
        assert str(only["URL"]) == "https://library.example.org/events/x/"
        lines = built.file(path).read_bytes().decode("utf-8").replace("\r\n ", "").split("\r\n")
        assert [line for line in lines if line.startswith("URL:")] == [
            "URL:https://library.example.org/events/x/"
        ]
        assert str(only["LOCATION"]) == "Room 1\nURL:https://evil.example"
    name = str(calendar(built, "events/x/event.ics")["X-WR-CALNAME"])
    assert name == "Storytime END:VEVENT BEGIN:VEVENT SUMMARY:Free money"


def test_uids_are_stable_across_builds_at_different_times(site, tmp_path):
    later = build_event_site(tmp_path, now=NOW + timedelta(days=3, hours=5))
    for path in ("events.ics", "events/storytime/event.ics"):
        uids = [str(c["UID"]) for c in vevents(calendar(site, path))]
        assert [str(c["UID"]) for c in vevents(calendar(later, path))] == uids
    all_uids = {str(c["UID"]) for c in vevents(calendar(site, "events.ics"))}
    assert len(all_uids) == len(STATUS_OF)


def test_filter_calendars_hold_only_their_events(site):
    assert set(by_slug(calendar(site, "events/branch/eastside/events.ics"))) == {
        "book-club",
        "craft-fair",
        "game-night",
    }
    assert set(by_slug(calendar(site, "events/audience/kids/events.ics"))) == {"storytime"}
    cal = calendar(site, "events/branch/eastside/events.ics")
    assert str(cal["X-WR-CALNAME"]) == "Test Library: Eastside Branch"


# --- a second reader expands the series: the same dates as the pages --------------------------


def expanded(cal: icalendar.Calendar, start: datetime, end: datetime) -> list[tuple[str, datetime]]:
    """(slug, start) of every occurrence recurring-ical-events finds overlapping the window."""
    found = []
    for component in recurring_ical_events.of(cal).between(start, end):
        moment = component["DTSTART"].dt
        if not isinstance(moment, datetime):  # all-day: midnight in the site's zone
            moment = datetime.combine(moment, time(0), tzinfo=CHICAGO)
        found.append((str(component["UID"]).split("@")[0], moment))
    return sorted(found, key=lambda item: (item[1], item[0]))


def listed(soup: BeautifulSoup) -> list[tuple[str, datetime]]:
    """(slug, start) of every event card of a listing page."""
    found = []
    for card in soup.select("main section[aria-labelledby^='day-'] article"):
        slug = card.select_one("a[href^='/events/']")["href"].split("/")[2]
        found.append((slug, datetime.fromisoformat(card.select_one("time")["datetime"])))
    return sorted(found, key=lambda item: (item[1], item[0]))


CLOCKS = [
    pytest.param(NOW, id="december"),
    # From here the storytime series crosses the spring daylight-saving change.
    pytest.param(datetime(2027, 3, 1, 15, 0, tzinfo=UTC), id="across-spring-change"),
]


@pytest.mark.parametrize("now", CLOCKS)
def test_the_listing_shows_the_occurrences_the_calendar_gives(tmp_path, now):
    built = build_event_site(tmp_path, now=now)
    window_end = now + timedelta(days=60)  # the listing's reach

    from_ics = expanded(calendar(built, "events.ics"), now, window_end)
    assert from_ics == listed(built.html("events/index.html"))
    assert len(from_ics) > 5


@pytest.mark.parametrize("now", CLOCKS)
def test_the_series_page_shows_the_dates_its_calendar_file_gives(tmp_path, now):
    built = build_event_site(tmp_path, now=now)
    items = built.html("events/storytime/index.html").select(
        "main section[aria-labelledby='next-dates'] li time"
    )
    shown = [datetime.fromisoformat(item["datetime"]) for item in items]
    assert shown

    from_ics = expanded(
        calendar(built, "events/storytime/event.ics"), now, shown[-1] + timedelta(minutes=1)
    )
    assert [moment for _, moment in from_ics] == shown
    assert {(m.hour, m.minute) for m in shown} == {(10, 30)}


def test_month_calendars_show_the_days_the_calendar_gives(site):
    cal = calendar(site, "events.ics")
    for month_start in [datetime(2026, 12, 1, tzinfo=CHICAGO)] + [
        datetime(2027, month, 1, tzinfo=CHICAGO) for month in range(1, 6)
    ]:
        month_end = (month_start + timedelta(days=32)).replace(day=1)
        from_ics = set()
        for component in recurring_ical_events.of(cal).between(month_start, month_end):
            slug = str(component["UID"]).split("@")[0]
            for day in _days(component["DTSTART"].dt, component["DTEND"].dt):
                if month_start.date() <= day < month_end.date():
                    from_ics.add((slug, day.isoformat()))
        path = f"events/{month_start:%Y/%m}/index.html"
        shown = set()
        for cell in site.html(path).select("main table td"):
            stamp = cell.select_one("time[datetime]")
            for link in cell.select("a[href^='/events/']") if stamp else []:
                shown.add((link["href"].split("/")[2], stamp["datetime"]))
        assert shown == from_ics, path


def _days(start: date | datetime, end: date | datetime) -> list[date]:
    if isinstance(start, datetime):
        first = start.astimezone(CHICAGO).date()
        last = (end.astimezone(CHICAGO) - timedelta(microseconds=1)).date()
    else:
        first, last = start, end - timedelta(days=1)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
