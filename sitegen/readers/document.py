"""What posts and pages share: front matter fields, Markdown body, slug, image.

read_document does the common part of reading one content file and hands the kind-specific
reader a Document with typed helpers; problems are collected, never raised past the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import urls
from sitegen.errors import Problem, SiteError
from sitegen.fields import FieldReader
from sitegen.model import Image, SourceRef, Tag
from sitegen.readers.frontmatter import SourceFile, read_source
from sitegen.readers.markdown import MarkdownRenderer, RenderedMarkdown

_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}[-_]")


@dataclass
class Document:
    """One content file being read: its front matter, rendered body and problems so far."""

    source: SourceFile
    fields: FieldReader
    body: RenderedMarkdown
    problems: list[Problem] = field(default_factory=list)

    @property
    def ref(self) -> SourceRef:
        return SourceRef(self.source.path, 1)

    def failed(self) -> bool:
        return any(p.severity.value == "error" for p in self.problems)

    def slug(self, default: str) -> str:
        """The `slug` setting, or one made from `default`; never anything with a slash."""
        written = self.fields.text("slug")
        if not written:
            made = urls.slugify(default)
            return made or "untitled"
        if not urls.is_slug(written):
            self.fields.problem(
                "slug",
                f'"slug" may hold only letters, digits and hyphens ({written!r}).',
                f"Write it like: slug: {urls.slugify(written) or 'book-sale'}",
            )
            return urls.slugify(written) or "untitled"
        return written

    def tags(self) -> tuple[Tag, ...]:
        """The `tags` list; spelling variants ("Book Club", "book  club") are one tag."""
        tags: dict[str, Tag] = {}
        for name in self.fields.text_list("tags", "[storytime, kids]"):
            display = " ".join(name.split())
            slug = urls.slugify(display)
            if slug and slug not in tags:
                tags[slug] = Tag(display, slug)
        return tuple(tags.values())

    def image(self, static_dir: Path) -> Image | None:
        src = self.fields.text("image")
        alt = self.fields.text("image_alt")
        if not src:
            if alt:
                self.fields.warn("image_alt", '"image_alt" is set but there is no "image".')
            return None
        if not alt:
            self.fields.problem(
                "image",
                '"image" needs "image_alt": a short description for people who cannot see it.',
                'Add a line like: image_alt: "Children reading on a rug with a librarian"',
            )
        if src.startswith("/"):
            if not (static_dir / src.lstrip("/")).is_file():
                self.fields.warn(
                    "image",
                    f'The image "{src}" is not in the static/ folder.',
                    f"Put the file at static{src}, or correct the path.",
                )
        elif src.startswith(("http://", "https://")):
            self.fields.warn(
                "image",
                "The image is loaded from another website, which tells that site who visits.",
                "Save the image in static/images/ and write: image: /images/NAME.jpg",
            )
        else:
            self.fields.problem(
                "image",
                f'"image" must be a path starting with / ({src!r}).',
                "Put the file in static/images/ and write: image: /images/NAME.jpg",
            )
        return Image(src, alt)


def read_document(
    file: Path,
    path: str,
    renderer: MarkdownRenderer,
    what: str,
    known: tuple[str, ...],
    data: bytes | None = None,
) -> Document | list[Problem]:
    """Read and render one content file (its bytes are `data` if given); a file that cannot
    be parsed gives its problems."""
    try:
        source = read_source(file, path, data)
    except SiteError as exc:
        return exc.problems
    problems: list[Problem] = []
    # A web editor (Decap) writes `key: ""` or `key: []` for a field left empty: not set.
    for key in [key for key, value in source.front.items() if value in ("", []) and key in known]:
        del source.front[key]
    fields = FieldReader(source.front, path, problems, what)
    fields.reject_unknown(known)
    body = renderer.render(source.body, path, source.body_line)
    problems.extend(body.problems)
    return Document(source, fields, body, problems)


def stem_slug(file: Path) -> str:
    """The slug a file name suggests: "2026-03-14-makerspace.md" → "makerspace"."""
    stem = file.parent.name if file.stem == "index" else file.stem
    return _DATE_PREFIX.sub("", stem)
