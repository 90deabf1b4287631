"""Reading events: each field as staff write it, and every mistake as `path:line: message`.

Each case is a tiny site (site.yaml with two branches, audiences and categories) holding one
event file whose front matter starts on line 2 of content/events/x.md.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sitegen.errors import Severity
from sitegen.event_model import Event

EVENT = "content/events/x.md"
CHICAGO = ZoneInfo("America/Chicago")
NEW_YORK = ZoneInfo("America/New_York")

CONFIG = """\
title: Test Library
url: https://library.example.org/
timezone: America/Chicago
branches:
  central:
    name: Central Library
    address: {street: 300 West Mill Street, city: Riverbend, region: MN, postal_code: "55988"}
  eastside:
    name: Eastside Branch
audiences: {kids: Children, teens: Teens, adults: Adults}
categories: {storytime: Storytime, books: Books and reading}
events:
  default_duration: 45
"""


def event_site(front: str) -> str:
    return f"-- site.yaml --\n{CONFIG}-- {EVENT} --\n---\n{front}---\n\nBody.\n"


def read_one(make_site, front: str) -> Event:
    built = make_site(event_site(front))
    assert built.problems == []
    (event,) = built.result.site.events.events
    return event


def at(text: str, zone: ZoneInfo = CHICAGO) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


# --- what a good file gives -------------------------------------------------------------------


def test_a_one_off_event_with_every_field(make_site):
    event = read_one(
        make_site,
        "title: Teen Game Night\n"
        "start: 2026-12-18 17:00\n"
        "end: 19:30\n"
        "branch: eastside\n"
        "location: Community Room\n"
        "audiences: [teens]\n"
        "categories: books\n"
        "registration_url: https://library.example.org/register\n"
        "registration_required: yes\n"
        'cost: "$5"\n',
    )
    assert (event.start, event.end) == (at("2026-12-18T17:00"), at("2026-12-18T19:30"))
    assert event.timezone_name == "America/Chicago"
    assert event.branch is not None and event.branch.name == "Eastside Branch"
    assert event.location == "Community Room"
    assert [(a.id, a.name) for a in event.audiences] == [("teens", "Teens")]
    assert [(c.id, c.name) for c in event.categories] == [("books", "Books and reading")]
    assert event.registration_required is True
    assert event.registration_url == "https://library.example.org/register"
    assert event.cost == "$5"
    assert (event.status, event.sequence, event.attendance_mode) == ("scheduled", 0, "offline")


def test_without_end_an_event_lasts_the_default_duration_from_site_yaml(make_site):
    event = read_one(make_site, "title: Chess\nstart: 2026-12-18 17:00\n")
    assert event.duration == timedelta(minutes=45)


def test_an_end_date_and_time_may_be_on_another_day(make_site):
    event = read_one(make_site, "title: Lock-in\nstart: 2026-12-18 20:00\nend: 2026-12-19 01:00\n")
    assert event.end == at("2026-12-19T01:00")


def test_an_all_day_event_ends_after_the_last_day_staff_write(make_site):
    event = read_one(make_site, "title: Book Fair\nstart: 2026-12-11\nend: 2026-12-13\n")
    assert event.all_day
    assert (event.start, event.end) == (at("2026-12-11T00:00"), at("2026-12-14T00:00"))
    one_day = read_one(make_site, "title: Closed\nstart: 2026-12-24\n")
    assert (one_day.start, one_day.end) == (at("2026-12-24T00:00"), at("2026-12-25T00:00"))


def test_an_event_in_its_own_time_zone(make_site):
    event = read_one(
        make_site,
        "title: Author Talk\nstart: 2026-12-10 19:00\nend: 20:00\ntimezone: America/New_York\n"
        "online_url: https://stream.example.org/talk\n",
    )
    assert event.start == at("2026-12-10T19:00", NEW_YORK)
    assert event.end == at("2026-12-10T20:00", NEW_YORK)
    assert event.attendance_mode == "online"


def test_a_time_with_an_offset_is_that_instant_in_the_events_zone(make_site):
    event = read_one(make_site, "title: Talk\nstart: 2026-12-10T19:00:00-05:00\n")
    assert event.start == at("2026-12-10T18:00")
    assert event.start.tzinfo == CHICAGO


def test_a_hybrid_event_has_a_branch_and_an_online_url(make_site):
    event = read_one(
        make_site,
        "title: Lecture\nstart: 2026-12-17 19:00\nbranch: central\n"
        "online_url: https://stream.example.org/lecture\n",
    )
    assert event.attendance_mode == "mixed"


@pytest.mark.parametrize(
    ("written", "status", "sequence"),
    [
        ("scheduled", "scheduled", 0),
        ("moved online", "moved-online", 1),
        ("Postponed", "postponed", 1),
        ("rescheduled", "rescheduled", 2),
        ("canceled", "cancelled", 3),
    ],
)
def test_status_spellings_and_the_sequence_each_status_adds(make_site, written, status, sequence):
    event = read_one(
        make_site,
        f"title: Talk\nstart: 2026-12-10 19:00\nstatus: {written}\n"
        "previous_start: 2026-12-03 19:00\nonline_url: https://stream.example.org/talk\n",
    )
    assert (event.status, event.sequence) == (status, sequence)


def test_a_written_sequence_is_added_to_the_status_step(make_site):
    event = read_one(
        make_site, "title: Talk\nstart: 2026-12-10 19:00\nstatus: cancelled\nsequence: 2\n"
    )
    assert event.sequence == 5


def test_a_series_with_except_and_changes(make_site):
    event = read_one(
        make_site,
        "title: Storytime\n"
        "start: 2026-12-01 10:30\n"
        "end: 11:15\n"
        "repeat: freq=weekly;byday=TU;until=20270601\n"
        "except: [2026-12-29, 2026-12-22]\n"
        "changes:\n"
        "  - date: 2027-01-05\n"
        "    status: cancelled\n"
        "    note: Staff training\n"
        "  - date: 2027-01-12\n"
        "    start: 2027-01-13 16:00\n"
        "    location: Heron Room\n",
    )
    assert event.repeat == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270601"
    assert event.exceptions == (date(2026, 12, 22), date(2026, 12, 29))
    cancelled, moved = event.changes
    assert (cancelled.date, cancelled.status, cancelled.note, cancelled.line) == (
        date(2027, 1, 5),
        "cancelled",
        "Staff training",
        8,
    )
    assert (moved.date, moved.start, moved.location) == (
        date(2027, 1, 12),
        at("2027-01-13T16:00"),
        "Heron Room",
    )


def test_a_date_of_an_all_day_series_moves_to_another_date(make_site):
    event = read_one(
        make_site,
        "title: Book Sale\nstart: 2026-12-05\nrepeat: FREQ=MONTHLY;BYDAY=1SA;COUNT=3\n"
        "changes:\n  - date: 2027-01-02\n    start: 2027-01-09\n",
    )
    (moved,) = event.changes
    assert moved.start == at("2027-01-09T00:00")


# --- the table of mistakes --------------------------------------------------------------------

ERROR, WARNING = Severity.ERROR, Severity.WARNING
ONE_OFF = "title: Talk\nstart: 2026-12-10 19:00\n"
SERIES = "title: Storytime\nstart: 2026-12-10 10:00\nrepeat: FREQ=WEEKLY;BYDAY=TH\n"

BAD_EVENTS = [
    # --- time ---------------------------------------------------------------------------------
    pytest.param(
        "title: Talk\nstart: 2026-12-10 10:00\nend: 2026-12-10 09:00\n",
        f"{EVENT}:4: The event ends before it starts "
        "(end 2026-12-10 09:00 is not after start 2026-12-10 10:00).",
        ERROR,
        "end: 2026-12-02 00:30",
        id="end-before-start",
    ),
    pytest.param(
        "title: Talk\nstart: 2026-12-10 22:00\nend: 00:30\n",
        f"{EVENT}:4: The event ends before it starts "
        "(end 2026-12-10 00:30 is not after start 2026-12-10 22:00).",
        ERROR,
        "give the date too",
        id="end-past-midnight-without-date",
    ),
    pytest.param(
        "title: Talk\nstart: 2026-12-10 10:00\nend: 10:00\n",
        f"{EVENT}:4: The event ends before it starts "
        "(end 2026-12-10 10:00 is not after start 2026-12-10 10:00).",
        ERROR,
        "Check the dates and times",
        id="end-equals-start",
    ),
    pytest.param(
        "title: Fair\nstart: 2026-12-11\nend: 2026-12-10\n",
        f"{EVENT}:4: The event ends before it starts "
        "(the last day 2026-12-10 is before the first day 2026-12-11).",
        ERROR,
        "Check the dates",
        id="all-day-end-before-start",
    ),
    pytest.param(
        "title: Talk\nstart: 2026-12-10 10:00\nend: 25:00\n",
        f'{EVENT}:4: "end" is not a time of day (25:00).',
        ERROR,
        "",
        id="end-not-a-time",
    ),
    pytest.param(
        "title: Talk\nstart: 2026-13-10 10:00\n",
        f"{EVENT}:3: \"start\" is not a date or a date and time ('2026-13-10 10:00').",
        ERROR,
        "start: 2026-12-01 10:30",
        id="start-not-a-date",
    ),
    pytest.param(
        "title: Talk\nstart: 10:30\n",
        f'{EVENT}:3: "start" is 10:30: a time without a date.',
        ERROR,
        "start: 2026-12-01 10:30",
        id="start-time-only",
    ),
    pytest.param(
        "title: Talk\n",
        f'{EVENT}:2: "start" is missing: every event needs one.',
        ERROR,
        "start: 2026-12-01 10:30",
        id="start-missing",
    ),
    pytest.param(
        ONE_OFF + "timezone: America/Chicgo\n",
        f'{EVENT}:4: "America/Chicgo" is not a time zone name. Did you mean "America/Chicago"?',
        ERROR,
        "like: timezone: America/Chicago",
        id="zone-typo",
    ),
    pytest.param(
        ONE_OFF + "timezone: Riverbend\n",
        f'{EVENT}:4: "Riverbend" is not a time zone name.',
        ERROR,
        "Use an IANA name",
        id="zone-unknown",
    ),
    pytest.param(
        ONE_OFF + "timezone: CST\n",
        f'{EVENT}:4: "CST" is an abbreviation, not a time zone name; it does not say when '
        "daylight saving time starts.",
        ERROR,
        "Use the place name, like: timezone: America/Chicago",
        id="zone-abbreviation-cst",
    ),
    pytest.param(
        ONE_OFF + "timezone: EST\n",
        f'{EVENT}:4: "EST" is an abbreviation, not a time zone name; it does not say when '
        "daylight saving time starts.",
        ERROR,
        "like: timezone: America/New_York",
        id="zone-abbreviation-est",
    ),
    # --- daylight-saving changes: warnings, resolved as RFC 5545 says --------------------------
    pytest.param(
        "title: Lock-in\nstart: 2027-03-14 02:30\n",
        f"{EVENT}:3: warning: 02:30 on 2027-03-14 does not exist in America/Chicago: the "
        "clocks jump forward that night, so it is taken as 03:30.",
        WARNING,
        "Check the time.",
        id="start-in-spring-gap",
    ),
    pytest.param(
        "title: Lock-in\nstart: 2026-11-01 01:30\n",
        f"{EVENT}:3: warning: 01:30 on 2026-11-01 happens twice in America/Chicago: the "
        "clocks go back that night, so the first one (CDT) is used.",
        WARNING,
        "Check the time.",
        id="start-in-autumn-fold",
    ),
    pytest.param(
        "title: Lock-in\nstart: 2026-11-01 00:30\nend: 01:30\n",
        f"{EVENT}:4: warning: 01:30 on 2026-11-01 happens twice in America/Chicago: the "
        "clocks go back that night, so the first one (CDT) is used.",
        WARNING,
        "Check the time.",
        id="end-in-autumn-fold",
    ),
    pytest.param(
        "title: Night Owls\nstart: 2027-03-07 02:30\nend: 03:00\nrepeat: FREQ=WEEKLY;COUNT=3\n",
        f"{EVENT}:5: warning: A date of this series falls on a daylight-saving change: 02:30 "
        "on 2027-03-14 does not exist in America/Chicago: the clocks jump forward that night, "
        "so it is taken as 03:30.",
        WARNING,
        "skip those dates with except:",
        id="series-date-in-spring-gap",
    ),
    pytest.param(
        SERIES + "changes:\n  - date: 2027-03-11\n    start: 2027-03-14 02:30\n",
        f"{EVENT}:7: warning: 02:30 on 2027-03-14 does not exist in America/Chicago: the "
        "clocks jump forward that night, so it is taken as 03:30.",
        WARNING,
        "Check the time.",
        id="moved-date-in-spring-gap",
    ),
    # --- branch, audiences, categories ----------------------------------------------------------
    pytest.param(
        ONE_OFF + "branch: westside\n",
        f'{EVENT}:4: "westside" is not one of the branches in site.yaml. Did you mean "eastside"?',
        ERROR,
        "Use one of: central, eastside",
        id="unknown-branch",
    ),
    pytest.param(
        ONE_OFF + "audiences: [kids, toddlers]\n",
        f'{EVENT}:4: "toddlers" is not one of the audiences in site.yaml.',
        ERROR,
        "Use one of: kids, teens, adults",
        id="unknown-audience",
    ),
    pytest.param(
        ONE_OFF + "categories: [story]\n",
        f'{EVENT}:4: "story" is not one of the categories in site.yaml. Did you mean "storytime"?',
        ERROR,
        "Use one of: storytime, books",
        id="unknown-category",
    ),
    # --- status and links ---------------------------------------------------------------------
    pytest.param(
        ONE_OFF + "status: canceld\n",
        f'{EVENT}:4: "status" must be one of scheduled, cancelled, postponed, rescheduled, '
        "moved-online ('canceld'). Did you mean \"cancelled\"?",
        ERROR,
        "status: cancelled",
        id="unknown-status",
    ),
    pytest.param(
        ONE_OFF + "status: moved-online\n",
        f'{EVENT}:4: A "moved-online" event needs "online_url": the link people join with.',
        ERROR,
        "online_url: https://",
        id="moved-online-without-url",
    ),
    pytest.param(
        ONE_OFF + "status: rescheduled\n",
        f"{EVENT}:4: warning: A rescheduled event should say when it was planned before "
        '("previous_start").',
        WARNING,
        "previous_start: 2026-11-20 18:00",
        id="rescheduled-without-previous-start",
    ),
    pytest.param(
        ONE_OFF + "online_url: meet.example.org/talk\n",
        f'{EVENT}:4: "online_url" must be a web address starting with https:// '
        "('meet.example.org/talk').",
        ERROR,
        "",
        id="online-url-without-scheme",
    ),
    pytest.param(
        ONE_OFF + "registration_url: javascript:alert(1)\n",
        f'{EVENT}:4: "registration_url" must be a web address starting with https:// '
        "('javascript:alert(1)').",
        ERROR,
        "",
        id="registration-url-script",
    ),
    pytest.param(
        ONE_OFF + "registration_required: maybe\n",
        f"{EVENT}:4: \"registration_required\" must be true or false, not 'maybe'.",
        ERROR,
        "registration_required: true",
        id="registration-required-not-yes-no",
    ),
    # --- repeat rules -------------------------------------------------------------------------
    pytest.param(
        ONE_OFF + "repeat: FREQ=WEEKLY;BYDAY=XX\n",
        f"{EVENT}:4: \"repeat\" is not a rule sitegen understands: invalid 'BYDAY': XX.",
        ERROR,
        "repeat: FREQ=WEEKLY;BYDAY=TU;UNTIL=20270601",
        id="rrule-bad-day",
    ),
    pytest.param(
        ONE_OFF + "repeat: every tuesday\n",
        f'{EVENT}:4: "repeat" is not a rule sitegen understands: "EVERY TUESDAY" is not KEY=VALUE.',
        ERROR,
        "(every Tuesday until June 1, 2027)",
        id="rrule-in-words",
    ),
    pytest.param(
        ONE_OFF + "repeat: FREQ=FORTNIGHTLY\n",
        f'{EVENT}:4: "repeat" is not a rule sitegen understands: it needs FREQ=DAILY, '
        "WEEKLY, MONTHLY or YEARLY.",
        ERROR,
        "repeat: FREQ=WEEKLY",
        id="rrule-bad-freq",
    ),
    pytest.param(
        ONE_OFF + "repeat: FREQ=WEEKLY;COUNT=3;UNTIL=20270101\n",
        f'{EVENT}:4: "repeat" is not a rule sitegen understands: it may have UNTIL or COUNT, '
        "not both.",
        ERROR,
        "repeat: FREQ=WEEKLY",
        id="rrule-count-and-until",
    ),
    pytest.param(
        ONE_OFF + "repeat: FREQ=WEEKLY;COUNT=0\n",
        f'{EVENT}:4: "repeat" is not a rule sitegen understands: COUNT must be a whole number '
        "of at least 1, not 0.",
        ERROR,
        "repeat: FREQ=WEEKLY",
        id="rrule-count-zero",
    ),
    pytest.param(
        ONE_OFF + "repeat: FREQ=WEEKLY;UNTIL=20271301\n",
        f'{EVENT}:4: "repeat" is not a rule sitegen understands: UNTIL "20271301" is not a '
        "real date.",
        ERROR,
        "repeat: FREQ=WEEKLY",
        id="rrule-until-not-a-date",
    ),
    pytest.param(
        ONE_OFF + "repeat: FREQ=WEEKLY;UNTIL=20261201\n",
        f'{EVENT}:4: "repeat" gives no dates at all from start 2026-12-10: does its UNTIL come '
        "before the start?",
        ERROR,
        "repeat: FREQ=WEEKLY",
        id="rrule-until-before-start",
    ),
    pytest.param(
        ONE_OFF + "repeat: FREQ=WEEKLY;BYDAY=TU\n",
        f"{EVENT}:4: The first date (Thursday, 2026-12-10) is not a date of the repeat rule; "
        "its first date after that is Tuesday, 2026-12-15 19:00.",
        ERROR,
        "Make start the first date of the series: start: 2026-12-15 19:00",
        id="start-not-on-the-rule",
    ),
    # --- except and changes -------------------------------------------------------------------
    pytest.param(
        SERIES + "except: [tuesday]\n",
        f"{EVENT}:5: \"except\" must list dates like 2026-12-22 ('tuesday' is not one).",
        ERROR,
        "except: [2026-12-22, 2026-12-29]",
        id="except-not-a-date",
    ),
    pytest.param(
        SERIES + "except: [2026-12-24, 2026-12-25]\n",
        f'{EVENT}:5: warning: "except" skips 2026-12-25, which is not a date of this series, '
        "so nothing is skipped.",
        WARNING,
        "The nearest dates of the series: Thursday 2026-12-24, Thursday 2026-12-31",
        id="except-not-a-date-of-the-series",
    ),
    pytest.param(
        ONE_OFF + "except: [2026-12-17]\n",
        f'{EVENT}:4: warning: "except" only applies to events that repeat.',
        WARNING,
        "",
        id="except-without-repeat",
    ),
    pytest.param(
        SERIES + "changes:\n  - date: 2026-12-18\n    status: cancelled\n",
        f"{EVENT}:6: warning: 2026-12-18 is not a date of this series, so this change applies "
        "to nothing.",
        WARNING,
        "The nearest dates of the series: Thursday 2026-12-17, Thursday 2026-12-24",
        id="change-not-a-date-of-the-series",
    ),
    pytest.param(
        SERIES + "except: [2026-12-24]\nchanges:\n  - date: 2026-12-24\n    status: cancelled\n",
        f'{EVENT}:7: warning: 2026-12-24 is also listed in "except", which skips it; this '
        "change is ignored.",
        WARNING,
        'Remove the date from "except"',
        id="change-of-a-skipped-date",
    ),
    pytest.param(
        SERIES
        + "changes:\n  - date: 2026-12-17\n    status: cancelled\n"
        + "  - date: 2026-12-17\n    note: Bring a snack\n",
        f"{EVENT}:8: 2026-12-17 is changed twice (first on line 6).",
        ERROR,
        "in one entry",
        id="change-twice",
    ),
    pytest.param(
        SERIES + "changes:\n  - date: 2026-12-17\n    stauts: cancelled\n",
        f'{EVENT}:7: "stauts" is not a change setting. Did you mean "status"?',
        ERROR,
        "Known settings: date, status, start, end, location, note",
        id="change-unknown-key",
    ),
    pytest.param(
        SERIES + "changes:\n  - date: 2026-12-17\n    status: closed\n",
        f'{EVENT}:7: "status" must be one of scheduled, cancelled, postponed, rescheduled, '
        "moved-online ('closed').",
        ERROR,
        "status: cancelled",
        id="change-unknown-status",
    ),
    pytest.param(
        SERIES + "changes:\n  - status: cancelled\n",
        f'{EVENT}:6: "date" is missing: every change needs one.',
        ERROR,
        "date: 2026-12-22",
        id="change-without-date",
    ),
    pytest.param(
        SERIES + "changes:\n  - date: 2026-12-17\n    start: 2026-12-18\n",
        f"{EVENT}:7: A moved date needs a time too.",
        ERROR,
        "start: 2026-12-23 10:30",
        id="change-moved-without-time",
    ),
    pytest.param(
        SERIES + "changes:\n  - date: 2026-12-17\n    start: 2026-12-18 10:00\n"
        "    end: 2026-12-18 09:00\n",
        f"{EVENT}:8: The moved date ends before it starts "
        "(end 2026-12-18 09:00 is not after start 2026-12-18 10:00).",
        ERROR,
        "start: 2027-01-06 10:30",
        id="change-end-before-start",
    ),
    pytest.param(
        SERIES + "changes: [2026-12-17]\n",
        f'{EVENT}:5: "changes" must be a list of dates with what changes.',
        ERROR,
        "- date: 2026-12-22",
        id="changes-not-a-list-of-entries",
    ),
    pytest.param(
        ONE_OFF + "changes:\n  - date: 2026-12-17\n    status: cancelled\n",
        f'{EVENT}:4: warning: "changes" only applies to events that repeat.',
        WARNING,
        "- date: 2026-12-22",
        id="changes-without-repeat",
    ),
]


@pytest.mark.parametrize(("front", "expected", "severity", "hint"), BAD_EVENTS)
def test_a_mistake_in_an_event_names_its_line_and_the_fix(
    make_site, front: str, expected: str, severity: Severity, hint: str
) -> None:
    built = make_site(event_site(front))

    first_lines = [problem.splitlines()[0] for problem in built.problems]
    assert expected in first_lines, "\n".join(built.problems)
    problem = built.result.problems[first_lines.index(expected)]
    assert problem.severity is severity
    assert hint in problem.hint
    # An error keeps the whole site from being written; a warning does not.
    assert built.result.written is (severity is WARNING)
    assert {p.path for p in built.result.problems} == {EVENT}


def test_every_broken_event_is_reported_and_the_good_ones_are_not(make_site):
    built = make_site(
        f"-- site.yaml --\n{CONFIG}"
        "-- content/events/a.md --\n---\ntitle: A\nstart: 2026-12-10 10:00\nbranch: west\n---\n"
        "-- content/events/b.md --\n---\ntitle: B\nstart: 2026-12-10 10:00\ntimezone: CDT\n---\n"
        "-- content/events/c.md --\n---\ntitle: C\nstart: 2026-12-10 10:00\n---\n"
    )
    assert [p.location for p in built.result.problems] == [
        "content/events/a.md:4",
        "content/events/b.md:4",
    ]
    assert not built.result.written


def test_a_dst_warning_fails_a_strict_build(make_site):
    built = make_site(event_site("title: Lock-in\nstart: 2027-03-14 02:30\n"), strict=True)
    assert [p.severity for p in built.result.problems] == [WARNING]
    assert not built.result.written
