"""The RSS feed of upcoming events (feedgen): one item per date, soonest first."""

from __future__ import annotations

from html import escape
from urllib.parse import urljoin

from sitegen import urls
from sitegen.event_model import Occurrence
from sitegen.model import Site
from sitegen.outputs.feeds import absolute_links, new_feed, xml_text
from sitegen.outputs.files import OutputFile
from sitegen.render.filters import event_when

EVENT_FEED_SIZE = 50


def plan_event_feed(site: Site) -> list[OutputFile]:
    if not site.events.events:
        return []
    config = site.config
    home = config.url
    generator = new_feed(
        site,
        urls.EVENTS_FEED,
        urls.EVENTS,
        f"{config.title}: upcoming events",
        f"Programs and events at {config.title}",
    )
    generator.lastBuildDate(site.now)
    origin = home.removesuffix(config.base_path + "/")
    for occurrence in site.events.upcoming[:EVENT_FEED_SIZE]:
        event = occurrence.event
        link = urljoin(home, event.url.lstrip("/"))
        when = event_when(occurrence, config.timezone_name)
        status = f"{occurrence.status_label}: " if occurrence.status_label else ""
        entry = generator.add_entry(order="append")
        entry.guid(f"{link}#{occurrence.original_start.isoformat()}", permalink=False)
        entry.title(xml_text(f"{status}{event.title} ({when})"))
        entry.link(href=link)
        summary = (
            f"<p>{escape(xml_text(when))}</p>{_notice(occurrence)}"
            f"{absolute_links(str(event.summary), origin)}"
        )
        entry.description(summary)
        for label in event.categories:
            entry.category(term=label.id, label=xml_text(label.name))
    content = generator.rss_str()
    return [OutputFile(urls.output_path(urls.EVENTS_FEED), content, source="the events feed")]


def _notice(occurrence: Occurrence) -> str:
    """The status of the date and why, as the event page's banner says it ("" if none)."""
    note = occurrence.note or (occurrence.event.status_note if occurrence.status_label else "")
    label = f"<strong>{occurrence.status_label}.</strong>" if occurrence.status_label else ""
    text = " ".join(part for part in (label, escape(xml_text(note))) if part)
    return f"<p>{text}</p>" if text else ""
