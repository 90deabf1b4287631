"""The hostile-feed corpus (tests/fixtures/feeds/hostile-*): fetched from a real server, every
entry published without review, then built. No page, feed or file of the site may hold an
executable script or a javascript: address, as a parser (not a substring search) sees it.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import NOW
from feed_server import FeedServer, highlight_files, hostile_site
from lxml import etree

from sitegen.build import build_site
from sitegen.untrusted import image_kind

EXECUTABLE_TAGS = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "base",
    "svg",
    "math",
    "style",
    "template",
    "noscript",
    "input",
    "button",
    "textarea",
    "select",
    "video",
    "audio",
    "portal",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "srcset",
    "ping",
    "manifest",
    "codebase",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:", "file:")


def scheme_of(url: str) -> str:
    compact = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(url)).lower()
    return compact


def html_findings(markup: str, where: str) -> list[str]:
    """Everything in an HTML document or fragment that could run code, by two parsers."""
    found = []
    for parser in ("html.parser", "lxml"):
        soup = BeautifulSoup(markup, parser)
        for element in soup.find_all(True):
            name = element.name.lower()
            if name == "script" and element.get("type") == "application/ld+json":
                json.loads(element.string or "null")  # data, and valid JSON
                continue
            if name == "link" and set(element.get("rel", [])) & {"import", "prefetch"}:
                found.append(f"{where}: <link rel={element.get('rel')}>")
            if name == "meta" and element.get("http-equiv", "").lower() == "refresh":
                found.append(f"{where}: <meta http-equiv=refresh>")
            if name in EXECUTABLE_TAGS:
                found.append(f"{where}: <{name}> ({parser})")
            for attribute, value in element.attrs.items():
                attribute = attribute.lower()
                text = " ".join(value) if isinstance(value, list) else str(value)
                if attribute.startswith("on") or attribute in ("style", "srcdoc"):
                    found.append(f"{where}: {attribute}= on <{name}> ({parser})")
                elif attribute in URL_ATTRIBUTES and scheme_of(text).startswith(BAD_SCHEMES):
                    found.append(f"{where}: {attribute}={text[:40]!r} on <{name}> ({parser})")
    return found


def xml_findings(data: bytes, where: str) -> list[str]:
    """Feeds and the sitemap: links must be web links, and any escaped HTML they carry is
    checked as HTML, as a feed reader would render it."""
    found = []
    tree = etree.fromstring(data)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute, value in element.attrib.items():
            if scheme_of(value).startswith(BAD_SCHEMES):
                found.append(f"{where}: {attribute}={value[:40]!r}")
        text = element.text or ""
        if scheme_of(text).startswith(BAD_SCHEMES):
            found.append(f"{where}: <{etree.QName(element).localname}>{text[:40]!r}")
        if "<" in text:
            found.extend(html_findings(text, f"{where} <{etree.QName(element).localname}>"))
    return found


def svg_findings(data: bytes, where: str) -> list[str]:
    """An SVG (the theme's icons) must be a picture only: no scripts, handlers or links out."""
    found = []
    for element in etree.fromstring(data).iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname.lower()
        if name in ("script", "foreignobject", "iframe", "handler"):
            found.append(f"{where}: <{name}>")
        for attribute, value in element.attrib.items():
            local = etree.QName(attribute).localname.lower()
            if local.startswith("on") or scheme_of(value).startswith(BAD_SCHEMES):
                found.append(f"{where}: {local}= on <{name}>")
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    root = tmp_path_factory.mktemp("hostile") / "site"
    with FeedServer() as server:
        hostile_site(root, server)
    result = build_site(root, now=NOW)
    assert result.written, [p.format() for p in result.problems]
    assert result.output_dir is not None
    yield root, result.output_dir


def test_the_corpus_reached_the_site(site: tuple[Path, Path]) -> None:
    root, out = site
    files = highlight_files(root)
    assert len(files) >= 15
    listings = "".join(p.read_text("utf-8") for p in (out / "highlights").rglob("index.html"))
    assert "Links that are not links" in listings


def test_no_page_feed_or_file_can_run_a_script(site: tuple[Path, Path]) -> None:
    _, out = site
    findings: list[str] = []
    checked = 0
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        where = path.relative_to(out).as_posix()
        data = path.read_bytes()
        checked += 1
        if path.suffix == ".html":
            findings.extend(html_findings(data.decode("utf-8"), where))
        elif path.suffix == ".xml":
            findings.extend(xml_findings(data, where))
        elif path.suffix in (".png", ".jpg", ".gif", ".webp"):
            if image_kind(data) is None:
                findings.append(f"{where}: not a real image")
        elif path.suffix == ".svg":
            findings.extend(svg_findings(data, where))
        elif path.suffix in (".js", ".htm", ".xhtml", ".swf"):
            findings.append(f"{where}: a file type that can hold scripts")
        else:
            text = re.sub(r"[\x00-\x20]", "", data.decode("utf-8", "replace")).lower()
            if "javascript:" in text or "<script" in text:
                findings.append(f"{where}: javascript: or <script in a {path.suffix} file")
    assert checked > 20
    assert findings == []


def test_links_and_text_survive_as_safe_text(site: tuple[Path, Path]) -> None:
    _, out = site
    pages = [
        BeautifulSoup(p.read_text("utf-8"), "html.parser")
        for p in sorted((out / "highlights").rglob("index.html"))
    ]
    cards = [card for page in pages for card in page.select("main .highlight-card")]
    titles = {card.select_one("h2").get_text() for card in cards}
    assert "Plain title" in titles  # the <script> in the title is gone, the words stay
    assert "JSON title" in titles
    links = [a.get("href") for card in cards for a in card.select("a")]
    assert all(
        href is None or href.startswith(("http://", "https://", "/highlights/")) for href in links
    )
    assert all(
        a.get("rel") == ["nofollow", "noopener", "ugc"]
        for card in cards
        for a in card.select(".highlight-text a, h2 a")
    )


def test_no_picture_from_the_corpus_is_published(site: tuple[Path, Path]) -> None:
    root, out = site
    stored = sorted((root / "content" / "highlights" / "images").iterdir())
    assert [image_kind(p.read_bytes()) for p in stored] == ["png"]  # only the real PNG
    published = sorted((out / "highlights" / "images").iterdir())
    assert [p.name for p in published] == [p.name for p in stored]


def test_entries_without_a_web_link_are_left_out(site: tuple[Path, Path]) -> None:
    root, _ = site
    urls = [
        line.split(":", 1)[1].strip().strip('"')
        for text in highlight_files(root).values()
        for line in text.splitlines()
        if line.startswith("url:")
    ]
    assert urls and all(url.startswith("http://127.0.0.1:") for url in urls)


def test_future_dates_were_clamped(site: tuple[Path, Path]) -> None:
    root, _ = site
    future = next(t for p, t in highlight_files(root).items() if "from-the-future" in p)
    assert "date: 2026-12-01 09:00" in future


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href=" JAVASCRIPT:alert(1)">x</a>',
        '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
        "<svg><animate onbegin=alert(1)></svg>",
        '<p style="background:url(x)">x</p>',
        '<form><button formaction="javascript:alert(1)">x</button></form>',
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        '<a href="data:text/html,x">x</a>',
    ],
)
def test_the_checker_sees_what_it_must(markup: str) -> None:
    # The oracle itself: each known-bad snippet is found, so a clean result means something.
    assert html_findings(f"<p>{markup}</p>", "snippet") != []


def test_the_checker_reads_html_inside_feeds() -> None:
    feed = (
        b"<rss><channel><item><link>javascript:alert(1)</link><description>&lt;img src=x "
        b"onerror=alert(1)&gt;</description></item></channel></rss>"
    )
    assert len(xml_findings(feed, "feed")) >= 2
