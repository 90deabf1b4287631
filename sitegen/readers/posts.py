"""Blog posts: content/posts/**/*.md → Post values (drafts and future posts included).

Which posts are published is decided later, against the build's clock, in assemble.
"""

from __future__ import annotations

from pathlib import Path

from sitegen import urls
from sitegen.config import SiteConfig
from sitegen.errors import Problem
from sitegen.fields import as_datetime
from sitegen.model import Post, Tag
from sitegen.readers.document import Document, read_document, stem_slug
from sitegen.readers.markdown import MarkdownRenderer, plain_text, summary_from_text

POST_KEYS = (
    "title",
    "date",
    "updated",
    "draft",
    "summary",
    "tags",
    "authors",
    "image",
    "image_alt",
    "slug",
    "toc",
    "extra",
)


def read_post(
    file: Path, path: str, config: SiteConfig, renderer: MarkdownRenderer
) -> tuple[Post | None, list[Problem]]:
    """One post, or None with the problems that keep it off the site."""
    document = read_document(file, path, renderer, "post", POST_KEYS)
    if isinstance(document, list):
        return None, document
    post = _post_from(document, file, config)
    return (None if document.failed() else post), document.problems


def _post_from(document: Document, file: Path, config: SiteConfig) -> Post | None:
    fields = document.fields
    zone = config.timezone
    has_title = fields.require("title", '"Winter Reading Challenge"')
    has_date = fields.require("date", "2026-12-01")
    date = fields.moment("date", zone)
    updated = fields.moment("updated", zone)
    title = fields.text("title")
    summary_text = fields.text("summary")
    summary = summary_from_text(summary_text) if summary_text else document.body.summary
    image = document.image(config.static_dir)
    if not (has_title and has_date and date is not None):
        return None
    return Post(
        source=document.ref,
        title=title,
        slug=document.slug(stem_slug(file)),
        date=as_datetime(date, zone),
        updated=as_datetime(updated, zone) if updated is not None else None,
        draft=fields.boolean("draft"),
        content=document.body.html,
        summary=summary,
        description=summary_text or plain_text(summary),
        tags=_tags(fields.text_list("tags", "[storytime, kids]")),
        authors=fields.text_list("authors", "[Dana Whitfield]"),
        image=image,
        toc=document.body.toc if fields.boolean("toc") else document.body.toc[:0],
        extra=dict(fields.mapping("extra") or {}),
    )


def _tags(names: tuple[str, ...]) -> tuple[Tag, ...]:
    tags: dict[str, Tag] = {}
    for name in names:
        display = " ".join(name.split())
        slug = urls.slugify(display)
        if slug and slug not in tags:
            tags[slug] = Tag(display, slug)
    return tuple(tags.values())
