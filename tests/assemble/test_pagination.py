"""Splitting listings into numbered pages: empty, exactly full, one over."""

from __future__ import annotations

import pytest

from sitegen import urls
from sitegen.assemble.pagination import paginate


def test_an_empty_listing_has_one_empty_page():
    (pager,) = paginate([], 10, urls.posts_url)
    assert pager.number == 1
    assert pager.count == 1
    assert pager.items == ()
    assert pager.url == "/posts/"
    assert pager.previous_url is None
    assert pager.next_url is None


def test_exactly_per_page_items_fit_on_one_page():
    (pager,) = paginate(list(range(10)), 10, urls.posts_url)
    assert pager.items == tuple(range(10))
    assert pager.count == 1
    assert pager.next_url is None


def test_one_item_over_per_page_makes_a_second_page():
    first, second = paginate(list(range(11)), 10, urls.posts_url)
    assert first.items == tuple(range(10))
    assert second.items == (10,)
    assert (first.number, second.number) == (1, 2)
    assert first.count == second.count == 2
    assert first.url == "/posts/"
    assert second.url == "/posts/page/2/"
    assert first.previous_url is None
    assert first.next_url == "/posts/page/2/"
    assert second.previous_url == "/posts/"
    assert second.next_url is None
    assert second.numbered_urls == ((1, "/posts/"), (2, "/posts/page/2/"))


@pytest.mark.parametrize(
    ("count", "per_page", "sizes"),
    [(1, 1, [1]), (2, 1, [1, 1]), (7, 3, [3, 3, 1]), (9, 3, [3, 3, 3])],
)
def test_every_item_lands_on_exactly_one_page_in_order(count, per_page, sizes):
    pagers = paginate(list(range(count)), per_page, urls.posts_url)
    assert [len(p.items) for p in pagers] == sizes
    assert [item for p in pagers for item in p.items] == list(range(count))
    assert all(p.urls == pagers[0].urls for p in pagers)


def test_middle_pages_link_both_ways_with_their_own_url_scheme():
    pagers = paginate(list(range(5)), 2, lambda n: urls.tag_url("book-club", n))
    middle = pagers[1]
    assert middle.url == "/tags/book-club/page/2/"
    assert middle.previous_url == "/tags/book-club/"
    assert middle.next_url == "/tags/book-club/page/3/"
