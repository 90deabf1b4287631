"""Items given the site's base path: each copy made once for the very item, kept for the next
build while it is the same object (the preview server's read cache gives such items back)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from markupsafe import Markup
from test_publishing import NOW, post

from sitegen.assemble.base_path import BasePathCopies


def linked(slug: str):  # type: ignore[no-untyped-def]
    return replace(
        post(slug, NOW - timedelta(days=1)),
        content=Markup(f'<p><a href="/posts/{slug}/">x</a></p>'),
        summary=Markup('<p><a href="/about/">About</a></p>'),
    )


def test_a_copy_has_the_base_path_and_is_made_once_per_build_and_item() -> None:
    copies = BasePathCopies()
    item = linked("a")
    copies.start()
    first = copies.copy(item, "/library")
    assert first.content == Markup('<p><a href="/library/posts/a/">x</a></p>')
    assert first.summary == Markup('<p><a href="/library/about/">About</a></p>')
    assert copies.copy(item, "/library") is first
    assert list(copies.made()) == [(item, first)]


def test_the_next_build_gets_the_same_copy_only_for_the_very_same_item() -> None:
    copies = BasePathCopies()
    kept, edited = linked("a"), linked("b")
    copies.start()
    first = copies.copy(kept, "/library")
    edited_copy = copies.copy(edited, "/library")

    copies.start()
    assert copies.copy(kept, "/library") is first
    read_again = copies.copy(linked("b"), "/library")  # equal, but another object
    assert read_again == edited_copy and read_again is not edited_copy
    assert copies.copy(kept, "/other").content == Markup('<p><a href="/other/posts/a/">x</a></p>')


def test_copies_no_build_used_are_dropped() -> None:
    copies = BasePathCopies()
    item = linked("a")
    copies.start()
    first = copies.copy(item, "/library")
    copies.start()  # a build without the item
    copies.start()
    assert copies.copy(item, "/library") is not first
