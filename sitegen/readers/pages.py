"""Standalone pages: content/pages/**/*.md → Page values; folders make sections.

content/pages/about.md is /about/; content/pages/services/index.md is /services/ and
content/pages/services/printing.md is /services/printing/.
"""

from __future__ import annotations

from pathlib import Path

from sitegen import urls
from sitegen.config import SiteConfig
from sitegen.errors import Problem
from sitegen.model import NO_HTML, Page
from sitegen.readers.document import read_document
from sitegen.readers.markdown import MarkdownRenderer, plain_text, summary_from_text

PAGE_KEYS = ("title", "menu", "summary", "slug", "image", "image_alt", "toc", "extra")


def read_page(
    file: Path,
    pages_dir: Path,
    path: str,
    config: SiteConfig,
    renderer: MarkdownRenderer,
    data: bytes | None = None,
) -> tuple[Page | None, list[Problem]]:
    """One page, or None with the problems that keep it off the site."""
    document = read_document(file, path, renderer, "page", PAGE_KEYS, data)
    if isinstance(document, list):
        return None, document
    fields = document.fields
    has_title = fields.require("title", "About the Library")
    section = [urls.slugify(part) for part in file.relative_to(pages_dir).parent.parts]
    if file.stem == "index":
        name = document.slug(section.pop()) if section else ""
    else:
        name = document.slug(file.stem)
    summary_text = fields.text("summary")
    summary = summary_from_text(summary_text) if summary_text else document.body.summary
    menu = fields.integer("menu", 0, minimum=1) if fields.has("menu") else None
    page = Page(
        source=document.ref,
        title=fields.text("title"),
        slug_path="/".join([*section, name] if name else section),
        content=document.body.html,
        summary=summary,
        description=summary_text or plain_text(summary),
        menu=menu,
        image=document.image(config.static_dir),
        toc=document.body.toc if fields.boolean("toc") else NO_HTML,
        extra=dict(fields.mapping("extra") or {}),
    )
    if not has_title or document.failed():
        return None, document.problems
    return page, document.problems
