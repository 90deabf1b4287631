"""The RSS feed of community highlights (feedgen) at /highlights/feed.xml, newest first.

Each item links to the original post, says who wrote it and where, and carries the
highlight's cleaned text; nothing from a feed reaches it unescaped.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from sitegen import urls
from sitegen.highlight_model import Highlight
from sitegen.model import Site
from sitegen.outputs.feeds import new_feed, xml_text
from sitegen.outputs.files import OutputFile
from sitegen.outputs.highlight_pages import has_highlights

HIGHLIGHT_FEED_SIZE = 30


def plan_highlight_feed(site: Site) -> list[OutputFile]:
    if not has_highlights(site):
        return []
    config = site.config
    generator = new_feed(
        site,
        urls.HIGHLIGHTS_FEED,
        urls.HIGHLIGHTS,
        f"{config.title}: community highlights",
        f"What our community is saying, picked by {config.title}.",
    )
    newest = sorted(
        site.highlights.approved,
        key=lambda h: h.date.timestamp() if h.date else float("-inf"),
        reverse=True,
    )[:HIGHLIGHT_FEED_SIZE]
    generator.lastBuildDate(max((h.date for h in newest if h.date), default=site.now))
    for highlight in newest:
        entry = generator.add_entry(order="append")
        entry.guid(highlight.url, permalink=True)
        entry.title(xml_text(highlight.title))
        entry.link(href=highlight.url)
        if highlight.date:
            entry.published(highlight.date)
        entry.description(xml_text(str(_description(highlight))))
        if highlight.source is not None:
            entry.category(term=highlight.source.id, label=xml_text(highlight.source.name))
    content = generator.rss_str()
    return [
        OutputFile(urls.output_path(urls.HIGHLIGHTS_FEED), content, source="the highlights feed")
    ]


def _description(highlight: Highlight) -> Markup:
    """The highlight's cleaned text, then who wrote it and where ("by Dana, via …")."""
    body = highlight.content or (
        Markup("<p>") + escape(highlight.summary) + Markup("</p>")
        if highlight.summary
        else Markup("")
    )
    credits = [
        part
        for part in (
            f"by {highlight.author}" if highlight.author else "",
            f"via {highlight.source.name}" if highlight.source else "",
        )
        if part
    ]
    if credits:
        body += Markup("<p>") + escape(", ".join(credits)) + Markup("</p>")
    return body
