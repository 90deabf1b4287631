"""The checks, one small function each: the context in, the problems it finds out.

CHECKS lists them in the order they run; a new check is a function added there.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sitegen.check.context import Check, CheckContext, Written
from sitegen.check.html import site_path
from sitegen.errors import Problem
from sitegen.event_model import Occurrence
from sitegen.fields import suggest


def links_and_images(context: CheckContext) -> Iterator[Problem]:
    """Links to pages or parts of pages that do not exist; images that are not there."""
    known = sorted("/" + p.removesuffix("index.html") for p in context.files if p.endswith(".html"))
    for written in context.written:
        parsed = written.parsed
        for link in parsed.links:
            yield from _check_link(context, written, link.href, known, parsed.ids)
        for src, _alt in parsed.images:
            target = site_path(src, written.url, context.site.config.url)
            if target is None or not target[0] or context.exists(target[0]):
                continue
            yield Problem(
                f'The image "{src}" is not in the site.',
                written.path,
                written.line_of(src),
                f"Put the file at static{target[0]}, or correct the path.",
            )


def _check_link(
    context: CheckContext, written: Written, href: str, known: list[str], own_ids: set[str]
) -> Iterator[Problem]:
    target = site_path(href, written.url, context.site.config.url)
    if target is None:
        return
    path, fragment = target
    if href.startswith("#"):
        if fragment and fragment not in own_ids and not _page_has(context, written.url, fragment):
            yield _missing_part(written, href, fragment)
        return
    found = context.exists(path)
    if found is None:
        hint = suggest(path, known).strip() or (
            "Check the address: pages are at addresses like /about/ or /posts/book-sale/."
        )
        yield Problem(
            f'The link to "{href}" leads to no page of the site.',
            written.path,
            written.line_of(href),
            hint,
        )
    elif fragment and found.endswith(".html") and fragment not in context.ids_of(found):
        yield _missing_part(written, href, fragment)


def _page_has(context: CheckContext, url: str, fragment: str) -> bool:
    found = context.exists(url)
    return found is not None and fragment in context.ids_of(found)


def _missing_part(written: Written, href: str, fragment: str) -> Problem:
    return Problem(
        f'The link to "{href}" leads to a page without the part "#{fragment}".',
        written.path,
        written.line_of(href),
        "The part after # must be the id of a heading on that page, like #opening-hours.",
    )


def alt_text(context: CheckContext) -> Iterator[Problem]:
    """Images in the text without a description for people who cannot see them."""
    for written in context.written:
        for src, alt in written.parsed.images:
            if not (alt or "").strip():
                yield Problem(
                    f'An image has no description (alt text): "{src}".',
                    written.path,
                    written.line_of(src),
                    "Describe what it shows: ![Children at storytime](/images/storytime.jpg)",
                )


def heading_levels(context: CheckContext) -> Iterator[Problem]:
    """Headings that skip a level, or a second level-1 heading besides the title."""
    for written in context.written:
        previous = 1  # the page's title
        for level, text in written.parsed.headings:
            line = written.line_of(text)
            if level == 1:
                yield Problem(
                    f'The heading "{text}" is a level-1 heading (#), but the title is the '
                    "page's only one.",
                    written.path,
                    line,
                    f"Use ## for the sections of the text: ## {text}",
                ).warning()
            elif level > previous + 1:
                yield Problem(
                    f'The heading "{text}" skips a level: a level-{level} heading after a '
                    f"level-{previous} one.",
                    written.path,
                    line,
                    f"Make it {'#' * (previous + 1)} {text}, so people using screen readers "
                    "can follow the outline.",
                ).warning()
            previous = level


def link_text(context: CheckContext) -> Iterator[Problem]:
    """Links with nothing to read: screen readers announce them as just "link"."""
    for written in context.written:
        for link in written.parsed.links:
            if not link.text.strip() and not link.label:
                yield Problem(
                    f'A link has no text: "{link.href}".',
                    written.path,
                    written.line_of(link.href),
                    "Write the words people click, like: [Opening hours](/visit/)",
                )


def registration_links(context: CheckContext) -> Iterator[Problem]:
    """Events that need registration but do not say where to register."""
    by_path = {written.path: written for written in context.written}
    for event in context.content.events:
        if not event.registration_required or event.registration_url:
            continue
        written = by_path.get(event.source.path)
        yield Problem(
            'Registration is required ("registration_required: true") but there is no '
            '"registration_url".',
            event.source.path,
            written.key_line("registration_required") if written else event.source.line,
            "Add the sign-up link, like: registration_url: https://library.example.org/register"
            "\nIf people register by phone or at the desk, say so in the text and set "
            "registration_required: false.",
        ).warning()


def finished_events(context: CheckContext) -> Iterator[Problem]:
    """Events that are over but still presented as upcoming."""
    site = context.site
    zone = site.config.timezone
    real_now = context.real_now
    if real_now is not None and real_now > site.now:
        over: dict[str, list[Occurrence]] = {}
        for occurrence in site.events.upcoming:
            if occurrence.end <= real_now:
                over.setdefault(occurrence.event.source.path, []).append(occurrence)
        for path, ended in over.items():
            last = max(o.end for o in ended).astimezone(zone)
            built = site.now.astimezone(zone)
            yield Problem(
                f'"{ended[0].title}" ended on {last:%Y-%m-%d %H:%M} but the site lists it '
                f"as upcoming: it is built as of {built:%Y-%m-%d %H:%M} (SOURCE_DATE_EPOCH).",
                path,
                1,
                "Build without SOURCE_DATE_EPOCH, or let the scheduled rebuild run.",
            ).warning()
    by_path = {written.path: written for written in context.written}
    for event in context.content.events:
        occurrences = site.events.occurrences_of(event)
        if not occurrences or any(o.end > site.now for o in occurrences):
            continue
        said = [event.title, *(tag.name for tag in event.tags)]
        if not any("upcoming" in text.casefold() for text in said):
            continue
        written = by_path.get(event.source.path)
        last = max(o.end for o in occurrences).astimezone(zone)
        yield Problem(
            f'The event ended on {last:%Y-%m-%d} but still says "upcoming".',
            event.source.path,
            written.key_line("title") if written else event.source.line,
            'Take "upcoming" out of its title and tags: the page stays online as a past event.',
        ).warning()


def pending_highlights(context: CheckContext) -> Iterator[Problem]:
    """Community highlights waiting for review for longer than the site allows."""
    limit = context.pending_days
    now = context.site.now
    for highlight in context.content.highlights:
        if highlight.status != "pending":
            continue
        since = highlight.date or _modified(context.root / highlight.file.path)
        if since is None:
            continue
        days = (now - since).days
        if days > limit:
            yield Problem(
                f"This highlight has waited for review for {days} days (more than {limit}).",
                highlight.file.path,
                _status_line(context.root / highlight.file.path),
                "Approve or hide it: run `sitegen review` to see its id, or set "
                "status: approved or status: hidden in the file.",
            ).warning()


def _modified(file: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(file.stat().st_mtime, UTC)
    except OSError:
        return None


def _status_line(file: Path) -> int:
    try:
        lines = file.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((n for n, line in enumerate(lines, 1) if line.startswith("status:")), 1)


def menu_links(context: CheckContext) -> Iterator[Problem]:
    """Entries of site.yaml's menu that lead nowhere."""
    config = context.site.config
    try:
        lines = (context.root / "site.yaml").read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    for item in config.menu:
        target = site_path(item.url, "/", config.url)
        if target is None or context.exists(target[0]):
            continue
        line = next((n for n, text in enumerate(lines, 1) if item.url in text), 0)
        yield Problem(
            f'The menu entry "{item.title}" leads to no page of the site ({item.url}).',
            "site.yaml",
            line,
            "Correct its url in site.yaml, or add the page.",
        )


CHECKS: tuple[Check, ...] = (
    links_and_images,
    alt_text,
    heading_levels,
    link_text,
    registration_links,
    finished_events,
    pending_highlights,
    menu_links,
)
