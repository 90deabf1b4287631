"""The feedback form ("Tell us what you think"): static HTML that Netlify Forms receives.

Takes site.yaml's `feedback:` settings and the published events; gives the form page, its
thank-you page and, with `event_links`, one form per event. No script and no third-party
request: Netlify finds the form in the HTML when it deploys and stores what visitors send.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sitegen import urls
from sitegen.config import FeedbackSettings
from sitegen.event_model import Event
from sitegen.model import Site
from sitegen.outputs.files import OutputFile
from sitegen.outputs.meta import PageMeta, site_feeds
from sitegen.outputs.planner import page_file
from sitegen.render.environment import Renderer

FORM_NAME = "feedback"
# Netlify drops a submission that fills this field: people never see it, spam robots do.
HONEYPOT = "bot-field"
FORM_TEMPLATE = "feedback.html"
THANKS_TEMPLATE = "feedback-thanks.html"


@dataclass(frozen=True)
class FeedbackForm:
    """What the form templates show: the texts from site.yaml, and the event it is about."""

    settings: FeedbackSettings
    event: Event | None = None
    name: str = FORM_NAME
    honeypot: str = HONEYPOT
    thanks_url: str = urls.FEEDBACK_THANKS

    @property
    def title(self) -> str:
        return self.settings.title

    @property
    def url(self) -> str:
        return urls.event_feedback_url(self.event.slug) if self.event else urls.FEEDBACK

    @property
    def event_value(self) -> str:
        """What the hidden `event` field sends: the event's title and date, or nothing."""
        if self.event is None:
            return ""
        return f"{self.event.title} ({self.event.start:%Y-%m-%d}, {self.event.url})"


def plan_forms(site: Site, renderer: Renderer) -> list[OutputFile]:
    """The feedback pages, or none when site.yaml has no `feedback:`."""
    if not site.config.feedback.enabled:
        return []
    feeds = site_feeds(site)
    files = []
    for template, meta, form in _form_pages(site):
        meta = meta.on_site(feeds, preview=False)
        files.append(page_file(renderer, template, site, meta, {"form": form}, "the form"))
    return files


def listed_form_paths(site: Site) -> list[str]:
    """The form pages that belong in the sitemap: the main one, not thank-you or per event."""
    return [urls.output_path(urls.FEEDBACK)] if site.config.feedback.enabled else []


def _form_pages(site: Site) -> Iterator[tuple[str, PageMeta, FeedbackForm]]:
    settings = site.config.feedback
    form = FeedbackForm(settings)
    yield FORM_TEMPLATE, PageMeta(form.url, settings.title, settings.intro, "feedback"), form
    meta = PageMeta(urls.FEEDBACK_THANKS, "Thank you", settings.thanks, "feedback", noindex=True)
    yield THANKS_TEMPLATE, meta, form
    if not settings.event_links:
        return
    for event in site.events.events:
        form = FeedbackForm(settings, event)
        title = f"{settings.title}: {event.title}"
        meta = PageMeta(form.url, title, settings.intro, "feedback", noindex=True)
        yield FORM_TEMPLATE, meta, form
