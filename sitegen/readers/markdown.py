"""Markdown to safe HTML, with the summary and table of contents staff expect.

One configured Python-Markdown instance is reused for every document (building one is slow).
Unless the site allows raw HTML, the output passes the allow-list sanitizer and a warning
names what was removed.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import unescape
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markupsafe import Markup, escape

from sitegen import sanitize
from sitegen.errors import Problem
from sitegen.readers.quick_markdown import QuickerMarkdown

MORE_MARKER = "<!-- more -->"
_FIRST_PARAGRAPH = re.compile(r"<p>.*?</p>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
# A tag or comment an author typed, other than the <!-- more --> marker.
_RAW_TAG = re.compile(r"<(?!!--\s*more\s*-->)[a-zA-Z/!?]")
MAX_DESCRIPTION = 300
# Python-Markdown has quadratic corners; a file this large is almost surely a mistake.
MAX_SOURCE_CHARS = 1_000_000

EXTENSIONS = [
    "tables",
    "footnotes",
    "fenced_code",
    "toc",
    "attr_list",
    "sane_lists",
    "def_list",
    "abbr",
    "admonition",
    "md_in_html",
]
EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    # Alignment as an attribute, not style="", so pages satisfy a strict Content-Security-Policy.
    "tables": {"use_align_attribute": True},
    "toc": {"slugify": slugify_unicode, "toc_depth": "2-4"},
    "footnotes": {"BACKLINK_TITLE": "Back to the text of footnote %d"},
}


@dataclass(frozen=True)
class RenderedMarkdown:
    html: Markup
    summary: Markup
    toc: Markup
    problems: list[Problem] = field(default_factory=list)


def memo_key(path: str, line: int, text: str, allow_raw_html: bool) -> str:
    """What identifies one rendering: the text, where it starts, and the HTML policy."""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16)
    digest.update(f"\0{path}\0{line}\0{allow_raw_html}".encode())
    return digest.hexdigest()


class MarkdownMemo:
    """Rendered Markdown kept from one build to the next (in memory for the preview server,
    on disk in .sitegen-cache/ for builds).

    Entries the latest build did not use are dropped, so edits do not pile up old versions.
    A memo from disk may come with a `loader` instead of entries: prepare() calls it with
    the number of documents about to be rendered, and it gives the entries, or None when
    loading them would cost more than it saves.
    """

    def __init__(
        self,
        entries: dict[str, RenderedMarkdown] | None = None,
        loader: Callable[[int], dict[str, RenderedMarkdown] | None] | None = None,
    ) -> None:
        self._previous: dict[str, RenderedMarkdown] = dict(entries or {})
        self._current: dict[str, RenderedMarkdown] = {}
        self._loader = loader
        self._declined = False

    @property
    def loaded(self) -> bool:
        """False if stored entries were left unread, so what it holds is not all there is."""
        return self._loader is None and not self._declined

    def prepare(self, documents: int) -> None:
        """Take in the stored entries, if there are `documents` to render and it pays."""
        if self._loader is None or documents == 0:
            return
        entries = self._loader(documents)
        if entries is None:
            self._declined = True
            return
        self._previous.update(entries)
        self._loader = None
        self._declined = False

    def get(self, key: str) -> RenderedMarkdown | None:
        found = self._current.get(key) or self._previous.get(key)
        if found is not None:
            self._current[key] = found
        return found

    def put(self, key: str, rendered: RenderedMarkdown) -> None:
        self._current[key] = rendered

    def keep(self, keys: Iterable[str]) -> None:
        """Count these entries as used by this build (their document was not read again)."""
        for key in keys:
            found = self._previous.get(key)
            if found is not None:
                self._current.setdefault(key, found)

    def finish_build(self) -> None:
        self._previous, self._current = self._current, {}

    def entries(self) -> dict[str, RenderedMarkdown]:
        """What the latest build used (after finish_build) or is using."""
        return dict(self._current or self._previous)


# What one document's rendering used: each memo key, with the rendering if it was made now.
RenderLog = list[tuple[str, "RenderedMarkdown | None"]]


class MarkdownRenderer:
    """Renders the Markdown of a site's content files, one at a time."""

    def __init__(self, allow_raw_html: bool = False, memo: MarkdownMemo | None = None) -> None:
        self.allow_raw_html = allow_raw_html
        self.memo = memo
        # Set to a list to hear of each rendering (a read remembers what it used).
        self.log: RenderLog | None = None
        self._md = _configured_markdown()

    def render(self, text: str, path: str, line: int = 1) -> RenderedMarkdown:
        """Render a document whose first line is line `line` of file `path`."""
        if self.memo is None:
            return self._render(text, path, line)
        key = memo_key(path, line, text, self.allow_raw_html)
        rendered = self.memo.get(key)
        made = rendered is None
        if rendered is None:
            rendered = self._render(text, path, line)
            if self.log is None:
                self.memo.put(key, rendered)
        if self.log is not None:
            # Whoever reads the log keeps the rendering (in the build process: a worker of
            # the read pool would only hold it until it ends).
            self.log.append((key, rendered if made else None))
        return rendered

    def _render(self, text: str, path: str, line: int) -> RenderedMarkdown:
        problems: list[Problem] = []
        if len(text) > MAX_SOURCE_CHARS:
            problems.append(
                Problem(
                    f"The text is too long ({len(text):,} characters; the limit is "
                    f"{MAX_SOURCE_CHARS:,}).",
                    path,
                    line,
                    "Split it into several pages.",
                )
            )
            return RenderedMarkdown(Markup(""), Markup(""), Markup(""), problems)
        self._md.reset()
        try:
            html = self._md.convert(text)
        except RecursionError:
            problems.append(
                Problem(
                    "The text is nested too deeply (lists or quotes inside each other).",
                    path,
                    line,
                    "Use fewer levels of nested lists or block quotes.",
                )
            )
            return RenderedMarkdown(Markup(""), Markup(""), Markup(""), problems)
        # Not htmlStash: Python-Markdown stashes fenced code there too.
        has_raw_html = bool(_RAW_TAG.search(text))
        toc_tokens = getattr(self._md, "toc_tokens", [])
        toc = Markup(getattr(self._md, "toc", "")) if toc_tokens else Markup("")
        before_more, marker, _ = html.partition(MORE_MARKER)
        html = html.replace(MORE_MARKER, "")
        if not self.allow_raw_html and sanitize.might_be_unsafe(html, has_raw_html):
            removed = sanitize.find_unsafe(html)
            if removed:
                problems.append(_removed_warning(removed, path, line))
        safe_html = self._clean(html)
        if marker:
            summary = self._clean(before_more)
        else:
            first = _FIRST_PARAGRAPH.search(safe_html)
            summary = first.group(0) if first else ""
        return RenderedMarkdown(Markup(safe_html), Markup(summary), toc, problems)

    def _clean(self, html: str) -> str:
        return html if self.allow_raw_html else sanitize.clean_html(html)


_per_thread = threading.local()


def _configured_markdown() -> markdown.Markdown:
    """This thread's Python-Markdown with sitegen's extensions, made once (3 ms: the preview
    server would otherwise make one for every rebuild). One per thread, as it keeps the
    state of the document it converts."""
    md: markdown.Markdown | None = getattr(_per_thread, "md", None)
    if md is None:
        md = _per_thread.md = markdown.Markdown(extensions=[*_extensions(), QuickerMarkdown()])
    return md


def _extensions() -> list[Extension]:
    """EXTENSIONS, made from Python-Markdown's own modules. Given by name, Python-Markdown
    would first look through every installed package's entry points for the name, which
    took longer than all else in making the first Markdown of a process."""
    return [
        importlib.import_module(f"markdown.extensions.{name}").makeExtension(
            **EXTENSION_CONFIGS.get(name, {})
        )
        for name in EXTENSIONS
    ]


def _removed_warning(removed: list[str], path: str, line: int) -> Problem:
    return Problem(
        "Some HTML was removed because it could run code or load things on visitors' "
        f"pages: {', '.join(removed)}.",
        path,
        line,
        "Use Markdown instead of HTML for this part, or ask your site admin about "
        "allow_raw_html in site.yaml.",
    ).warning()


def summary_from_text(text: str) -> Markup:
    """A summary written in front matter: plain text, shown as one paragraph."""
    return Markup("<p>") + escape(text) + Markup("</p>")


def plain_text(html: str, limit: int = MAX_DESCRIPTION) -> str:
    """The text of an HTML fragment, for meta descriptions: no tags, one line, capped."""
    text = _SPACE.sub(" ", unescape(_TAG.sub(" ", html))).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"
