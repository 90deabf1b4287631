"""Splitting a listing into numbered pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sitegen.model import Pager


def paginate(items: Sequence[Any], per_page: int, url_for: Callable[[int], str]) -> list[Pager]:
    """Pagers for `items`, `per_page` each; an empty listing still has one (empty) page."""
    count = max(1, -(-len(items) // per_page))
    page_urls = tuple(url_for(number) for number in range(1, count + 1))
    return [
        Pager(number, count, tuple(items[(number - 1) * per_page : number * per_page]), page_urls)
        for number in range(1, count + 1)
    ]
