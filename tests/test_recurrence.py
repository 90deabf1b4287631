"""Repeat rules (RFC 5545 RRULE) checked and expanded in local wall-clock time, in memory.

Dates are around the 2027 daylight-saving changes in America/Chicago: clocks jump from 02:00 to
03:00 on Sunday 2027-03-14 and fall back from 02:00 to 01:00 on Sunday 2027-11-07.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sitegen.recurrence import (
    RuleError,
    build_rule,
    dst_problem,
    local_moment,
    nearby_dates,
    occurs_on,
    rule_parts,
    series_dst_problems,
    until_moment,
)

CHICAGO = ZoneInfo("America/Chicago")


def at(text: str, zone: ZoneInfo = CHICAGO) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


# --- reading a rule ---------------------------------------------------------------------------


def test_rule_parts_accept_lower_case_and_the_rrule_prefix():
    parts = rule_parts("rrule:freq=weekly;byday=TU;until=20270601")
    assert parts == {"FREQ": "WEEKLY", "BYDAY": "TU", "UNTIL": "20270601"}


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=WEEKLY;BYDAY", '"BYDAY" is not KEY=VALUE'),
        ("FREQ=WEEKLY;DAY=TU", '"DAY" is not part of a repeat rule'),
        ("FREQ=WEEKLY;BYDAY=TU;BYDAY=WE", '"BYDAY" is given twice'),
        ("BYDAY=TU", "it needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY"),
        ("FREQ=FORTNIGHTLY", "it needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY"),
        ("FREQ=HOURLY", "it needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20270101", "it may have UNTIL or COUNT, not both"),
        ("FREQ=WEEKLY;COUNT=0", "COUNT must be a whole number of at least 1, not 0"),
        ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL must be a whole number of at least 1, not 0"),
        ("FREQ=WEEKLY;COUNT=three", "COUNT must be a whole number of at least 1, not THREE"),
    ],
)
def test_rule_parts_reject_rules_with_a_reason(rule, message):
    with pytest.raises(RuleError) as caught:
        rule_parts(rule)
    assert str(caught.value) == message


def test_until_as_a_date_means_the_end_of_that_day_in_the_events_zone():
    assert until_moment("20270601", CHICAGO, all_day=False) == at("2027-06-01T23:59:59")
    assert until_moment("2027-06-01", CHICAGO, all_day=True) == at("2027-06-01T23:59:59")


def test_until_with_z_is_utc_and_without_is_the_events_zone():
    assert until_moment("20270601T150000Z", CHICAGO, False) == datetime(2027, 6, 1, 15, tzinfo=UTC)
    assert until_moment("20270601T150000", CHICAGO, False) == at("2027-06-01T15:00")


@pytest.mark.parametrize("value", ["20271301", "June 1", "20270631"])
def test_until_that_is_not_a_date_is_refused(value):
    with pytest.raises(RuleError, match="UNTIL"):
        until_moment(value, CHICAGO, False)


def test_a_rule_dateutil_refuses_is_a_rule_error():
    with pytest.raises(RuleError, match="BYDAY"):
        build_rule("FREQ=WEEKLY;BYDAY=XX", at("2026-12-01T10:30"), False)


# --- expanding in wall-clock time -------------------------------------------------------------


def test_weekly_rule_keeps_its_wall_clock_time_over_the_spring_change():
    rule = build_rule("FREQ=WEEKLY;BYDAY=TU;COUNT=4", at("2027-03-02T10:30"), False)
    starts = [local_moment(naive, CHICAGO) for naive in rule]

    assert [s.date() for s in starts] == [date(2027, 3, d) for d in (2, 9, 16, 23)]
    assert {(s.hour, s.minute) for s in starts} == {(10, 30)}
    assert [s.utcoffset() for s in starts] == [timedelta(hours=h) for h in (-6, -6, -5, -5)]
    # So the real time between the dates around the change is a week less an hour.
    assert starts[2].astimezone(UTC) - starts[1].astimezone(UTC) == timedelta(days=7, hours=-1)


def test_weekly_rule_keeps_its_wall_clock_time_over_the_autumn_change():
    rule = build_rule("FREQ=WEEKLY;BYDAY=SA;UNTIL=20271113", at("2027-10-30T10:30"), False)
    starts = [local_moment(naive, CHICAGO) for naive in rule]

    assert [s.date() for s in starts] == [date(2027, 10, 30), date(2027, 11, 6), date(2027, 11, 13)]
    assert {(s.hour, s.minute) for s in starts} == {(10, 30)}
    assert [s.tzname() for s in starts] == ["CDT", "CDT", "CST"]


def test_until_date_includes_a_date_on_that_day():
    rule = build_rule("FREQ=WEEKLY;BYDAY=TU;UNTIL=20270323", at("2027-03-02T18:00"), False)
    assert [n.date() for n in rule][-1] == date(2027, 3, 23)


def test_until_in_utc_is_compared_as_an_instant():
    # 23:30Z on March 23 is 18:30 CDT: the 18:00 date that day is in, the 19:00 one would not be.
    evening = build_rule("FREQ=WEEKLY;UNTIL=20270323T233000Z", at("2027-03-02T18:00"), False)
    late = build_rule("FREQ=WEEKLY;UNTIL=20270323T233000Z", at("2027-03-02T19:00"), False)
    assert [n.date() for n in evening][-1] == date(2027, 3, 23)
    assert [n.date() for n in late][-1] == date(2027, 3, 16)


def test_first_monday_of_the_month():
    rule = build_rule("FREQ=MONTHLY;BYDAY=1MO;COUNT=5", at("2026-12-07T18:30"), False)
    assert [n.date() for n in rule] == [
        date(2026, 12, 7),
        date(2027, 1, 4),
        date(2027, 2, 1),
        date(2027, 3, 1),
        date(2027, 4, 5),
    ]


def test_an_all_day_rule_gives_midnights():
    rule = build_rule("FREQ=DAILY;UNTIL=20261203", at("2026-12-01T00:00"), True)
    assert list(rule) == [datetime(2026, 12, d) for d in (1, 2, 3)]


def test_occurs_on_and_nearby_dates():
    rule = build_rule("FREQ=WEEKLY;BYDAY=TU", at("2026-12-01T10:30"), False)
    assert occurs_on(rule, date(2026, 12, 8))
    assert not occurs_on(rule, date(2026, 12, 9))
    assert nearby_dates(rule, date(2026, 12, 10)) == [date(2026, 12, 8), date(2026, 12, 15)]
    assert nearby_dates(rule, date(2026, 11, 1)) == [date(2026, 12, 1)]


# --- local times at daylight-saving changes ---------------------------------------------------


def test_a_time_in_the_spring_gap_moves_forward_by_the_gap():
    resolved = local_moment(datetime(2027, 3, 14, 2, 30), CHICAGO)
    assert (resolved.hour, resolved.minute, resolved.tzname()) == (3, 30, "CDT")
    assert resolved.astimezone(UTC) == datetime(2027, 3, 14, 8, 30, tzinfo=UTC)


def test_a_time_in_the_autumn_fold_is_the_first_of_the_two():
    resolved = local_moment(datetime(2027, 11, 7, 1, 30), CHICAGO)
    assert resolved.tzname() == "CDT"
    assert resolved.astimezone(UTC) == datetime(2027, 11, 7, 6, 30, tzinfo=UTC)


def test_an_ordinary_time_is_unchanged():
    assert local_moment(datetime(2027, 3, 14, 10, 30), CHICAGO) == at("2027-03-14T10:30")


def test_dst_problem_explains_the_gap_and_the_fold():
    assert dst_problem(datetime(2027, 3, 14, 10, 30), CHICAGO) == ""
    assert dst_problem(datetime(2027, 3, 14, 2, 30), CHICAGO) == (
        "02:30 on 2027-03-14 does not exist in America/Chicago: the clocks jump forward "
        "that night, so it is taken as 03:30"
    )
    assert dst_problem(datetime(2027, 11, 7, 1, 30), CHICAGO) == (
        "01:30 on 2027-11-07 happens twice in America/Chicago: the clocks go back that "
        "night, so the first one (CDT) is used"
    )


def test_series_dst_problems_finds_the_dates_of_a_series_in_a_gap_or_fold():
    daily = build_rule("FREQ=DAILY;UNTIL=20271231", at("2027-01-01T01:30"), False)
    problems = list(series_dst_problems(daily, CHICAGO))
    assert len(problems) == 1  # only the fold: 01:30 exists on the spring night
    assert problems[0].startswith("01:30 on 2027-11-07 happens twice")

    sundays = build_rule("FREQ=WEEKLY;BYDAY=SU;COUNT=60", at("2027-01-03T02:15"), False)
    assert [p[:19] for p in series_dst_problems(sundays, CHICAGO)] == ["02:15 on 2027-03-14"]

    assert (
        list(series_dst_problems(build_rule("FREQ=DAILY", at("2027-01-01T10:30"), False), CHICAGO))
        == []
    )
