"""Publishing rules against the build's clock: drafts, scheduled posts, the next change.

Pure functions of the content and `now`, so tests pass a fixed clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sitegen.model import Post, ScheduledChange


@dataclass(frozen=True)
class PublishOptions:
    """What the build shows: at `now`, with drafts and future posts only on request.

    A `preview` (a deploy preview) is marked so that search engines never index it.
    """

    now: datetime
    drafts: bool = False
    future: bool = False
    preview: bool = False


def is_published(post: Post, options: PublishOptions) -> bool:
    if post.draft and not options.drafts:
        return False
    return options.future or post.date <= options.now


def published_posts(posts: Iterable[Post], options: PublishOptions) -> tuple[Post, ...]:
    """The posts a visitor sees, newest first (ties broken by title, then slug)."""
    shown = [post for post in posts if is_published(post, options)]
    shown.sort(key=lambda post: (post.title.casefold(), post.slug))
    shown.sort(key=lambda post: post.date, reverse=True)
    return tuple(shown)


def next_scheduled_post(posts: Iterable[Post], options: PublishOptions) -> ScheduledChange | None:
    """The first post that will go live by itself after `now`, if the build hides it."""
    if options.future:
        return None
    waiting = [
        post for post in posts if post.date > options.now and (options.drafts or not post.draft)
    ]
    if not waiting:
        return None
    first = min(waiting, key=lambda post: post.date)
    return ScheduledChange(first.date, f'the post "{first.title}" goes live', first.source)
