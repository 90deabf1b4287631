"""`sitegen fetch`: community highlight feeds → highlight files in content/highlights/.

The only part of sitegen that uses the network. All sources are fetched at once (http.py,
within limits), parsed (parse.py), cleaned and filtered (clean.py), then merged into the
files one source after another (store.py): `auto` sources first, so an entry a trusted
source shares too is published. A source that fails keeps every entry it had.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sitegen import __version__, untrusted
from sitegen.config import HighlightSource, SiteConfig
from sitegen.errors import Problem, SiteError
from sitegen.fetch.addresses import AddressPolicy
from sitegen.fetch.clean import Selection, select_entries
from sitegen.fetch.http import Client, FetchError, Limits
from sitegen.fetch.parse import parse_feed
from sitegen.fetch.raw import FeedError
from sitegen.fetch.report import (
    FAILED,
    FETCHED,
    NOT_MODIFIED,
    FetchReport,
    SourceReport,
)
from sitegen.fetch.state import FetchState, SourceState
from sitegen.fetch.store import HighlightStore, Planned, SourceCounts
from sitegen.fields import suggest

__all__ = ["AddressPolicy", "Client", "FetchReport", "Limits", "fetch_highlights", "make_client"]

FEED_ACCEPT = (
    "application/feed+json, application/atom+xml, application/rss+xml, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.1"
)
IMAGE_ACCEPT = "image/jpeg, image/png, image/gif, image/webp"
NO_SOURCES = (
    "There are no highlight sources in site.yaml, so there is nothing to fetch. Add feeds "
    "under highlights: sources: (see Community highlights in the README)."
)


@dataclass
class _Outcome:
    """What fetching one source gave, before anything is written."""

    result: str
    reason: str = ""
    selection: Selection = field(default_factory=lambda: Selection(()))
    etag: str = ""
    last_modified: str = ""
    notes: list[str] = field(default_factory=list)


def make_client(config: SiteConfig, limits: Limits | None = None) -> Client:
    """The client fetch uses: the site named in User-Agent, addresses as site.yaml allows."""
    site = config.url.encode("ascii", "ignore").decode("ascii")
    return Client(
        user_agent=f"sitegen/{__version__} (community highlights for {site})",
        limits=limits or Limits(),
        policy=AddressPolicy(config.highlights.allow_private_addresses),
    )


def fetch_highlights(
    config: SiteConfig,
    *,
    only: Iterable[str] = (),
    now: datetime | None = None,
    client: Client | None = None,
) -> FetchReport:
    """Fetch every source (or those in `only`), write new and changed entries, report."""
    started = time.monotonic()
    now = now or datetime.now(UTC)
    client = client or make_client(config)
    sources = _chosen(config.highlights.sources, tuple(only))
    if not sources:
        return FetchReport((), notes=(NO_SOURCES,))
    folder = config.content_dir / "highlights"
    state = FetchState.load(folder)
    outcomes = _download_all(client, sources, state, started)
    store = HighlightStore(folder, state, config.timezone, now)
    counts: dict[str, SourceCounts] = {}
    for source in sorted(sources, key=lambda s: s.trust != "auto"):
        outcome = outcomes[source.id]
        if outcome.result == FETCHED:
            counts[source.id] = store.plan(source, outcome.selection.entries)
    planned = [item for c in counts.values() for item in c.planned]
    _fetch_images(client, store, planned, started)
    for item in planned:
        store.write(item)
    _record(state, sources, outcomes, counts, now)
    state.save(folder)
    reports = tuple(_report(s, outcomes[s.id], counts.get(s.id), store) for s in sources)
    pending = sum(1 for item in planned if item.source.trust == "review" and not item.decisions)
    notes = (state.problem,) if state.problem else ()
    return FetchReport(reports, pending, time.monotonic() - started, notes)


def _chosen(sources: tuple[HighlightSource, ...], only: tuple[str, ...]) -> list[HighlightSource]:
    known = {source.id: source for source in sources}
    unknown = [source_id for source_id in only if source_id not in known]
    if unknown:
        raise SiteError(
            [
                Problem(
                    f'"{source_id}" is not a highlight source in site.yaml.'
                    + suggest(source_id, known),
                    hint="Sources: " + (", ".join(known) or "none yet"),
                )
                for source_id in unknown
            ]
        )
    return [known[source_id] for source_id in dict.fromkeys(only)] if only else list(sources)


def _download_all(
    client: Client, sources: list[HighlightSource], state: FetchState, started: float
) -> dict[str, _Outcome]:
    total_deadline = started + client.limits.total_seconds
    workers = max(1, min(client.limits.parallel, len(sources)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
        futures = {
            source.id: pool.submit(
                _download, client, source, state.source(source.id), total_deadline
            )
            for source in sources
        }
        return {source_id: future.result() for source_id, future in futures.items()}


def _download(
    client: Client, source: HighlightSource, known: SourceState, total_deadline: float
) -> _Outcome:
    """Fetch and parse one source; every failure becomes an outcome, never an exception."""
    deadline = min(time.monotonic() + client.limits.source_seconds, total_deadline)
    same_url = known.url == source.url
    try:
        if time.monotonic() >= total_deadline:
            raise FetchError("the whole fetch ran out of time before this source")
        response = client.get(
            source.url,
            deadline=deadline,
            accept=FEED_ACCEPT,
            etag=known.etag if same_url else "",
            last_modified=known.last_modified if same_url else "",
        )
        if response.not_modified:
            return _Outcome(NOT_MODIFIED)
        feed = parse_feed(response.body, response.content_type, response.url)
    except (FetchError, FeedError) as exc:
        return _Outcome(FAILED, untrusted.plain_text(str(exc), 300))
    except Exception as exc:  # one source's surprise must not cost the others their fetch
        return _Outcome(FAILED, f"sitegen hit an unexpected error ({type(exc).__name__})")
    selection = select_entries(feed.entries, source)
    notes = [untrusted.plain_text(w, 200) for w in feed.warnings]
    if not feed.entries:
        notes.append("the feed has no entries right now")
    return _Outcome(
        FETCHED,
        selection=selection,
        etag=_header(response.headers.get("etag", "")),
        last_modified=_header(response.headers.get("last-modified", "")),
        notes=notes,
    )


def _header(value: str) -> str:
    # Only what can go back in a request header: printable ASCII, a sane length.
    return value if value.isascii() and value.isprintable() and len(value) < 200 else ""


def _fetch_images(
    client: Client, store: HighlightStore, planned: list[Planned], started: float
) -> None:
    """Download each new entry's image once, in parallel; keep it only if it really is a
    JPEG, PNG, GIF or WebP within the size cap. An image that fails is left out."""
    wanted = {item.entry.image_url for item in planned if item.entry.image_url and not item.image}
    if not wanted:
        return
    total_deadline = started + client.limits.total_seconds

    def download(url: str) -> tuple[bytes, str] | None:
        deadline = min(time.monotonic() + client.limits.source_seconds, total_deadline)
        try:
            response = client.get(
                url,
                deadline=deadline,
                accept=IMAGE_ACCEPT,
                max_bytes=client.limits.max_image_bytes,
            )
        except FetchError:
            return None
        kind = untrusted.image_kind(response.body)
        return (response.body, kind) if kind else None

    workers = max(1, min(client.limits.parallel, len(wanted)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="image") as pool:
        results = dict(zip(sorted(wanted), pool.map(download, sorted(wanted)), strict=True))
    stored = {url: store.store_image(url, *result) for url, result in results.items() if result}
    for item in planned:
        if not item.image and item.entry.image_url in stored:
            item.image = stored[item.entry.image_url]


def _record(
    state: FetchState,
    sources: list[HighlightSource],
    outcomes: dict[str, _Outcome],
    counts: dict[str, SourceCounts],
    now: datetime,
) -> None:
    """Remember the validators of good fetches, when a source last brought something new,
    and since when a failing source fails. A fetch that changes nothing changes no value."""
    stamp = now.isoformat(timespec="seconds")
    for source in sources:
        outcome = outcomes[source.id]
        known = state.source(source.id)
        if outcome.result == FAILED:
            if not known.failing_since:
                known.failing_since = stamp
            known.last_error = outcome.reason
            continue
        known.failing_since = known.last_error = ""
        if outcome.result == FETCHED:
            known.url, known.etag, known.last_modified = (
                source.url,
                outcome.etag,
                outcome.last_modified,
            )
            done = counts.get(source.id)
            if done is not None and (done.new or done.updated):
                known.changed = stamp


def _report(
    source: HighlightSource, outcome: _Outcome, counts: SourceCounts | None, store: HighlightStore
) -> SourceReport:
    on_disk = store.count(source.id)
    notes = list(outcome.notes)
    new = updated = 0
    if counts is not None:
        new, updated = counts.new, counts.updated
        selection = outcome.selection
        for number, words in (
            (selection.filtered, "left out by include/exclude keywords"),
            (selection.over_limit, f"older than the newest {source.max_entries} (max_entries)"),
            (selection.without_link, "without an http(s) link, left out"),
            (counts.kept_edited, "edited by staff, left as they are"),
            (counts.kept_hidden, "hidden by staff, left hidden"),
            (counts.removed_by_staff, "deleted by staff, not brought back"),
            (counts.from_other_source, "already on the site from another source"),
        ):
            if number:
                notes.append(f"{number} {words}")
    reason = outcome.reason
    if outcome.result == FAILED and source.url:
        reason = f"{reason} ({untrusted.plain_text(source.url, 100)})"
    return SourceReport(
        id=source.id,
        name=source.name,
        result=outcome.result,
        reason=reason,
        new=new,
        updated=updated,
        kept=max(0, on_disk - new - updated),
        notes=tuple(notes),
    )
