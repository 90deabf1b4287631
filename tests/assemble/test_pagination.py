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


def page_numbers(pager):
    return [None if link is None else link[0] for link in pager.nearby_urls]


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        (1, [1, 2, 3, None, 400]),
        (4, [1, 2, 3, 4, 5, 6, None, 400]),
        (5, [1, 2, 3, 4, 5, 6, 7, None, 400]),  # page 2 linked, not hidden behind "…"
        (6, [1, None, 4, 5, 6, 7, 8, None, 400]),
        (200, [1, None, 198, 199, 200, 201, 202, None, 400]),
        (396, [1, None, 394, 395, 396, 397, 398, 399, 400]),
        (400, [1, None, 398, 399, 400]),
    ],
)
def test_a_long_listing_links_the_ends_and_the_nearby_pages(number, shown):
    pager = paginate(list(range(4000)), 10, urls.posts_url)[number - 1]
    assert page_numbers(pager) == shown
    for link in pager.nearby_urls:
        if link is not None:
            assert link[1] == pager.urls[link[0] - 1]


@pytest.mark.parametrize("count", range(1, 30))
def test_every_page_links_a_bounded_number_of_pages_in_order(count):
    for pager in paginate(list(range(count)), 1, urls.posts_url):
        numbers = [n for n in page_numbers(pager) if n is not None]
        assert numbers == sorted(set(numbers))
        assert {1, count, pager.number} <= set(numbers)
        assert len(pager.nearby_urls) <= 9
        if count <= 5:
            assert numbers == list(range(1, count + 1))  # short listings: every page
