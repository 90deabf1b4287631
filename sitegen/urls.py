"""Every public URL of a site, and the output file behind each, in one place.

URLs are site-relative with a leading slash ("/posts/storytime/"); output paths are relative
to the output folder ("posts/storytime/index.html"). Themes turn URLs into links with the
`url` and `absolute_url` filters, which add the site's base path.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urljoin

HOME = "/"
POSTS = "/posts/"
TAGS = "/tags/"
ARCHIVE = "/archive/"
RSS_FEED = "/feed.xml"
ATOM_FEED = "/atom.xml"
SITEMAP = "/sitemap.xml"
ROBOTS = "/robots.txt"
NOT_FOUND = "/404.html"
ASSETS = "/assets/"

_NOT_SLUG = re.compile(r"[^\w]+")
# The start of a site link's value, `="/` (not `="//`, another site); the attribute before it
# is checked apart (see prefix_links).
_LINK_VALUE = re.compile(r"""=(["'])/(?!/)""")
_SLUG = re.compile(r"\w+(?:-\w+)*")
# The characters of a site path that urljoin would only append (with no "." or ".." part).
_PLAIN_PATH = re.compile(r"[\w~%+,=@./-]*")


def slugify(text: str) -> str:
    """A URL-safe name: lowercase words joined by hyphens ("Teen Tech Week!" → "teen-tech-week").

    Letters outside ASCII are kept (in NFC form) so titles in any script give a slug.
    """
    folded = unicodedata.normalize("NFKD", text)
    ascii_only = folded.encode("ascii", "ignore").decode("ascii")
    base = ascii_only if _NOT_SLUG.sub("", ascii_only) else unicodedata.normalize("NFC", text)
    return _NOT_SLUG.sub("-", base.lower()).strip("-_")


def is_slug(text: str) -> bool:
    """True for a slug that is one safe path segment: words and hyphens, nothing else."""
    return bool(_SLUG.fullmatch(text))


def paginated(first: str, number: int) -> str:
    return first if number == 1 else f"{first}page/{number}/"


def post_url(slug: str) -> str:
    return f"{POSTS}{slug}/"


def posts_url(number: int = 1) -> str:
    return paginated(POSTS, number)


def tag_url(slug: str, number: int = 1) -> str:
    return paginated(f"{TAGS}{slug}/", number)


def tag_feed_url(slug: str) -> str:
    return f"{TAGS}{slug}/feed.xml"


def archive_url(year: int) -> str:
    return f"{ARCHIVE}{year}/"


def page_url(slug_path: str) -> str:
    return f"/{slug_path}/" if slug_path else HOME


def asset_url(name: str) -> str:
    return ASSETS + name


def prefix_links(html: str, prefix: str) -> str:
    """HTML with `prefix` (a base path or a whole origin) before every site link ("/posts/x/"):
    the value of an href or src attribute that starts with one slash.

    The search starts at the "=" (an expression starting with the whitespace before the
    attribute tries every space of the text: five times slower on a post), then looks back."""

    def prefixed(match: re.Match[str]) -> str:
        at = match.start()
        if _attribute_ends_at(html, at, "href") or _attribute_ends_at(html, at, "src"):
            return f"={match.group(1)}{prefix}/"
        return match.group(0)

    return _LINK_VALUE.sub(prefixed, html)


def _attribute_ends_at(html: str, end: int, name: str) -> bool:
    """True if `name`, after whitespace, ends at `end` in `html`."""
    start = end - len(name)
    return start >= 1 and html.startswith(name, start, end) and html[start - 1].isspace()


def output_path(url: str) -> str:
    """Where the file for `url` lives in the output folder."""
    path = url.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


EVENTS = "/events/"
PAST_EVENTS = "/events/past/"
EVENTS_FEED = "/events/feed.xml"
EVENTS_CALENDAR = "/events.ics"


def event_url(slug: str) -> str:
    return f"{EVENTS}{slug}/"


def event_ics_url(slug: str) -> str:
    return f"{EVENTS}{slug}/event.ics"


def event_month_url(year: int, month: int) -> str:
    return f"{EVENTS}{year:04d}/{month:02d}/"


def event_filter_url(kind: str, item_id: str) -> str:
    """/events/branch/eastside/, /events/audience/kids/, /events/category/storytime/."""
    return f"{EVENTS}{kind}/{item_id}/"


def event_filter_ics_url(kind: str, item_id: str) -> str:
    return f"{EVENTS}{kind}/{item_id}/events.ics"


HIGHLIGHTS = "/highlights/"
HIGHLIGHTS_FEED = "/highlights/feed.xml"


def highlights_url(number: int = 1) -> str:
    return paginated(HIGHLIGHTS, number)


def highlight_source_url(source_id: str, number: int = 1) -> str:
    """/highlights/source/riverbend-reads/: the highlights of one source."""
    return paginated(f"{HIGHLIGHTS}source/{source_id}/", number)


def highlight_image_url(name: str) -> str:
    """Where an image stored with the highlights (content/highlights/images/) is published."""
    return f"{HIGHLIGHTS}images/{name}"


FEEDBACK = "/feedback/"
FEEDBACK_THANKS = "/feedback/thanks/"
ADMIN = "/admin/"


def event_feedback_url(slug: str) -> str:
    """/events/SLUG/feedback/: the feedback form about one event."""
    return f"{EVENTS}{slug}/feedback/"


def absolute(base: str, relative: str) -> str:
    """urljoin(base, relative), for a path below the site's address `base`: a plain join
    where urljoin would only append (its parsing is slow, and a site has thousands of links)."""
    if _is_plain_base(base) and _plain_path(relative):
        return base + relative
    return urljoin(base, relative)


def _is_plain_base(base: str) -> bool:
    """True for a site address urljoin appends to: a folder, with no query or fragment."""
    return base.endswith("/") and "?" not in base and "#" not in base


def _plain_path(relative: str) -> bool:
    if not _PLAIN_PATH.fullmatch(relative) or "//" in relative:
        return False
    return "." not in relative or not any(part in (".", "..") for part in relative.split("/"))
