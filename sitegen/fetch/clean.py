"""RawEntry → CleanEntry: what a stranger's feed entry may become on the library's site.

Every HTML field through the untrusted cleaner, every address resolved against its base and
kept only if it is http(s), text fields as plain text, long fields capped. Then each source's
own rules: `include` / `exclude` keywords and the newest `max_entries`. Identity for
de-duplication (the link and the feed's id, normalised, hashed) is decided here too.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sitegen import untrusted
from sitegen.config import HighlightSource
from sitegen.fetch.raw import RawEntry

MAX_TITLE = 200
MAX_AUTHOR = 120
MAX_EXCERPT = 600
MAX_CONTENT_HTML = 6000
MAX_CONTENT_TEXT = 1500
DERIVED_TITLE = 90
KEY_LENGTH = 10
_TRACKING = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)$", re.IGNORECASE)


@dataclass(frozen=True)
class CleanEntry:
    """A feed entry fit to be written as a highlight file. `date` is None if the feed gave none.

    `key` (from the link) names the entry's file; `guid_key` (from the feed's id) finds it
    again when the link changes. Both are hashes: nothing from the feed reaches a file name
    except the slug of its title.
    """

    key: str
    guid_key: str
    url: str
    title: str
    content: str
    author: str
    author_url: str
    date: datetime | None
    image_url: str
    image_alt: str
    words: str

    def matches(self, keywords: tuple[str, ...]) -> bool:
        """Whether any keyword appears as a whole word (or #hashtag) in the entry."""
        return any(_keyword(word).search(self.words) for word in keywords if word.strip())


def clean_entry(raw: RawEntry) -> CleanEntry | None:
    """The entry, cleaned; None when it has no http(s) link to point visitors to."""
    url = untrusted.safe_web_url(raw.link, raw.base)
    if url is None:
        url = untrusted.safe_web_url(raw.id, raw.base) if raw.id.startswith("http") else None
    if url is None:
        return None
    summary = untrusted.clean_untrusted_html(raw.summary_html, raw.base)
    content = untrusted.clean_untrusted_html(raw.content_html, raw.base)
    body = summary if untrusted.html_to_text(summary).strip() else content
    body_text = untrusted.plain_text(untrusted.html_to_text(body))
    if len(body) > MAX_CONTENT_HTML or len(body_text) > MAX_CONTENT_TEXT:
        body = "<p>" + _escape(untrusted.shorten(body_text, MAX_EXCERPT)) + "</p>"
    title = untrusted.plain_text(untrusted.html_to_text(raw.title), MAX_TITLE)
    if not title:
        title = untrusted.shorten(body_text, DERIVED_TITLE) or "A post"
    author = untrusted.plain_text(untrusted.html_to_text(raw.author), MAX_AUTHOR)
    image_url = untrusted.safe_web_url(raw.image, raw.base) or ""
    words = " ".join(
        (
            title,
            untrusted.html_to_text(summary),
            untrusted.html_to_text(content),
            # A category "riverbendreads" is the hashtag #riverbendreads too.
            " ".join(f"{tag} #{tag.lstrip('#')}" for tag in raw.tags),
        )
    )
    return CleanEntry(
        key=url_key(url),
        guid_key=_hash(raw.id.strip()) if raw.id.strip() else "",
        url=url,
        title=title,
        content=body if body_text else "",
        author=author,
        author_url=(untrusted.safe_web_url(raw.author_url, raw.base) or "") if author else "",
        date=raw.published or raw.updated,
        image_url=image_url,
        image_alt=untrusted.plain_text(untrusted.html_to_text(raw.image_alt), 300) or title,
        words=untrusted.plain_text(words).casefold(),
    )


@dataclass(frozen=True)
class Selection:
    """The entries of one fetch a source keeps, and how many were left out and why."""

    entries: tuple[CleanEntry, ...]
    without_link: int = 0
    filtered: int = 0
    over_limit: int = 0
    duplicates: int = 0


def select_entries(raw_entries: tuple[RawEntry, ...], source: HighlightSource) -> Selection:
    """Clean every entry, apply the source's keywords, keep its newest `max_entries`."""
    entries: list[CleanEntry] = []
    seen: set[str] = set()
    without_link = filtered = duplicates = 0
    for raw in raw_entries:
        entry = clean_entry(raw)
        if entry is None:
            without_link += 1
            continue
        if entry.key in seen or (entry.guid_key and entry.guid_key in seen):
            duplicates += 1
            continue
        seen.update(key for key in (entry.key, entry.guid_key) if key)
        if (source.include and not entry.matches(source.include)) or entry.matches(source.exclude):
            filtered += 1
            continue
        entries.append(entry)
    entries.sort(key=lambda e: e.date.timestamp() if e.date else float("-inf"), reverse=True)
    kept = entries[: source.max_entries]
    return Selection(tuple(kept), without_link, filtered, len(entries) - len(kept), duplicates)


def url_key(url: str) -> str:
    """The hash naming an entry: of its link with scheme, case, default port, trailing slash,
    fragment and tracking parameters made alike, so one post has one key."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.port and parts.port not in (80, 443):
        host += f":{parts.port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, True) if not _TRACKING.match(k)])
    path = parts.path.rstrip("/") or "/"
    return _hash(urlunsplit(("https", host, path, query, "")))


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:KEY_LENGTH]


def _keyword(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(word.strip().casefold()) + r"(?!\w)")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
