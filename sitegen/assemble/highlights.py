"""Which community highlights a build publishes, and in what order.

Only `status: approved` highlights pass; pending and hidden ones never reach the Site, so no
template can show them by mistake. Pinned first, then newest first; one listing per source.
Pure: no disk, no clock.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from sitegen.highlight_model import CommunitySource, Highlight, Highlights, SourceListing


def assemble_highlights(highlights: Iterable[Highlight]) -> Highlights:
    """The approved highlights, pinned first, then newest first; undated ones last."""
    approved = [highlight for highlight in highlights if highlight.approved]
    approved.sort(key=lambda h: (h.title.casefold(), h.id))
    approved.sort(key=lambda h: h.date.timestamp() if h.date else -math.inf, reverse=True)
    approved.sort(key=lambda h: not h.pinned)
    sources: dict[str, CommunitySource] = {}
    for highlight in approved:
        if highlight.source is not None:
            sources.setdefault(highlight.source.id, highlight.source)
    by_source = tuple(
        SourceListing(
            source,
            tuple(h for h in approved if h.source is not None and h.source.id == source_id),
        )
        for source_id, source in sorted(sources.items(), key=lambda item: item[1].name.casefold())
    )
    return Highlights(approved=tuple(approved), by_source=by_source)
