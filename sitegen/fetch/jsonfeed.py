"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) → RawEntry values.

feedparser does not read JSON Feed, so sitegen does: the standard json module on text that
must be UTF-8, every field checked for its type, anything unexpected ignored.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sitegen.fetch.raw import MAX_ENTRIES_READ, FeedError, ParsedFeed, RawEntry

VERSION_PREFIX = "https://jsonfeed.org/version/1"


def parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    """The JSON Feed in `body`; FeedError if it is not one."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FeedError(f"the JSON feed is not UTF-8 text (byte {exc.start})") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise FeedError("the JSON feed is nested too deeply") from None
    except ValueError as exc:
        raise FeedError(f"the JSON feed is not valid JSON ({exc.args[0][:60]})") from None
    if not isinstance(data, dict):
        raise FeedError("the response is JSON but not a JSON feed")
    version = _text(data.get("version"))
    if not version.startswith(VERSION_PREFIX):
        raise FeedError("the response is JSON but not a JSON feed (no jsonfeed.org version)")
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedError('the JSON feed has no "items" list')
    feed_author = _author(data)
    entries = tuple(
        _entry(item, url, feed_author)
        for item in items[:MAX_ENTRIES_READ]
        if isinstance(item, dict)
    )
    kind = "json" + version.rsplit("/", 1)[-1]
    return ParsedFeed(kind, _text(data.get("title")), entries)


def _entry(item: dict[str, Any], url: str, feed_author: tuple[str, str]) -> RawEntry:
    identifier = item.get("id")
    if isinstance(identifier, (int, float)) and not isinstance(identifier, bool):
        identifier = str(identifier)  # JSON Feed 1.0 allowed numbers
    author = _author(item) if ("authors" in item or "author" in item) else feed_author
    content_html = _text(item.get("content_html"))
    if not content_html and item.get("content_text"):
        content_html = _escape(_text(item.get("content_text")))
    image = _text(item.get("image")) or _text(item.get("banner_image"))
    return RawEntry(
        base=url,
        id=_text(identifier),
        link=_text(item.get("url")) or _text(item.get("external_url")),
        title=_escape(_text(item.get("title"))),
        summary_html=_escape(_text(item.get("summary"))),
        content_html=content_html,
        author=author[0],
        author_url=author[1],
        published=_moment(item.get("date_published")),
        updated=_moment(item.get("date_modified")),
        image=image,
        tags=tuple(tag for tag in item.get("tags", []) if isinstance(tag, str))
        if isinstance(item.get("tags"), list)
        else (),
    )


def _author(data: dict[str, Any]) -> tuple[str, str]:
    """(name, url) from 1.1's `authors` list, else 1.0's `author` object."""
    authors = data.get("authors")
    candidates = authors if isinstance(authors, list) else [data.get("author")]
    for author in candidates:
        if isinstance(author, dict) and (author.get("name") or author.get("url")):
            return _text(author.get("name")), _text(author.get("url"))
    return "", ""


def _moment(value: Any) -> datetime | None:
    """An RFC 3339 date; None when it is missing or nonsense."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _escape(text: str) -> str:
    """Plain text as HTML, so clean.py treats every field as HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
