"""Splitting a listing into numbered pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sitegen.model import Pager


def paginate(items: Sequence[Any], per_page: int, url_for: Callable[[int], str]) -> list[Pager]:
    """Pagers for `items`, `per_page` each; an empty listing still has one (empty) page."""
    count = page_count(items, per_page)
    page_urls = pager_urls(count, url_for)
    return [
        Pager(number, count, page_items(items, per_page, number), page_urls)
        for number in range(1, count + 1)
    ]


def page_count(items: Sequence[Any], per_page: int) -> int:
    """How many pages `items` take, `per_page` each: at least one."""
    return max(1, -(-len(items) // per_page))


def page_items(items: Sequence[Any], per_page: int, number: int) -> tuple[Any, ...]:
    """The items on page `number` (from 1)."""
    return tuple(items[(number - 1) * per_page : number * per_page])


def pager_urls(count: int, url_for: Callable[[int], str]) -> tuple[str, ...]:
    """The URLs of a listing's `count` pages."""
    return tuple(url_for(number) for number in range(1, count + 1))
