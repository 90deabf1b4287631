"""Blog posts: content/posts/**/*.md → Post values (drafts and future posts included).

Which posts are published is decided later, against the build's clock, in assemble.
"""

from __future__ import annotations

from pathlib import Path

from sitegen.config import SiteConfig
from sitegen.errors import Problem
from sitegen.fields import as_datetime
from sitegen.model import NO_HTML, Post
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
    file: Path, path: str, config: SiteConfig, renderer: MarkdownRenderer, data: bytes | None = None
) -> tuple[Post | None, list[Problem]]:
    """One post, or None with the problems that keep it off the site."""
    document = read_document(file, path, renderer, "post", POST_KEYS, data)
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
    # Check every field before giving up on a post without a date: one fix per build is slow.
    slug = document.slug(stem_slug(file))
    draft = fields.boolean("draft")
    tags = document.tags()
    authors = fields.text_list("authors", "[Dana Whitfield]")
    toc = document.body.toc if fields.boolean("toc") else NO_HTML
    extra = dict(fields.mapping("extra") or {})
    if not (has_title and has_date and date is not None):
        return None
    return Post(
        source=document.ref,
        title=title,
        slug=slug,
        date=as_datetime(date, zone),
        updated=as_datetime(updated, zone) if updated is not None else None,
        draft=draft,
        content=document.body.html,
        summary=summary,
        description=summary_text or plain_text(summary),
        tags=tags,
        authors=authors,
        image=image,
        toc=toc,
        extra=extra,
    )
