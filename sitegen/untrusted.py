"""What strangers wrote, made safe to publish: HTML, web addresses, text and images from feeds.

Stricter than sanitize.py (which cleans what staff write): no images, classes, ids or relative
links in HTML, only http(s) addresses, text without markup or control characters, and images
accepted by what their bytes are, not by what they claim. Used by fetch and by the highlights
reader alike, so a hand-edited highlight file is held to the same rules.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import nh3

LINK_REL = "nofollow noopener ugc"
UNTRUSTED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "cite",
        "code",
        "dd",
        "del",
        "dl",
        "dt",
        "em",
        "hr",
        "i",
        "ins",
        "li",
        "ol",
        "p",
        "q",
        "s",
        "small",
        "strong",
        "sub",
        "sup",
        "ul",
    }
)
UNTRUSTED_ATTRIBUTES = {"a": {"href"}, "abbr": {"title"}}
# Removed with everything inside them: their text is code, styling or a fallback, never prose.
_DROPPED_WITH_CONTENT = {
    "iframe",
    "math",
    "noscript",
    "object",
    "script",
    "select",
    "style",
    "svg",
    "template",
    "textarea",
    "title",
}
WEB_SCHEMES = frozenset({"http", "https"})
MAX_URL_LENGTH = 2000
# Control characters (tab and newline become spaces first), lone surrogates, non-characters,
# and the direction overrides that make a title read differently from what it says.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\u202a-\u202e\u2066-\u2069]"
)
_SPACE = re.compile(r"\s+")
_MARKUP = re.compile(r"<[A-Za-z!/?]")
_EDGE = "".join(chr(c) for c in range(0x21)) + "\x7f"
_URL_SAFE = "%/:=&?~#+!$,;'@()*[]-._"
_BLOCK_TAGS = frozenset(
    {"p", "br", "div", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"}
    | {"tr", "td", "th", "dt", "dd", "hr", "pre", "section", "article", "figure", "figcaption"}
)
IMAGE_TYPES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}


def clean_untrusted_html(html: str, base: str = "") -> str:
    """HTML from a stranger reduced to text formatting and absolute http(s) links.

    Relative links are resolved against `base`, or dropped without one (on the library's
    site they would point at the library's own pages). Links get rel="nofollow noopener ugc".
    """
    cleaner = nh3.Cleaner(
        tags=set(UNTRUSTED_TAGS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in UNTRUSTED_ATTRIBUTES.items()},
        attribute_filter=_web_links_only,
        url_schemes=set(WEB_SCHEMES),
        url_relative=("rewrite_with_base", base) if safe_web_url(base) else "deny",
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return cleaner.clean(_INVISIBLE.sub("", html)).strip()


def _web_links_only(tag: str, attribute: str, value: str) -> str | None:
    # nh3 reports an exception raised here through sys.unraisablehook; this never raises.
    if attribute != "href":
        return value
    scheme = _scheme(value)
    return value if scheme in WEB_SCHEMES or not scheme else None


def _scheme(value: str) -> str:
    # Browsers ignore ASCII whitespace and control characters in a URL's scheme.
    compact = re.sub(r"[\x00-\x20]", "", value)
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", compact)
    return match.group(1).lower() if match else ""


def safe_web_url(value: str, base: str = "") -> str | None:
    """`value` resolved against `base` as an absolute http(s) address, or None.

    Addresses with a user name or password (https://bank.example@evil.example/) are refused,
    and characters a browser would encode anyway are percent-encoded, so what is published
    is exactly what was checked.
    """
    if not isinstance(value, str):
        return None
    text = re.sub(r"[\t\n\r]", "", value).strip(_EDGE)
    if not text or len(text) > MAX_URL_LENGTH or _INVISIBLE.search(text):
        return None
    try:
        parts = urlsplit(urljoin(base, text) if base else text)
        hostname = parts.hostname
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not hostname:
        return None
    if parts.username is not None or parts.password is not None:
        return None
    netloc = hostname if ":" not in hostname else f"[{hostname}]"
    if port is not None:
        netloc += f":{port}"
    return urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            quote(parts.path, safe=_URL_SAFE),
            quote(parts.query, safe=_URL_SAFE),
            quote(parts.fragment, safe=_URL_SAFE),
        )
    )


def plain_text(value: str, limit: int = 0) -> str:
    """One line of plain text: markup removed, invisible characters dropped, capped at `limit`."""
    text = html_to_text(value) if _MARKUP.search(value) else value
    text = unicodedata.normalize("NFC", _SPACE.sub(" ", _INVISIBLE.sub("", text))).strip()
    return shorten(text, limit) if limit else text


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:-") + "…"


def html_to_text(html: str) -> str:
    """The words of an HTML fragment, a space where blocks meet; scripts and styles left out."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return "".join(extractor.parts)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED_WITH_CONTENT:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED_WITH_CONTENT:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def image_kind(data: bytes) -> str | None:
    """ "jpg", "png", "gif" or "webp" when the bytes are one of those images, else None.

    SVG is never accepted: it is a document that can hold scripts, not a picture.
    """
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None
