"""Reading the HTML of content for the checks: links with their text, images with their alt,
headings, ids; and where a link leads within the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit


@dataclass
class Link:
    href: str
    text: str = ""
    label: bool = False


@dataclass
class Parsed:
    links: list[Link] = field(default_factory=list)
    images: list[tuple[str, str | None]] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _Reader(HTMLParser):
    """Links (with their text), images (with their alt), headings and ids of an HTML text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = Parsed()
        self._link: Link | None = None
        self._heading: tuple[int, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.found.ids.add(values["id"] or "")
        if tag == "a" and values.get("href") is not None:
            self._link = Link(values["href"] or "", label=bool(values.get("aria-label")))
            self.found.links.append(self._link)
        elif tag == "img":
            self.found.images.append((values.get("src") or "", values.get("alt")))
            if self._link is not None and (values.get("alt") or "").strip():
                self._link.label = True
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = (int(tag[1]), [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._link = None
        elif re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            level, words = self._heading
            self.found.headings.append((level, " ".join("".join(words).split())))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link.text += data
        if self._heading is not None:
            self._heading[1].append(data)


def parse_html(html: str) -> Parsed:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.found


def site_path(href: str, page_url: str, site_url: str) -> tuple[str, str] | None:
    """(path, fragment) of a link within the site, or None for another site, mailto: etc."""
    href = href.strip()
    if href.startswith(site_url):
        href = "/" + href[len(site_url) :]
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("//"):
        return None
    path = unquote(parts.path)
    if not path:
        path = page_url
    elif not path.startswith("/"):
        path = urljoin(page_url, path)
    return path, parts.fragment
