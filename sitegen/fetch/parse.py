"""Feed documents → RawEntry values: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed
through jsonfeed.py. Nothing here is cleaned yet (clean.py does that); this module decides
whether a response is a feed at all.

Refused before any parser sees them: documents declaring entities or an internal DTD subset
(entity-expansion bombs, external entities), text that is not in the encoding it claims,
empty bodies. Not a feed afterwards: HTML pages, XML that is not well-formed (a cut-off
download). A refused response never replaces a source's last good entries.
"""

from __future__ import annotations

import calendar
import codecs
import io
import re
import time
import xml.sax
from datetime import UTC, datetime
from typing import Any

import feedparser

from sitegen.fetch.jsonfeed import parse_json_feed
from sitegen.fetch.raw import MAX_ENTRIES_READ, FeedError, ParsedFeed, RawEntry

_XML_DECLARATION = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_XML_DECLARATION_TEXT = re.compile(r"^\s*<\?xml[^>]*\?>")
_ENTITY = re.compile(r"<!ENTITY", re.IGNORECASE)
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
_HTML_PAGE = re.compile(r"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
_NOT_CHARSETS = frozenset(
    {"unicode-escape", "raw-unicode-escape", "punycode", "idna", "utf-7", "undefined"}
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def parse_feed(body: bytes, content_type: str, url: str) -> ParsedFeed:
    """The feed in `body` (fetched from `url`); FeedError if it is not a usable feed."""
    if not body.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise FeedError("the response was empty")
    if _looks_like_json(body, content_type):
        return parse_json_feed(body, url)
    text, warnings = decode_xml(body, content_type)
    refuse_entities(text)
    return _parse_xml(text, url, warnings)


def _looks_like_json(body: bytes, content_type: str) -> bool:
    kind = content_type.split(";")[0].strip().lower()
    if kind.endswith("json"):
        return True
    return body.lstrip(b" \t\r\n\xef\xbb\xbf")[:1] == b"{"


def decode_xml(body: bytes, content_type: str) -> tuple[str, list[str]]:
    """The document as text: by its byte-order mark, else its XML declaration, else the HTTP
    charset, else UTF-8. Text that is not in the encoding it names is refused, unless it is
    valid UTF-8 (a common mislabelling), which is read as UTF-8 with a warning.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return _decode(body[len(bom) :], name, "its byte-order mark"), []
    if body.startswith((b"<\x00?\x00", b"<\x00\x00\x00")):
        name = "utf-16-le" if body[2:3] == b"?" else "utf-32-le"
        return _decode(body, name, "its first bytes"), []
    if body.startswith((b"\x00<\x00?", b"\x00\x00\x00<")):
        name = "utf-16-be" if body[3:4] == b"?" else "utf-32-be"
        return _decode(body, name, "its first bytes"), []
    declared = _XML_DECLARATION.match(body.lstrip())
    header = _CHARSET.search(content_type)
    name, said_by = "utf-8", "default"
    if declared:
        name, said_by = declared.group(1).decode("ascii"), "its XML declaration"
    elif header:
        name, said_by = header.group(1), "the server"
    if not _is_charset(name):
        raise FeedError(f"the feed is in an encoding sitegen does not know ({name[:30]})")
    try:
        return _decode(body, name, said_by), []
    except FeedError:
        if name.replace("_", "-").lower() in ("utf-8", "utf8"):
            raise
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise FeedError(f"the feed is not in the encoding {said_by} names ({name})") from None
        return text, [f"the feed says it is {name} but is UTF-8; read as UTF-8"]


def _is_charset(name: str) -> bool:
    """Whether `name` is a character set, not one of Python's codecs that merely look like one
    ("unicode_escape" would turn the text \\x3c into "<")."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return False
    return info._is_text_encoding and info.name not in _NOT_CHARSETS


def _decode(data: bytes, name: str, said_by: str) -> str:
    try:
        return data.decode(name)
    except UnicodeDecodeError as exc:
        raise FeedError(
            f"the feed is not readable text in {name}, the encoding {said_by} names "
            f"(byte {exc.start})"
        ) from None


def refuse_entities(text: str) -> None:
    """FeedError for a document that declares entities or a DTD internal subset.

    Entity declarations are how "billion laughs", quadratic blow-up and external-entity
    (file and URL reading) attacks work; no real feed needs them. The standard entities
    (&amp; &lt; ...) and character references need no declaration and stay unlimited.
    """
    if _ENTITY.search(text) or _DOCTYPE_SUBSET.search(text):
        raise FeedError(
            "the feed declares its own entities (an ENTITY declaration or a DOCTYPE with [...]), "
            "which can make a parser expand it to gigabytes or read local files; refused"
        )


def _parse_xml(text: str, url: str, warnings: list[str]) -> ParsedFeed:
    # Re-encoded as UTF-8 with a matching declaration: feedparser reads exactly the text that
    # was checked above, and never guesses an encoding of its own.
    data = _XML_DECLARATION_TEXT.sub("", text, count=1).encode("utf-8", "surrogatepass")
    data = b'<?xml version="1.0" encoding="utf-8"?>\n' + data
    headers = {"content-type": "application/xml; charset=utf-8", "content-location": url}
    try:
        # A file object, never a str: feedparser opens a str that looks like a path or URL.
        result = feedparser.parse(
            io.BytesIO(data),
            response_headers=headers,
            sanitize_html=False,
            # Links inside HTML are resolved by the cleaner, which parses URLs as browsers do
            # (feedparser would turn "java&#x09;script:" into a link on the feed's own site).
            resolve_relative_uris=False,
        )
    except Exception as exc:  # feedparser raises on some broken input instead of flagging it
        raise FeedError(f"the feed could not be read ({type(exc).__name__})") from None
    version = result.get("version", "")
    problem = result.get("bozo_exception")
    if not version:
        if _HTML_PAGE.search(text[:4096]):
            raise FeedError("the address gives a web page, not a feed")
        raise FeedError("the response is not an RSS, Atom or JSON feed")
    if isinstance(problem, xml.sax.SAXParseException):
        line = problem.getLineNumber() or 1
        raise FeedError(
            f"the feed is not well-formed XML (line {max(line - 1, 1)}: {problem.getMessage()}); "
            "it may have been cut off"
        )
    if problem is not None:
        warnings.append(f"feedparser: {type(problem).__name__}")
    entries = tuple(_raw_entry(entry, url) for entry in result.entries[:MAX_ENTRIES_READ])
    title = str(result.get("feed", {}).get("title", ""))
    return ParsedFeed(version, title, entries, tuple(warnings))


def _raw_entry(entry: Any, url: str) -> RawEntry:
    contents = [c for c in entry.get("content", []) if "html" in str(c.get("type", ""))]
    summary = entry.get("summary_detail") or {}
    details = [*contents, summary, entry.get("title_detail") or {}]
    base = next((str(d["base"]) for d in details if d.get("base")), url)
    author = entry.get("author_detail") or {}
    image, image_alt = _image(entry)
    return RawEntry(
        base=base,
        id=_text(entry.get("id")),
        link=_text(entry.get("link")),
        title=_as_html(entry.get("title_detail") or {}, _text(entry.get("title"))),
        summary_html=_as_html(summary, _text(entry.get("summary"))),
        content_html=_as_html(contents[0], "") if contents else "",
        author=_author_name(author, _text(entry.get("author"))),
        author_url=_text(author.get("href")),
        # dict.get: feedparser's own get maps a missing "updated" to "published", with a warning.
        published=_moment(dict.get(entry, "published_parsed")),
        updated=_moment(dict.get(entry, "updated_parsed")),
        image=image,
        image_alt=image_alt,
        tags=tuple(_text(tag.get("term")) for tag in entry.get("tags", []) if tag.get("term")),
    )


def _author_name(detail: Any, written: str) -> str:
    # RSS <author> is "email (Name)": keep the name, never publish the address.
    name = _text(detail.get("name"))
    return name or ("" if "@" in written else written)


def _as_html(detail: Any, fallback: str) -> str:
    """A text construct as HTML: plain text is escaped, so clean.py treats both alike."""
    value = _text(detail.get("value", fallback)) if detail else fallback
    kind = str(detail.get("type", "text/html")) if detail else "text/html"
    if "html" in kind:
        return value
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _image(entry: Any) -> tuple[str, str]:
    """The entry's picture and its description (alt text), if the feed names one."""
    # feedparser files <media:description> (Mastodon's alt text) as a text/plain "content".
    described = [c for c in entry.get("content", []) if c.get("type") == "text/plain"]
    alt = _text(described[0].get("value")) if described else ""
    for item in entry.get("media_thumbnail", []):
        if item.get("url"):
            return _text(item["url"]), alt
    for item in entry.get("media_content", []):
        if item.get("url") and (
            item.get("medium") == "image" or str(item.get("type", "")).startswith("image/")
        ):
            return _text(item["url"]), alt
    for link in entry.get("links", []):
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/"):
            return _text(link.get("href")), alt
    return "", ""


def _moment(value: Any) -> datetime | None:
    """feedparser's UTC struct_time as an aware datetime; None for nonsense like year 99999."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
