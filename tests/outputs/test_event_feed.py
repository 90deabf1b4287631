"""The RSS feed of upcoming events (/events/feed.xml): one item per date, soonest first.

Parsed strictly with lxml and leniently with feedparser, as feed readers do.
"""

from __future__ import annotations

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import BuiltSite
from event_site import BASE, build_event_site
from lxml import etree

ATOM_LINK = "{http://www.w3.org/2005/Atom}link"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> BuiltSite:
    built = build_event_site(tmp_path_factory.mktemp("feed"))
    assert built.problems == []
    return built


def items(site: BuiltSite) -> list[etree._Element]:
    root = etree.fromstring(site.file("events/feed.xml").read_bytes())
    return root.findall("channel/item")


def item_titled(site: BuiltSite, start: str) -> etree._Element:
    (found,) = [item for item in items(site) if item.findtext("title").startswith(start)]
    return found


def test_the_channel_has_the_required_elements(site):
    root = etree.fromstring(site.file("events/feed.xml").read_bytes())
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") == "Test Library: upcoming events"
    assert channel.findtext("link") == BASE + "events/"
    assert channel.findtext("description")
    assert channel.find(ATOM_LINK).get("href") == BASE + "events/feed.xml"
    assert channel.find(ATOM_LINK).get("rel") == "self"


def test_one_item_per_upcoming_date_soonest_first(site):
    upcoming = site.result.site.events.upcoming
    titles = [item.findtext("title") for item in items(site)]
    assert len(titles) == min(len(upcoming), 50)
    assert titles[:3] == [
        "Student Art Show (Saturday, November 28, 2026 to Saturday, December 5, 2026)",
        "Preschool Storytime (Tuesday, December 1, 2026, 10:30 a.m. – 11:15 a.m.)",
        "First Monday Book Club (Monday, December 7, 2026, 6:30 p.m. – 7:30 p.m.)",
    ]
    assert not any(title.startswith("November Book Sale") for title in titles)


def test_each_item_links_the_event_page_with_a_unique_guid(site):
    guids = []
    for item in items(site):
        slug = item.findtext("link").removeprefix(BASE + "events/").strip("/")
        assert item.findtext("link") == f"{BASE}events/{slug}/"
        assert site.exists(f"events/{slug}/index.html")
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "false"
        guids.append(guid.text)
    assert len(set(guids)) == len(guids)


def test_a_status_shows_in_the_title_and_the_text(site):
    knitting = item_titled(site, "Cancelled: Knitting Circle")
    assert knitting.findtext("title") == (
        "Cancelled: Knitting Circle (Tuesday, December 15, 2026, 2 p.m. – 3:30 p.m.)"
    )
    text = " ".join(
        BeautifulSoup(knitting.findtext("description"), "html.parser").get_text(" ").split()
    )
    assert "Cancelled. Our host is unwell." in text
    skipped = item_titled(site, "Cancelled: Preschool Storytime (Tuesday, December 22")
    assert "Staff training" in skipped.findtext("description")
    talk = item_titled(site, "Rescheduled: Author Talk")
    assert "(EST, New York time)" in talk.findtext("title")
    for label in ("Postponed: Teen Game Night", "Moved online: Tech Help Drop-in"):
        item_titled(site, label)


def test_feedparser_reads_the_feed_cleanly(site):
    parsed = feedparser.parse(site.file("events/feed.xml").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert len(parsed.entries) == len(items(site))
    assert parsed.entries[0].link == BASE + "events/art-show/"
    (talk,) = [e for e in parsed.entries if e.title.startswith("Rescheduled")]
    assert "«Rivers»; Q&A" in talk.title
    assert [tag.term for tag in parsed.entries[1].tags] == ["Storytime"]


def test_the_feed_holds_at_most_fifty_dates(make_site):
    built = make_site(
        "-- content/events/daily.md --\n---\ntitle: Daily Reading Hour\n"
        "start: 2026-12-01 16:00\nrepeat: FREQ=DAILY\n---\nRead with us.\n"
    )
    assert built.problems == []
    assert len(items(built)) == 50
    assert feedparser.parse(built.file("events/feed.xml").read_bytes()).bozo == 0
