"""Parsing feed documents in memory: each format, and every response that must be refused
before or after parsing (entity bombs, external entities, HTML pages, broken encodings).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sitegen.fetch.parse import decode_xml, parse_feed
from sitegen.fetch.raw import FeedError, ParsedFeed

FIXTURES = Path(__file__).parent.parent / "fixtures" / "feeds"
BASE = "https://feeds.example.org"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes().replace(b"{BASE}", BASE.encode())


def parse(name: str, content_type: str = "application/xml") -> ParsedFeed:
    return parse_feed(fixture(name), content_type, f"{BASE}/{name}")


def refusal(body: bytes, content_type: str = "application/xml") -> str:
    with pytest.raises(FeedError) as caught:
        parse_feed(body, content_type, f"{BASE}/feed")
    return str(caught.value)


def test_rss_2() -> None:
    feed = parse("rss2.xml")
    assert feed.format == "rss20"
    first, second, third = feed.entries
    assert first.link == f"{BASE}/@riverbendlibrary/113200000000000001"
    assert first.id == first.link
    assert first.title == ""  # a Mastodon post has no title; clean.py makes one
    assert "Storytime moved outside" in first.summary_html
    assert first.published == datetime(2026, 11, 24, 16, 5, tzinfo=UTC)
    assert first.image == f"{BASE}/images/ducks.png"
    assert first.image_alt.startswith("Children on blankets by the river")
    assert first.tags == ("riverbendreads",)
    assert third.title == "Holiday hours at both branches"
    assert third.id == "riverbend-holiday-hours-2026"
    assert second.image == ""


def test_rss_1() -> None:
    feed = parse("rss1.xml")
    assert feed.format == "rss10"
    first = feed.entries[0]
    assert first.title == "Mill Street photographs, 1908–1931, now online"
    assert first.author == "Marguerite Olson"
    assert first.updated == datetime(2026, 11, 18, 20, 0, tzinfo=UTC)  # dc:date
    assert "library&#8217;s" in first.summary_html or "library’s" in first.summary_html


def test_atom_with_xml_base() -> None:
    feed = parse("atom.xml")
    assert feed.format == "atom10"
    cafe, levy = feed.entries
    assert cafe.link == f"{BASE}/blog/2026/11/repair-cafe"
    assert cafe.base == f"{BASE}/blog/"
    assert cafe.title == "Teens build a <em>free</em> repair café at the library"
    assert cafe.author == "Ana Reyes"
    assert cafe.author_url == f"{BASE}/staff/ana-reyes"
    assert cafe.published == datetime(2026, 11, 21, 17, 0, tzinfo=UTC)
    assert 'href="2026/11/teen-tech"' in cafe.summary_html  # resolved later, by the cleaner
    assert levy.link == f"{BASE}/archive/levy-results"  # the entry's own xml:base
    assert levy.title == "Riverbend votes yes on the library levy"
    assert "<strong>Sunday hours</strong>" in levy.content_html


def test_json_feed_1_0() -> None:
    feed = parse("jsonfeed1.json", "application/feed+json")
    assert feed.format == "json1"
    story, skating = feed.entries
    assert story.id == "4411"  # JSON Feed 1.0 allowed numbers
    assert story.author == "Riverbend Parks"  # the feed's author
    assert story.published == datetime(2026, 11, 19, 16, 0, tzinfo=UTC)
    assert skating.author == "Sam Whitcomb"
    assert skating.content_html == (
        "Watch this space: the rink behind Central opens after a week below freezing."
    )


def test_json_feed_1_1() -> None:
    feed = parse("jsonfeed11.json", "application/json")
    assert feed.format == "json1.1"
    pick, notes = feed.entries
    assert pick.author == "Dana Whitfield"
    assert pick.author_url == f"{BASE}/bookclub/dana"
    assert pick.image == f"{BASE}/images/snow.png"
    assert pick.summary_html == "We meet at the Eastside Branch on December 14."
    assert pick.tags == ("books", "bookclub")
    assert notes.title == ""
    assert notes.author == "Riverbend Reads"


def test_json_is_recognised_without_a_json_content_type() -> None:
    assert parse("jsonfeed11.json", "text/plain").format == "json1.1"


def test_utf16_with_a_byte_order_mark() -> None:
    text = fixture("rss1.xml").decode("utf-8").replace('encoding="utf-8"', 'encoding="utf-16"')
    feed = parse_feed(b"\xff\xfe" + text.encode("utf-16-le"), "text/xml", BASE)
    assert feed.entries[0].title == "Mill Street photographs, 1908–1931, now online"


def test_a_legacy_encoding_named_in_the_declaration() -> None:
    body = (
        '<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><title>T'
        "</title><item><title>Café “quoted”</title><link>https://a.example/1</link>"
        "</item></channel></rss>"
    ).encode("cp1252")
    assert parse_feed(body, "text/xml", BASE).entries[0].title == "Café “quoted”"


def test_utf8_mislabelled_as_another_encoding_is_read_with_a_warning() -> None:
    body = '<?xml version="1.0" encoding="ascii"?><rss version="2.0"><channel><title>Café</title>'
    body += "<item><title>Café</title><link>https://a.example/1</link></item></channel></rss>"
    feed = parse_feed(body.encode("utf-8"), "text/xml", BASE)
    assert feed.entries[0].title == "Café"
    assert feed.warnings == ("the feed says it is ascii but is UTF-8; read as UTF-8",)


def test_the_server_charset_counts_when_the_document_names_none() -> None:
    body = '<rss version="2.0"><channel><item><title>Ålesund</title><link>https://a.example/1'
    body += "</link></item></channel></rss>"
    feed = parse_feed(body.encode("iso-8859-1"), "application/rss+xml; charset=ISO-8859-1", BASE)
    assert feed.entries[0].title == "Ålesund"


# --- refused before parsing ---


ENTITY_REFUSAL = "declares its own entities"


@pytest.mark.parametrize("name", ["billion-laughs.xml", "xxe-file.xml", "xxe-url.xml"])
def test_entity_declarations_are_refused(name: str) -> None:
    message = refusal(fixture(name))
    assert ENTITY_REFUSAL in message


def test_a_quadratic_blowup_is_refused_at_once() -> None:
    # One 100 KB entity used 2,000 times: feedparser 6.0.14 alone expands it to 200 million
    # characters (measured: 16 s, 625 MB). Refused before any parser sees it.
    entity = "x" * 100_000
    body = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "{entity}">\n]>\n<rss version="2.0">'
        f"<channel><title>t</title><item><title>t</title><description>{'&a;' * 2000}"
        "</description></item></channel></rss>"
    ).encode()
    started = time.perf_counter()
    assert ENTITY_REFUSAL in refusal(body)
    assert time.perf_counter() - started < 0.05


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE rss [<!ATTLIST rss version CDATA "2.0">]>',
        "<!doctype rss [ ]>",
        "<!-- a <a comment> first --><!DOCTYPE rss [<!ENTITY e 'x'>]>",
    ],
)
def test_every_internal_subset_is_refused(prolog: str) -> None:
    body = f'<?xml version="1.0"?>{prolog}<rss version="2.0"><channel/></rss>'.encode()
    assert ENTITY_REFUSAL in refusal(body)


def test_entities_in_utf16_are_refused_too() -> None:
    text = fixture("xxe-file.xml").decode("utf-8")
    assert ENTITY_REFUSAL in refusal(b"\xfe\xff" + text.encode("utf-16-be"))


def test_the_standard_entities_stay_unlimited() -> None:
    # A legitimate feed full of &amp; and character references is no bomb.
    description = "Fish &amp;amp; chips &#8212; &lt;b&gt; " * 20_000
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>t'
        f"</title><link>https://a.example/1</link><description>{description}</description>"
        "</item></channel></rss>"
    ).encode()
    started = time.perf_counter()
    feed = parse_feed(body, "application/xml", BASE)
    assert feed.entries[0].summary_html.startswith("Fish &amp; chips")
    assert time.perf_counter() - started < 5


def test_an_old_netscape_doctype_without_entities_is_accepted() -> None:
    feed = parse("external-dtd.xml")
    assert feed.entries[0].title == "Still here"


# --- broken and non-feed responses ---


@pytest.mark.parametrize(
    ("body", "content_type", "words"),
    [
        (b"", "application/xml", "the response was empty"),
        (b"  \n\t ", "application/xml", "the response was empty"),
        (b"\xef\xbb\xbf", "application/xml", "the response was empty"),
        (
            (FIXTURES / "page.html").read_bytes(),
            "text/html",
            "the address gives a web page, not a feed",
        ),
        (b"Service temporarily unavailable", "text/plain", "not an RSS, Atom or JSON feed"),
        (
            b'<?xml version="1.0"?><catalog><book>Dune</book></catalog>',
            "application/xml",
            "not an RSS, Atom or JSON feed",
        ),
        (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Caf\xe9'
            "</title></channel></rss>".encode("latin-1"),
            "application/xml",
            "the feed is not readable text in utf-8",
        ),
        (
            b'<?xml version="1.0" encoding="x-klingon"?><rss version="2.0"/>',
            "application/xml",
            "an encoding sitegen does not know (x-klingon)",
        ),
        (
            b'<?xml version="1.0" encoding="unicode_escape"?><rss version="2.0"/>',
            "application/xml",
            "an encoding sitegen does not know (unicode_escape)",
        ),
        (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>&#xD800;</title>'
            b"</channel></rss>",
            "application/xml",
            "the feed could not be read (UnicodeEncodeError)",
        ),
        (
            b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
            "application/json",
            "not valid JSON",
        ),
        (b'{"title": "not a feed"}', "application/json", "not a JSON feed"),
        (b"[1, 2, 3]", "application/json", "not a JSON feed"),
        (b'{"version": "https://jsonfeed.org/version/1"}', "application/json", 'no "items" list'),
        (b'{"a": ' * 50_000 + b"1" + b"}" * 50_000, "application/json", "nested too deeply"),
        (b'{"version": "\xff"}', "application/json", "not UTF-8 text"),
    ],
)
def test_broken_responses_are_refused(body: bytes, content_type: str, words: str) -> None:
    assert words in refusal(body, content_type)


def test_a_truncated_feed_is_refused_not_half_read() -> None:
    # feedparser alone would return the entries before the cut (and a flag); a cut-off feed
    # must not replace a source's last good entries.
    body = fixture("rss2.xml")
    message = refusal(body[: len(body) // 2])
    assert "not well-formed XML" in message
    assert "cut off" in message


def test_decode_prefers_the_byte_order_mark() -> None:
    text, warnings = decode_xml(b"\xef\xbb\xbf<rss/>", "text/xml; charset=iso-8859-1")
    assert (text, warnings) == ("<rss/>", [])
