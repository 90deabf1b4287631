"""The event schedule as pure functions: events and a clock in, occurrences out, in memory.

Series are expanded in the event's own zone (America/Chicago here, whose clocks change on
2027-03-14 and 2027-11-07), split into upcoming and past at a given `now`, grouped by day and
laid out as month calendars.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from markupsafe import Markup

from sitegen.assemble.schedule import (
    assemble_schedule,
    expand_event,
    group_by_day,
    month_calendars,
    next_event_change,
)
from sitegen.config import Branch, EventSettings, SiteConfig
from sitegen.event_model import Event, Label, Occurrence, OccurrenceChange
from sitegen.model import SourceRef

CHICAGO = ZoneInfo("America/Chicago")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # Tuesday, 09:00 in Chicago
EVER = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))

CONFIG = SiteConfig(
    root=Path("."),
    title="Test Library",
    url="https://library.example.org/",
    timezone_name="America/Chicago",
    branches={"central": Branch("central", "Central"), "eastside": Branch("eastside", "Eastside")},
    audiences={"kids": "Children", "adults": "Adults"},
    categories={"storytime": "Storytime", "books": "Books"},
    events=EventSettings(past_days=30, horizon_days=120),
)


def at(text: str, zone: ZoneInfo = CHICAGO) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def event(slug: str, start: datetime, end: datetime | None = None, **fields) -> Event:
    return Event(
        source=SourceRef(f"content/events/{slug}.md"),
        title=fields.pop("title", slug.replace("-", " ").title()),
        slug=slug,
        start=start,
        end=end or start + timedelta(hours=1),
        timezone_name=str(start.tzinfo),
        content=Markup("<p>Text.</p>"),
        summary=Markup("<p>Text.</p>"),
        description="Text.",
        **fields,
    )


def storytime(**fields) -> Event:
    """Tuesdays 10:30 to 11:15 from December 1, 2026."""
    fields.setdefault("repeat", "FREQ=WEEKLY;BYDAY=TU")
    return event("storytime", at("2026-12-01T10:30"), at("2026-12-01T11:15"), **fields)


def starts(occurrences: list[Occurrence] | tuple[Occurrence, ...]) -> list[str]:
    """Local starts as staff would read them, with the zone's abbreviation."""
    return [f"{o.start:%Y-%m-%d %H:%M %Z}" for o in occurrences]


def all_of(item: Event) -> list[Occurrence]:
    return expand_event(item, *EVER)


# --- recurrence and daylight saving -----------------------------------------------------------


def test_a_weekly_storytime_stays_at_10_30_across_the_spring_change():
    series = storytime(repeat="FREQ=WEEKLY;BYDAY=TU;UNTIL=20270323")
    found = starts(expand_event(series, at("2027-03-01T00:00"), at("2027-04-01T00:00")))
    assert found == [
        "2027-03-02 10:30 CST",
        "2027-03-09 10:30 CST",
        "2027-03-16 10:30 CDT",
        "2027-03-23 10:30 CDT",
    ]


def test_a_weekly_storytime_stays_at_10_30_across_the_autumn_change():
    series = event(
        "saturday-stories",
        at("2027-10-23T10:30"),
        at("2027-10-23T11:15"),
        repeat="FREQ=WEEKLY;BYDAY=SA;COUNT=4",
    )
    occurrences = all_of(series)
    assert starts(occurrences) == [
        "2027-10-23 10:30 CDT",
        "2027-10-30 10:30 CDT",
        "2027-11-06 10:30 CDT",
        "2027-11-13 10:30 CST",
    ]
    assert {o.end - o.start for o in occurrences} == {timedelta(minutes=45)}


def test_an_evening_series_over_the_night_the_clocks_go_back_keeps_its_wall_clock_length():
    # 00:30 to 02:30 on the night of November 7: two hours on the wall, three in real time.
    late = event(
        "lock-in",
        at("2027-10-31T00:30"),
        at("2027-10-31T02:30"),
        repeat="FREQ=WEEKLY;COUNT=2",
    )
    second = all_of(late)[1]
    assert (second.start.hour, second.end.hour) == (0, 2)
    assert second.end.astimezone(UTC) - second.start.astimezone(UTC) == timedelta(hours=3)


def test_a_series_in_another_zone_is_expanded_in_that_zone():
    # New York changes its clocks on the same dates; 19:00 there stays 19:00 there.
    talk = event("talk", at("2027-03-08T19:00", NEW_YORK), repeat="FREQ=WEEKLY;COUNT=2")
    assert starts(all_of(talk)) == ["2027-03-08 19:00 EST", "2027-03-15 19:00 EDT"]


def test_a_date_of_a_series_in_the_spring_gap_is_taken_after_the_gap():
    early = event("early", at("2027-03-13T02:30"), repeat="FREQ=DAILY;COUNT=3")
    found = all_of(early)
    assert starts(found) == ["2027-03-13 02:30 CST", "2027-03-14 03:30 CDT", "2027-03-15 02:30 CDT"]
    assert found[1].start.astimezone(UTC) == datetime(2027, 3, 14, 8, 30, tzinfo=UTC)


def test_a_date_of_a_series_in_the_autumn_fold_is_the_first_of_the_two():
    early = event("early", at("2027-11-06T01:30"), repeat="FREQ=DAILY;COUNT=2")
    second = all_of(early)[1]
    assert f"{second.start:%H:%M %Z}" == "01:30 CDT"
    assert second.start.astimezone(UTC) == datetime(2027, 11, 7, 6, 30, tzinfo=UTC)


# --- EXDATE, COUNT, UNTIL ---------------------------------------------------------------------


def test_except_skips_dates():
    series = storytime(
        repeat="FREQ=WEEKLY;BYDAY=TU;UNTIL=20261229",
        exceptions=(date(2026, 12, 22), date(2026, 12, 29)),
    )
    assert [o.day for o in all_of(series)] == [date(2026, 12, d) for d in (1, 8, 15)]


def test_count_counts_the_skipped_dates_too():
    # RFC 5545: the rule makes COUNT dates, then EXDATE removes some of them.
    series = storytime(repeat="FREQ=WEEKLY;COUNT=4", exceptions=(date(2026, 12, 8),))
    assert [o.day for o in all_of(series)] == [date(2026, 12, d) for d in (1, 15, 22)]


def test_until_as_a_date_includes_that_day():
    series = storytime(repeat="FREQ=WEEKLY;UNTIL=20261215")
    assert [o.day for o in all_of(series)] == [date(2026, 12, d) for d in (1, 8, 15)]


def test_until_in_utc_before_the_start_time_of_its_day_excludes_that_day():
    # 16:00Z on December 15 is 10:00 in Chicago: before that day's 10:30 start.
    series = storytime(repeat="FREQ=WEEKLY;UNTIL=20261215T160000Z")
    assert [o.day for o in all_of(series)] == [date(2026, 12, 1), date(2026, 12, 8)]


def test_a_first_monday_book_club_over_a_new_year():
    club = event("book-club", at("2026-12-07T18:30"), repeat="FREQ=MONTHLY;BYDAY=1MO;COUNT=3")
    assert [o.day for o in all_of(club)] == [
        date(2026, 12, 7),
        date(2027, 1, 4),
        date(2027, 2, 1),
    ]


def test_only_dates_that_overlap_the_window_are_expanded():
    series = storytime()
    window = (at("2026-12-08T11:00"), at("2026-12-22T10:30"))
    # December 8 is still going on at 11:00; December 22 starts as the window closes.
    assert [o.day for o in expand_event(series, *window)] == [date(2026, 12, 8), date(2026, 12, 15)]


# --- all-day and multi-day --------------------------------------------------------------------


def test_an_all_day_multi_day_event_covers_each_of_its_days():
    fair = event("fair", at("2026-12-11T00:00"), at("2026-12-14T00:00"), all_day=True)
    (only,) = all_of(fair)
    assert only.day == date(2026, 12, 11)
    assert only.last_day == date(2026, 12, 13)
    assert only.days == (date(2026, 12, 11), date(2026, 12, 12), date(2026, 12, 13))


def test_an_all_day_series_repeats_whole_days():
    camp = event(
        "camp",
        at("2027-03-13T00:00"),
        at("2027-03-15T00:00"),
        all_day=True,
        repeat="FREQ=WEEKLY;COUNT=2",
    )
    found = all_of(camp)
    # The second weekend starts after the spring change: still at midnight, still two days.
    assert [(o.day, o.last_day) for o in found] == [
        (date(2027, 3, 13), date(2027, 3, 14)),
        (date(2027, 3, 20), date(2027, 3, 21)),
    ]
    assert {(o.start.hour, o.end.hour) for o in found} == {(0, 0)}


def test_a_multi_day_event_is_on_every_day_of_the_month_calendar():
    fair = event("fair", at("2026-12-30T00:00"), at("2027-01-02T00:00"), all_day=True)
    months = month_calendars(all_of(fair), NOW, CHICAGO)
    days_with = [
        cell.day
        for month in months
        for week in month.weeks
        for cell in week
        if cell.in_month and cell.occurrences
    ]
    assert days_with == [date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 1)]


def test_an_all_day_event_in_another_zone_keeps_its_own_dates():
    # Midnight in New York is 23:00 the evening before in Chicago; the day is still the 12th.
    sale = event(
        "sale", at("2026-12-12T00:00", NEW_YORK), at("2026-12-13T00:00", NEW_YORK), all_day=True
    )
    (group,) = group_by_day(all_of(sale), CHICAGO)
    assert group.day == date(2026, 12, 12)
    months = month_calendars(all_of(sale), NOW, CHICAGO)
    marked = [c.day for w in months[0].weeks for c in w if c.in_month and c.occurrences]
    assert marked == [date(2026, 12, 12)]


def test_a_late_evening_event_in_another_zone_is_listed_on_the_sites_day():
    # 00:30 in New York is still the evening before in Chicago, where the site lists events.
    late = event("late", at("2026-12-05T00:30", NEW_YORK))
    (group,) = group_by_day(all_of(late), CHICAGO)
    assert group.day == date(2026, 12, 4)


# --- upcoming and past at `now` ---------------------------------------------------------------


def test_upcoming_and_past_split_at_now_by_the_end():
    ended = event("ended", at("2026-12-01T08:00"), at("2026-12-01T09:00"))  # ends at NOW
    going_on = event("going-on", at("2026-12-01T08:30"), at("2026-12-01T09:30"))
    later = event("later", at("2026-12-01T13:00"))
    schedule = assemble_schedule(CONFIG, [later, ended, going_on], NOW)

    assert [o.event.slug for o in schedule.upcoming] == ["going-on", "later"]
    assert [o.event.slug for o in schedule.past] == ["ended"]


def test_past_is_newest_first_and_upcoming_soonest_first():
    schedule = assemble_schedule(CONFIG, [storytime()], at("2026-12-20T12:00"))
    assert [o.day.day for o in schedule.past] == [15, 8, 1]
    assert [o.day.day for o in schedule.upcoming[:2]] == [22, 29]


def test_the_window_follows_site_yaml_past_and_horizon_days():
    schedule = assemble_schedule(CONFIG, [storytime()], NOW)
    everything = schedule.upcoming + schedule.past
    assert min(o.start for o in everything) >= NOW - timedelta(days=30)
    assert max(o.start for o in everything) < NOW + timedelta(days=120)
    assert schedule.occurrences_of(storytime()) == schedule.upcoming


def test_the_next_change_is_when_the_first_upcoming_date_ends():
    schedule = assemble_schedule(CONFIG, [storytime(), event("talk", at("2026-12-01T10:00"))], NOW)
    change = next_event_change(schedule)
    assert change is not None
    assert change.when == at("2026-12-01T11:00")
    assert change.what == '"Talk" moves to past events'
    assert change.source.path == "content/events/talk.md"
    assert next_event_change(assemble_schedule(CONFIG, [], NOW)) is None


def test_an_event_moves_to_past_at_the_first_clock_after_it_ends():
    talk = event("talk", at("2026-12-01T10:00"))
    before = assemble_schedule(CONFIG, [talk], at("2026-12-01T10:59:59"))
    after = assemble_schedule(CONFIG, [talk], at("2026-12-01T11:00"))
    assert (len(before.upcoming), len(before.past)) == (1, 0)
    assert (len(after.upcoming), len(after.past)) == (0, 1)


# --- one date of a series changed -------------------------------------------------------------


def test_a_cancelled_date_stays_in_the_schedule_marked():
    change = OccurrenceChange(date(2026, 12, 8), line=9, status="cancelled", note="Training")
    found = all_of(storytime(repeat="FREQ=WEEKLY;COUNT=3", changes=(change,)))
    assert [(o.day.day, o.status, o.note) for o in found] == [
        (1, "scheduled", ""),
        (8, "cancelled", "Training"),
        (15, "scheduled", ""),
    ]
    assert found[1].cancelled and found[1].status_label == "Cancelled"


def test_a_moved_date_keeps_its_length_and_remembers_its_original_start():
    change = OccurrenceChange(
        date(2026, 12, 8), line=9, start=at("2026-12-09T16:00"), location="Heron Room"
    )
    found = all_of(storytime(repeat="FREQ=WEEKLY;COUNT=3", changes=(change,)))
    moved = found[1]
    assert (moved.start, moved.end) == (at("2026-12-09T16:00"), at("2026-12-09T16:45"))
    assert moved.original_start == at("2026-12-08T10:30")
    assert moved.moved and not found[0].moved
    assert moved.location == "Heron Room"
    assert moved.status == "scheduled"


def test_a_moved_date_can_get_a_new_end():
    change = OccurrenceChange(
        date(2026, 12, 8), line=9, start=at("2026-12-08T13:00"), end=at("2026-12-08T15:00")
    )
    moved = all_of(storytime(repeat="FREQ=WEEKLY;COUNT=2", changes=(change,)))[1]
    assert (moved.start, moved.end) == (at("2026-12-08T13:00"), at("2026-12-08T15:00"))


def test_a_date_moved_later_is_listed_in_its_new_order():
    change = OccurrenceChange(date(2026, 12, 1), line=9, start=at("2026-12-10T10:30"))
    schedule = assemble_schedule(
        CONFIG, [storytime(repeat="FREQ=WEEKLY;COUNT=2", changes=(change,))], NOW
    )
    assert [o.day for o in schedule.upcoming] == [date(2026, 12, 8), date(2026, 12, 10)]


def test_a_whole_series_status_applies_to_every_date():
    found = all_of(storytime(repeat="FREQ=WEEKLY;COUNT=2", status="cancelled"))
    assert {o.status for o in found} == {"cancelled"}


# --- days, months and filters -----------------------------------------------------------------


def test_group_by_day_keeps_order_and_lists_ongoing_events_under_today():
    show = event("art-show", at("2026-11-28T00:00"), at("2026-12-06T00:00"), all_day=True)
    schedule = assemble_schedule(CONFIG, [show, storytime()], NOW)
    groups = group_by_day(schedule.upcoming[:3], CHICAGO, today=date(2026, 12, 1))
    assert [(g.day.day, [o.event.slug for o in g.occurrences]) for g in groups] == [
        (1, ["art-show", "storytime"]),
        (8, ["storytime"]),
    ]
    # Without `today` (the past listing) an event stays on the day it began.
    assert group_by_day(schedule.upcoming[:1], CHICAGO)[0].day == date(2026, 11, 28)


def test_month_calendars_run_from_the_first_to_the_last_month_with_links():
    schedule = assemble_schedule(CONFIG, [storytime(repeat="FREQ=MONTHLY;COUNT=3")], NOW)
    months = schedule.months
    assert [(m.year, m.month) for m in months] == [(2026, 12), (2027, 1), (2027, 2)]
    assert [m.previous_url for m in months] == [None, "/events/2026/12/", "/events/2027/01/"]
    assert [m.next_url for m in months] == ["/events/2027/01/", "/events/2027/02/", None]
    assert months[0].url == "/events/2026/12/"


def test_a_month_calendar_is_weeks_of_seven_days_monday_first():
    (december,) = month_calendars([], NOW, CHICAGO)  # this month is there even with no events
    assert (december.year, december.month) == (2026, 12)
    assert {len(week) for week in december.weeks} == {7}
    assert december.weeks[0][0].day == date(2026, 11, 30)  # a Monday, outside the month
    assert not december.weeks[0][0].in_month
    in_month = [c.day.day for w in december.weeks for c in w if c.in_month]
    assert in_month == list(range(1, 32))


def test_a_month_cell_lists_its_occurrences_cancelled_ones_too():
    change = OccurrenceChange(date(2026, 12, 8), line=9, status="cancelled")
    schedule = assemble_schedule(CONFIG, [storytime(changes=(change,))], NOW)
    cells = {c.day: c for w in schedule.months[0].weeks for c in w if c.in_month}
    assert [o.status for o in cells[date(2026, 12, 8)].occurrences] == ["cancelled"]
    assert cells[date(2026, 12, 9)].occurrences == ()


def test_filters_exist_only_for_ids_that_events_use():
    kids = (Label("kids", "Children"),)
    events = [
        storytime(
            branch=CONFIG.branches["central"],
            audiences=kids,
            categories=(Label("storytime", "Storytime"),),
        ),
        event("talk", at("2026-12-03T19:00"), branch=CONFIG.branches["eastside"]),
    ]
    schedule = assemble_schedule(CONFIG, events, NOW)
    assert [(f.kind, f.id, f.name) for f in schedule.filters] == [
        ("branch", "central", "Central"),
        ("branch", "eastside", "Eastside"),
        ("audience", "kids", "Children"),
        ("category", "storytime", "Storytime"),
    ]
    (eastside,) = [f for f in schedule.filters if f.id == "eastside"]
    assert [o.event.slug for o in eastside.upcoming] == ["talk"]
    assert eastside.url == "/events/branch/eastside/"
    assert eastside.ics_url == "/events/branch/eastside/events.ics"


def test_a_one_off_event_outside_the_window_has_no_occurrences():
    old = event("old", at("2025-01-10T10:00"))
    schedule = assemble_schedule(CONFIG, [old], NOW)
    assert schedule.occurrences_of(old) == ()
    assert schedule.events == (old,)
