"""The event pages as a visitor gets them: listings by day, filters, past events, month
calendars, one page per event or series, calendar links and schema.org data.

The site (event_site.EVENT_SITE) is built once at NOW, Tuesday 2026-12-01 09:00 in Chicago.
"""

from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import BuiltSite
from event_site import BASE, STATUS_OF, build_event_site


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> BuiltSite:
    built = build_event_site(tmp_path_factory.mktemp("events"))
    assert built.problems == []
    return built


def day_groups(soup: BeautifulSoup) -> list[tuple[str, list[str]]]:
    """(the day's date, the slugs of its events) for each day of a listing, in page order."""
    groups = []
    for section in soup.select("main section[aria-labelledby^='day-']"):
        day = section.select_one("h2 time")["datetime"]
        groups.append((day, [slug_of(card) for card in section.select("article")]))
    return groups


def slug_of(card: Tag) -> str:
    return card.select_one("a[href^='/events/']")["href"].split("/")[2]


def card_on(soup: BeautifulSoup, day: str, slug: str) -> Tag:
    section = soup.select_one(f"main section[aria-labelledby='day-{day}']")
    (card,) = [card for card in section.select("article") if slug_of(card) == slug]
    return card


def event_data(soup: BeautifulSoup) -> dict:
    """The schema.org Event among the page's JSON-LD blocks (the page also has the Library)."""
    blocks = [json.loads(s.string) for s in soup.select("script[type='application/ld+json']")]
    (event,) = [block for block in blocks if block.get("@type") == "Event"]
    return event


def text(tag: Tag | None) -> str:
    assert tag is not None
    return " ".join(tag.get_text(" ").split())


# --- the upcoming listing ---------------------------------------------------------------------


def test_upcoming_events_are_grouped_by_day_soonest_first(site):
    groups = day_groups(site.html("events/index.html"))
    days = [day for day, _ in groups]
    assert days == sorted(days) and len(set(days)) == len(days)
    assert groups[:6] == [
        # The art show began on November 28 and is still on: it is listed under today.
        ("2026-12-01", ["art-show", "storytime"]),
        ("2026-12-07", ["book-club"]),
        ("2026-12-08", ["storytime"]),
        ("2026-12-10", ["author-talk"]),
        ("2026-12-11", ["craft-fair"]),
        ("2026-12-15", ["storytime", "knitting"]),
    ]


def test_the_listing_covers_the_next_sixty_days_and_no_past_event(site):
    groups = day_groups(site.html("events/index.html"))
    assert groups[-1][0] == "2027-01-26"  # February 1, the next book club, is further out
    slugs = {slug for _, day_slugs in groups for slug in day_slugs}
    assert "book-sale" not in slugs
    assert set(STATUS_OF) - slugs == {"book-sale"}


def test_a_cancelled_or_changed_date_is_kept_in_the_listing_and_marked(site):
    soup = site.html("events/index.html")
    knitting = card_on(soup, "2026-12-15", "knitting")
    assert "is-cancelled" in knitting["class"] and "Cancelled" in text(knitting)
    skipped_day = card_on(soup, "2026-12-22", "storytime")
    assert "Cancelled" in text(skipped_day) and "Staff training" in text(skipped_day)
    days = dict(day_groups(soup))
    assert "2026-12-29" not in days  # the except date
    assert "storytime" not in days.get("2027-01-05", [])
    assert "storytime" in days["2027-01-06"]  # the date moved a day later


@pytest.mark.parametrize(
    ("slug", "day", "label"),
    [
        ("author-talk", "2026-12-10", "Rescheduled"),
        ("tech-help", "2026-12-16", "Moved online"),
        ("game-night", "2026-12-18", "Postponed"),
    ],
)
def test_a_status_is_marked_on_its_listing_card(site, slug, day, label):
    card = card_on(site.html("events/index.html"), day, slug)
    assert label in text(card)
    assert "is-cancelled" not in card.get("class", [])


def test_a_time_in_another_zone_names_the_zone_and_gives_the_sites_time(site):
    card = card_on(site.html("events/index.html"), "2026-12-10", "author-talk")
    assert "7 p.m. – 8 p.m. EST (6 p.m. CST)" in text(card)
    storytime = card_on(site.html("events/index.html"), "2026-12-08", "storytime")
    assert "CST" not in text(storytime)


def test_the_events_page_links_its_calendar_feeds(site):
    soup = site.html("events/index.html")
    hrefs = [a["href"] for a in soup.select("main a")]
    assert "webcal://library.example.org/events.ics" in hrefs
    assert "/events.ics" in hrefs
    assert "/events/feed.xml" in hrefs
    alternates = {link["href"]: link["type"] for link in soup.select("head link[rel='alternate']")}
    assert alternates[BASE + "events.ics"] == "text/calendar"
    assert alternates[BASE + "events/feed.xml"] == "application/rss+xml"


# --- filters: a static page per branch, audience and category ---------------------------------

FILTERS = {
    "branch/central": {"storytime", "art-show", "knitting", "tech-help", "history-lecture"},
    "branch/eastside": {"book-club", "craft-fair", "game-night"},
    "audience/kids": {"storytime"},
    "audience/teens": {"game-night"},
    "audience/adults": {"book-club", "author-talk", "knitting", "history-lecture"},
    "category/storytime": {"storytime"},
    "category/books": {"book-club", "author-talk"},
    "category/arts": {"craft-fair", "art-show", "knitting"},
    "category/technology": {"tech-help"},
}


@pytest.mark.parametrize(("path", "slugs"), FILTERS.items())
def test_each_filter_page_lists_only_its_events(site, path, slugs):
    soup = site.html(f"events/{path}/index.html")
    shown = {slug for _, day_slugs in day_groups(soup) for slug in day_slugs}
    assert shown == slugs
    current = soup.select("nav a[aria-current='page']")
    assert [a["href"] for a in current] == [f"/events/{path}/"]
    hrefs = [a["href"] for a in soup.select("main a")]
    assert f"webcal://library.example.org/events/{path}/events.ics" in hrefs
    assert site.exists(f"events/{path}/events.ics")


def test_the_filter_links_work_without_javascript(site):
    soup = site.html("events/index.html")
    links = {a["href"] for a in soup.select("nav a[href^='/events/']")}
    assert {f"/events/{path}/" for path in FILTERS} <= links
    for href in links:
        assert site.exists(href.lstrip("/") + "index.html"), href
    assert not site.out.joinpath("events/audience/families").exists()


# --- past events ------------------------------------------------------------------------------


def test_past_events_have_their_own_page(site):
    groups = day_groups(site.html("events/past/index.html"))
    assert groups == [("2026-11-20", ["book-sale"])]


def test_events_move_to_past_on_the_first_build_after_they_end(tmp_path):
    at_end = datetime.fromisoformat("2026-12-01T11:15:00-06:00")
    before = build_event_site(tmp_path / "before", now=at_end.replace(minute=14, second=59))
    after = build_event_site(tmp_path / "after", now=at_end)

    assert day_groups(before.html("events/index.html"))[0] == (
        "2026-12-01",
        ["art-show", "storytime"],
    )
    assert day_groups(before.html("events/past/index.html"))[0][0] == "2026-11-20"
    assert day_groups(after.html("events/index.html"))[0] == ("2026-12-01", ["art-show"])
    assert day_groups(after.html("events/past/index.html"))[0] == ("2026-12-01", ["storytime"])


def test_the_build_reports_when_the_next_event_moves_to_past(site, tmp_path):
    assert site.result.next_change() == (
        'Next change: 2026-12-01 11:15 CST, when "Preschool Storytime" moves to past events '
        "(content/events/storytime.md)."
    )
    later = build_event_site(tmp_path, now=datetime.fromisoformat("2026-12-01T11:15:00-06:00"))
    # The art show ends at midnight after its last day, December 5.
    assert later.result.next_change().startswith(
        'Next change: 2026-12-06 00:00 CST, when "Student Art Show" moves to past events'
    )


# --- month calendars --------------------------------------------------------------------------


def test_a_month_is_an_accessible_table_of_weeks(site):
    table = site.html("events/2026/12/index.html").select_one("main table")
    assert text(table.caption) == "December 2026"
    headers = table.select("thead th")
    assert [th["scope"] for th in headers] == ["col"] * 7
    assert text(headers[0]).startswith("Mon")
    rows = table.select("tbody tr")
    assert len(rows) == 5 and {len(row.select("td")) for row in rows} == {7}


def month_cells(site: BuiltSite, path: str) -> dict[str, list[tuple[str, str]]]:
    """Each in-month day: (event slug, text) of the links in its cell."""
    cells = {}
    for cell in site.html(path).select("main table td"):
        day = cell.select_one("time[datetime]")
        if day is not None:
            links = cell.select("a[href^='/events/']")
            cells[day["datetime"]] = [(a["href"].split("/")[2], text(a.parent)) for a in links]
    return cells


def test_each_day_of_a_month_links_its_events(site):
    cells = month_cells(site, "events/2026/12/index.html")
    assert len(cells) == 31
    assert [slug for slug, _ in cells["2026-12-15"]] == ["storytime", "knitting"]
    assert "Cancelled" in cells["2026-12-15"][1][1]
    # A multi-day event is on each of its days; an ongoing one on the days left in the month.
    for day in ("2026-12-11", "2026-12-12", "2026-12-13"):
        assert "craft-fair" in [slug for slug, _ in cells[day]]
    assert [d for d, links in cells.items() if ("art-show", "Student Art Show") in links] == [
        f"2026-12-0{n}" for n in range(1, 6)
    ]
    assert cells["2026-12-29"] == []
    assert [slug for slug, _ in cells["2026-12-22"]] == ["storytime"]
    assert [slug for slug, _ in month_cells(site, "events/2027/01/index.html")["2027-01-06"]] == [
        "storytime"
    ]


def test_months_link_the_previous_and_next_month(site):
    def nav(path: str) -> tuple[str | None, str | None]:
        soup = site.html(path)
        prev, following = soup.select_one("a[rel='prev']"), soup.select_one("a[rel='next']")
        return (prev and prev["href"], following and following["href"])

    # From the book sale in November to the last book club in May.
    assert nav("events/2026/11/index.html") == (None, "/events/2026/12/")
    assert nav("events/2026/12/index.html") == ("/events/2026/11/", "/events/2027/01/")
    assert nav("events/2027/05/index.html") == ("/events/2027/04/", None)
    assert not site.exists("events/2027/06/index.html")
    listing_links = [a["href"] for a in site.html("events/index.html").select("main a")]
    assert "/events/2026/12/" in listing_links  # this month, from the listing


def test_a_month_after_the_spring_change_keeps_the_storytime_time(site):
    cells = month_cells(site, "events/2027/03/index.html")
    march = [d for d, links in cells.items() if any(s == "storytime" for s, _ in links)]
    assert march == ["2027-03-02", "2027-03-09", "2027-03-16", "2027-03-23", "2027-03-30"]


# --- one page per event -----------------------------------------------------------------------

BANNERS = {
    "knitting": ["Cancelled", "will not take place", "Our host is unwell."],
    "game-night": ["Postponed", "A new date will be announced"],
    "author-talk": ["Rescheduled", "Thursday, December 3, 2026, 7 p.m."],
    "tech-help": ["Moved online", "now takes place online"],
}


@pytest.mark.parametrize("slug", STATUS_OF)
def test_an_event_page_has_a_banner_only_when_its_status_changed(site, slug):
    soup = site.html(f"events/{slug}/index.html")
    banners = soup.select("main .status-banner")
    if slug not in BANNERS:
        assert banners == []
        return
    (banner,) = banners
    for phrase in BANNERS[slug]:
        assert phrase in text(banner)


def test_an_event_page_says_when_and_where(site):
    soup = site.html("events/craft-fair/index.html")
    assert text(soup.select_one("main h1")) == "Winter Craft Fair"
    when = soup.select_one("main header time")
    assert text(when) == "Friday, December 11, 2026 to Sunday, December 13, 2026"
    facts = text(soup.select_one("main dl"))
    assert "Eastside Branch" in facts and "1415 Prairie Avenue East" in facts
    assert "$5 per table" in facts
    assert "Required." in facts
    register = soup.select_one("main dl a[href='https://library.example.org/register/craft-fair']")
    assert register is not None


def test_an_event_in_another_zone_names_it_on_its_page(site):
    when = text(site.html("events/author-talk/index.html").select_one("main header time"))
    assert when == "Thursday, December 10, 2026, 7 p.m. – 8 p.m. (EST, New York time)"
    local = text(site.html("events/history-lecture/index.html").select_one("main header time"))
    assert local == "Thursday, December 17, 2026, 7 p.m. – 8:30 p.m."


def series_dates(soup: BeautifulSoup) -> list[tuple[str, str]]:
    items = soup.select("main section[aria-labelledby='next-dates'] li")
    return [(item.select_one("time")["datetime"], text(item)) for item in items]


def test_a_series_page_lists_its_next_dates_with_changes(site):
    dates = series_dates(site.html("events/storytime/index.html"))
    assert len(dates) == 12
    assert [when for when, _ in dates[:6]] == [
        "2026-12-01T10:30:00-06:00",
        "2026-12-08T10:30:00-06:00",
        "2026-12-15T10:30:00-06:00",
        "2026-12-22T10:30:00-06:00",
        "2027-01-06T10:30:00-06:00",
        "2027-01-12T10:30:00-06:00",
    ]
    assert "Cancelled" in dates[3][1] and "Staff training" in dates[3][1]
    assert "moved" in dates[4][1] and "Heron Room" in dates[4][1]
    assert all("10:30 a.m. – 11:15 a.m." in line for _, line in dates)


def test_a_series_whose_next_date_is_cancelled_is_not_shown_as_cancelled(tmp_path):
    built = build_event_site(tmp_path, now=datetime.fromisoformat("2026-12-16T12:00:00-06:00"))
    soup = built.html("events/storytime/index.html")
    assert soup.select("main .status-banner") == []
    # The page leads with the next date that takes place; the list still marks December 22.
    assert soup.select_one("main header time")["datetime"] == "2027-01-06T10:30:00-06:00"
    assert "Cancelled" in series_dates(soup)[0][1]
    assert event_data(soup)["eventStatus"] == "https://schema.org/EventScheduled"


def test_a_series_after_its_last_date_says_so(tmp_path):
    built = build_event_site(tmp_path, now=datetime.fromisoformat("2027-05-01T12:00:00-05:00"))
    soup = built.html("events/storytime/index.html")
    assert series_dates(soup) == []
    assert "no more dates" in text(soup.select_one("main section[aria-labelledby='next-dates']"))


# --- calendar links ---------------------------------------------------------------------------


def calendar_links(site: BuiltSite, slug: str) -> dict[str, str]:
    links = site.html(f"events/{slug}/index.html").select(
        "main section[aria-labelledby='add-to-calendar'] a"
    )
    found = {}
    for link in links:
        host = urlsplit(link["href"]).hostname or "site"
        found[host] = link["href"]
    return found


def query(url: str) -> dict[str, str]:
    return {key: value for key, (value,) in parse_qs(urlsplit(url).query).items()}


def test_add_to_calendar_links_for_a_series(site):
    links = calendar_links(site, "storytime")
    assert links["site"] == "/events/storytime/event.ics"
    assert site.exists("events/storytime/event.ics")
    google = query(links["calendar.google.com"])
    assert google["action"] == "TEMPLATE"
    assert google["text"] == "Preschool Storytime"
    assert google["dates"] == "20261201T163000Z/20261201T171500Z"
    assert google["ctz"] == "America/Chicago"
    # The whole series, with UNTIL in UTC as RFC 5545 asks for timed events.
    assert google["recur"] == "RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20270414T045959Z"
    assert "Children's Room" in google["location"] and "300 West Mill Street" in google["location"]
    outlook = query(links["outlook.live.com"])
    assert (outlook["startdt"], outlook["enddt"]) == (
        "2026-12-01T10:30:00-06:00",
        "2026-12-01T11:15:00-06:00",
    )
    assert outlook["subject"] == "Preschool Storytime"


def test_add_to_calendar_links_for_an_all_day_and_an_online_event(site):
    fair = query(calendar_links(site, "craft-fair")["calendar.google.com"])
    assert fair["dates"] == "20261211/20261214"  # the end date is exclusive
    outlook = query(calendar_links(site, "craft-fair")["outlook.live.com"])
    assert (outlook["allday"], outlook["startdt"], outlook["enddt"]) == (
        "true",
        "2026-12-11",
        "2026-12-14",
    )
    talk = query(calendar_links(site, "author-talk")["calendar.google.com"])
    assert talk["dates"] == "20261211T000000Z/20261211T010000Z"
    assert talk["ctz"] == "America/New_York"
    assert talk["location"] == "https://stream.example.org/ana-diaz"
    moved = query(calendar_links(site, "tech-help")["calendar.google.com"])
    assert moved["location"] == "https://meet.example.org/tech-help"


# --- the home page ----------------------------------------------------------------------------


def test_the_home_page_shows_the_next_few_events(site):
    soup = site.html("index.html")
    section = soup.select_one("main section[aria-labelledby='upcoming-events']")
    cards = section.select("article")
    # events: home_count: 4 in site.yaml
    assert [slug_of(card) for card in cards] == ["art-show", "storytime", "book-club", "storytime"]
    assert section.select_one("a[href='/events/']") is not None


# --- schema.org Event data --------------------------------------------------------------------

MODES = {
    "author-talk": "Online",
    "tech-help": "Online",
    "history-lecture": "Mixed",
}


@pytest.mark.parametrize("slug", STATUS_OF)
def test_every_event_page_has_event_data_with_the_required_fields(site, slug):
    data = event_data(site.html(f"events/{slug}/index.html"))
    assert data["@context"] == "https://schema.org"
    assert data["url"] == f"{BASE}events/{slug}/"
    assert data["name"] and data["startDate"] and data["endDate"] and data["description"]
    status = {"moved-online": "MovedOnline"}.get(STATUS_OF[slug], STATUS_OF[slug].title())
    assert data["eventStatus"] == f"https://schema.org/Event{status}"
    mode = MODES.get(slug, "Offline")
    assert data["eventAttendanceMode"] == f"https://schema.org/{mode}EventAttendanceMode"
    assert data["organizer"] == {"@type": "Library", "name": "Test Library", "url": BASE}
    assert data["offers"]["@type"] == "Offer" and data["offers"]["url"].startswith("https://")
    kinds = [place["@type"] for place in data["location"]]
    expected = {"Online": ["VirtualLocation"], "Mixed": ["Place", "VirtualLocation"]}
    assert kinds == expected.get(mode, ["Place"])
    assert ("previousStartDate" in data) is (STATUS_OF[slug] == "rescheduled")


def test_event_data_for_a_place_has_its_postal_address(site):
    data = event_data(site.html("events/storytime/index.html"))
    (place,) = data["location"]
    assert place["name"] == "Central Library, Children's Room"
    assert place["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "300 West Mill Street",
        "addressLocality": "Riverbend",
        "addressRegion": "MN",
        "postalCode": "55988",
        "addressCountry": "US",
    }
    assert (data["startDate"], data["endDate"]) == (
        "2026-12-01T10:30:00-06:00",
        "2026-12-01T11:15:00-06:00",
    )


def test_event_data_for_online_and_rescheduled_events(site):
    data = event_data(site.html("events/author-talk/index.html"))
    assert data["location"] == [
        {"@type": "VirtualLocation", "url": "https://stream.example.org/ana-diaz"}
    ]
    assert data["previousStartDate"] == "2026-12-03T19:00:00-05:00"
    assert data["startDate"] == "2026-12-10T19:00:00-05:00"
    assert data["name"] == "Author Talk: Ana Díaz, «Rivers»; Q&A"
    moved = event_data(site.html("events/tech-help/index.html"))
    assert moved["location"] == [
        {"@type": "VirtualLocation", "url": "https://meet.example.org/tech-help"}
    ]


def test_event_data_offers_free_and_paid(site):
    free = event_data(site.html("events/storytime/index.html"))["offers"]
    assert (free["price"], free["priceCurrency"]) == (0, "USD")
    paid = event_data(site.html("events/craft-fair/index.html"))
    assert paid["offers"]["price"] == "5" and paid["offers"]["priceCurrency"] == "USD"
    assert paid["offers"]["description"] == "$5 per table"
    assert paid["offers"]["url"] == "https://library.example.org/register/craft-fair"
    # An all-day event gives dates; the end is the last day, as staff wrote it.
    assert (paid["startDate"], paid["endDate"]) == ("2026-12-11", "2026-12-13")


def test_event_data_is_safe_inside_the_script_element(make_site):
    built = make_site(
        "-- content/events/x.md --\n---\n"
        'title: "</script><script>alert(1)</script>"\nstart: 2026-12-10 10:00\n---\nHi.\n'
    )
    assert built.problems == []
    soup = built.html("events/x/index.html")
    assert event_data(soup)["name"] == "</script><script>alert(1)</script>"
    assert soup.select("script:not([type])") == []


def test_no_event_pages_without_events(make_site):
    built = make_site("-- content/pages/about.md --\n---\ntitle: About\n---\nHi.\n")
    assert built.problems == []
    assert not built.exists("events/index.html")
    assert not built.exists("events.ics")
