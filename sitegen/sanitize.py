"""HTML that is safe to publish: an allow-list sanitizer (nh3) and a report of what it removes.

Staff Markdown may hold raw HTML, and feeds hold HTML written by strangers; both pass through
clean_html before they reach a page. find_unsafe names what would be removed, so the build
can warn the author in words ("a <script> element", "an onclick attribute").
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_EXTRA_TAGS = {"section", "main", "s", "picture", "source"}
ALLOWED_TAGS = frozenset((set(nh3.ALLOWED_TAGS) | _EXTRA_TAGS) - {"center", "map", "area"})
_GENERIC_ATTRIBUTES = {"id", "class", "title", "lang", "dir"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": _GENERIC_ATTRIBUTES,
    "a": {"href", "hreflang", "rel"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"srcset", "sizes", "type", "media"},
    "ol": {"start", "reversed", "type"},
    "time": {"datetime"},
    "details": {"open"},
    "td": {"align", "colspan", "rowspan", "headers"},
    "th": {"align", "colspan", "rowspan", "headers", "scope"},
}
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "xlink:href", "poster"})
# What follows an attribute's "=": its value, in quotes or not.
_VALUE = re.compile(r"""\s*["']?([^"'>]*)""")
_SCHEME = re.compile(r"[a-z][\w+.-]*:")
_ALLOWED_SCHEME = re.compile(r"https?:|mailto:|tel:")

_staff_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=set(SAFE_SCHEMES),
    link_rel=None,
    strip_comments=True,
)


def clean_html(html: str) -> str:
    """The HTML with everything outside the allow-list removed."""
    return _staff_cleaner.clean(html)


def might_be_unsafe(html: str, has_raw_html: bool) -> bool:
    """True if `html` may hold what clean_html removes: typed HTML, an event handler, a style,
    or a link that is encoded or not to a web, mail or phone address.

    A cheap test, so that the slower find_unsafe runs only on the few documents that need it.
    It looks at each "=" and the name before it: the few "=" of a post are found at C speed,
    where a regular expression for the names tried every position (a tenth of the time it
    takes to render a post). tests/test_sanitize.py holds that expression, and checks that
    both answer the same.
    """
    if has_raw_html:
        return True
    lowered = html.lower()  # lowered: quicker than a case-blind look
    at = lowered.find("=")
    while at >= 0:
        name_end = at
        while name_end and lowered[name_end - 1].isspace():
            name_end -= 1
        if _is_handler_or_style(lowered, name_end) or (
            lowered.endswith(("href", "src"), 0, name_end) and _unsafe_value(lowered, at + 1)
        ):
            return True
        at = lowered.find("=", at + 1)
    return False


def _is_handler_or_style(lowered: str, name_end: int) -> bool:
    """True if an on...= or style= name ends at name_end, after white space."""
    start = name_end
    while start and "a" <= lowered[start - 1] <= "z":
        start -= 1
    if not (start and lowered[start - 1].isspace()):
        return False
    name = lowered[start:name_end]
    return (name.startswith("on") and len(name) > 2) or name == "style"


def _unsafe_value(lowered: str, start: int) -> bool:
    found = _VALUE.match(lowered, start)
    value = found.group(1).lstrip() if found else ""
    return "&#" in value or bool(_SCHEME.match(value) and not _ALLOWED_SCHEME.match(value))


def find_unsafe(html: str) -> list[str]:
    """Describe, in an author's words, each thing clean_html would remove (first seen first)."""
    finder = _UnsafeFinder()
    finder.feed(html)
    finder.close()
    return list(dict.fromkeys(finder.found))


class _UnsafeFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.found.append(f"a <{tag}> element")
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | _GENERIC_ATTRIBUTES
        for name, value in attrs:
            if name not in allowed:
                self.found.append(f"{_article(name)} {name} attribute on <{tag}>")
            elif name in URL_ATTRIBUTES and value and not _safe_url(value):
                scheme = urlsplit(_normalised_url(value)).scheme
                self.found.append(f"a {scheme}: link")

    handle_startendtag = handle_starttag


def _normalised_url(value: str) -> str:
    # Browsers ignore ASCII whitespace and control characters inside a URL's scheme.
    return re.sub(r"[\x00-\x20]", "", value).lower()


def _safe_url(value: str) -> bool:
    scheme = urlsplit(_normalised_url(value)).scheme
    return not scheme or scheme in SAFE_SCHEMES


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
