"""Community highlights: content/highlights/**/*.md → Highlight values, pending and hidden too.

A highlight file is written by `sitegen fetch` or by staff, in the same format. Its text is
held to the untrusted rules whoever wrote it (no images, scripts or relative links; http(s)
addresses only), so a hand edit cannot open a hole that fetch closed. Which highlights are
published is decided later, in assemble: only `status: approved` ones.
"""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup

from sitegen import untrusted, urls
from sitegen.config import SiteConfig
from sitegen.errors import Problem
from sitegen.fields import FieldReader, as_datetime, suggest
from sitegen.highlight_model import STATUSES, CommunitySource, Highlight
from sitegen.model import Image
from sitegen.readers.document import Document, read_document
from sitegen.readers.markdown import MarkdownRenderer

HIGHLIGHT_KEYS = (
    "title",
    "url",
    "source",
    "author",
    "author_url",
    "date",
    "summary",
    "image",
    "image_alt",
    "status",
    "pinned",
)
HIGHLIGHTS_FOLDER = "highlights"
IMAGES_FOLDER = "images"
_STORED_IMAGE = re.compile(r"images/([A-Za-z0-9][A-Za-z0-9._-]*\.(jpg|jpeg|png|gif|webp))")
_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_STATUS_ALIASES = {"approve": "approved", "hide": "hidden", "review": "pending"}
_URL_EXAMPLE = "https://social.example.org/@riverbendreads/1123"


def read_highlight(
    file: Path, path: str, config: SiteConfig, renderer: MarkdownRenderer, data: bytes | None = None
) -> tuple[Highlight | None, list[Problem]]:
    """One highlight, or None with the problems that keep it off the site."""
    document = read_document(file, path, renderer, "highlight", HIGHLIGHT_KEYS, data)
    if isinstance(document, list):
        return None, document
    highlight = _HighlightReader(document, config).read(file)
    return (None if document.failed() else highlight), document.problems


class _HighlightReader:
    def __init__(self, document: Document, config: SiteConfig) -> None:
        self.document = document
        self.fields: FieldReader = document.fields
        self.config = config

    def read(self, file: Path) -> Highlight | None:
        fields = self.fields
        has_title = fields.require("title", '"Storytime in the park was a hit"')
        has_url = fields.require("url", _URL_EXAMPLE)
        url = self._web_address("url", _URL_EXAMPLE)
        date = fields.moment("date", self.config.timezone)
        summary = untrusted.plain_text(fields.text("summary"))
        # Markdown first (staff may write it), then the untrusted cleaner, always.
        content = untrusted.clean_untrusted_html(str(self.document.body.html))
        image, image_file = self._image()
        highlight = Highlight(
            file=self.document.ref,
            id=file.stem,
            title=untrusted.plain_text(fields.text("title")),
            url=url,
            source=self._source(),
            author=untrusted.plain_text(fields.text("author")),
            author_url=self._web_address("author_url", "https://social.example.org/@dana"),
            date=as_datetime(date, self.config.timezone) if date is not None else None,
            summary=summary,
            content=Markup(content),
            description=summary or untrusted.plain_text(content, 300),
            image=image,
            image_file=image_file,
            status=self._status(),
            pinned=fields.boolean("pinned"),
        )
        if not (has_title and has_url and url):
            return None
        return highlight

    def _web_address(self, key: str, example: str) -> str:
        written = self.fields.text(key)
        if not written:
            return ""
        url = untrusted.safe_web_url(written)
        if url is None:
            self.fields.problem(
                key,
                f'"{key}" must be a full web address starting with https:// ({written!r}).',
                f"Write it like: {key}: {example}",
            )
            return ""
        return url

    def _status(self) -> str:
        return self.fields.choice(
            "status",
            STATUSES,
            default="approved",
            fallback="pending",
            hint="status: approved",
            aliases=_STATUS_ALIASES,
            listed="pending, approved or hidden",
        )

    def _source(self) -> CommunitySource | None:
        written = self.fields.text("source")
        if not written:
            return None
        known = {source.id: source for source in self.config.highlights.sources}
        if written in known:
            return CommunitySource(written, known[written].name)
        if _ID.fullmatch(written) and known:
            self.fields.warn(
                "source",
                f'"{written}" is not a source id in site.yaml, so it is shown as a name.'
                + suggest(written, known),
                "Use an id from highlights.sources, or write the source's name, "
                'like: source: "Riverbend Gazette"',
            )
        name = untrusted.plain_text(written, 120)
        return CommunitySource(urls.slugify(name) or "other", name)

    def _image(self) -> tuple[Image | None, Path | None]:
        fields = self.fields
        src = fields.text("image")
        alt = untrusted.plain_text(fields.text("image_alt"), 300)
        if not src:
            return None, None
        if not alt:
            fields.problem(
                "image",
                '"image" needs "image_alt": a short description for people who cannot see it.',
                'Add a line like: image_alt: "Children reading on a rug with a librarian"',
            )
        if src.startswith(("http://", "https://")):
            fields.warn(
                "image",
                "The image is on another website and is not shown: highlights never load "
                "pictures from other sites, which would tell them who visits.",
                "Save it in content/highlights/images/ and write: image: images/NAME.jpg",
            )
            return None, None
        if src.startswith("/"):
            if not (self.config.static_dir / src.lstrip("/")).is_file():
                fields.warn(
                    "image",
                    f'The image "{src}" is not in the static/ folder.',
                    f"Put the file at static{src}, or correct the path.",
                )
            return Image(src, alt), None
        return self._stored_image(src, alt)

    def _stored_image(self, src: str, alt: str) -> tuple[Image | None, Path | None]:
        match = _STORED_IMAGE.fullmatch(src)
        hint = (
            "Use a JPEG, PNG, GIF or WebP file in content/highlights/images/, "
            "like: image: images/storytime.jpg (or a path in static/: /images/NAME.jpg)"
        )
        if match is None:
            self.fields.problem(
                "image", f'"image" is not a picture sitegen can use ({src!r}).', hint
            )
            return None, None
        path = self.config.content_dir / HIGHLIGHTS_FOLDER / src
        if not path.is_file():
            self.fields.problem("image", f'The image "{src}" is not in content/highlights/.', hint)
            return None, None
        with path.open("rb") as handle:
            kind = untrusted.image_kind(handle.read(16))
        suffix = match.group(2).replace("jpeg", "jpg")
        if kind != suffix:
            self.fields.problem(
                "image", f'"{src}" is not a {match.group(2).upper()} picture.', hint
            )
            return None, None
        return Image(urls.highlight_image_url(match.group(1)), alt), path
