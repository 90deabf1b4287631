"""The published posts of the last build, brought up to date after a few posts changed.

For the preview server: after a one-post edit, the posts a visitor sees are the last build's
with the edited post taken out and its new version sorted in, instead of every post checked
against the clock and sorted again. The result is always what published_posts and
next_scheduled_post give; whenever that is not plainly so (other options, the clock gone back
or past a scheduled post, posts added, deleted or read in another order, two posts that sort
alike, dates in more than one time zone or in the clock's own) they are simply called.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from sitegen.assemble.publishing import (
    PublishOptions,
    is_published,
    next_scheduled_post,
    published_posts,
)
from sitegen.model import Post, ScheduledChange


@dataclass(frozen=True)
class Published:
    """What the publishing rules made of some posts at `options.now`."""

    options: PublishOptions
    content: tuple[Post, ...]  # every post read, in the order read
    posts: tuple[Post, ...]  # the published ones, newest first
    next_post: ScheduledChange | None
    # The earliest date after `now` of any post read since the rules last ran on every post:
    # until then no post goes live or stops being in the future by itself.
    horizon: datetime | None
    # The time zone of every post's date, if they share one. Dates in one zone compare by
    # their wall-clock time (an hour that happens twice is not told apart), and with the clock,
    # in another zone, by the moment they stand for: both as the rules compare them.
    zone: tzinfo | None
    # The posts taken out or put in since the last build's, if made from its result (else None).
    changed: tuple[Post, ...] | None = None


def publish(content: tuple[Post, ...], options: PublishOptions) -> Published:
    """The publishing rules run on every post."""
    posts = published_posts(content, options)
    later = [post.date for post in content if post.date > options.now]
    horizon = min(later, key=lambda date: date.astimezone(UTC)) if later else None
    zones = {id(post.date.tzinfo) for post in content}
    zone = content[0].date.tzinfo if len(zones) == 1 else None
    next_post = next_scheduled_post(content, options)
    return Published(options, content, posts, next_post, horizon, zone)


def republish(
    last: Published | None, content: tuple[Post, ...], options: PublishOptions
) -> Published:
    """What `publish` gives, from the `last` result where only a few posts were replaced."""
    changed = _replaced(last, content, options)
    if last is None or changed is None:
        return publish(content, options)
    old = [last.content[index] for index in changed]
    new = [content[index] for index in changed]
    next_post = last.next_post
    if any(_waiting(post, options) for post in (*old, *new)):
        next_post = next_scheduled_post(content, options)
    posts = _resorted(last, old, new, options)
    if posts is None:
        return publish(content, options)
    later = [post.date for post in new if post.date > options.now]
    horizon = min([*later, *([last.horizon] if last.horizon else [])], key=_utc, default=None)
    return Published(options, content, posts, next_post, horizon, last.zone, (*old, *new))


def _replaced(
    last: Published | None, content: tuple[Post, ...], options: PublishOptions
) -> list[int] | None:
    """Where `content` holds other posts than the last build's, if that is all that changed
    and the rules give the same answer for every other post; else None."""
    if last is None or len(content) != len(last.content) or last.zone is None:
        return None
    if options.now.tzinfo is last.zone:
        return None  # the rules would compare wall-clock times, not moments
    rules = last.options
    if (rules.drafts, rules.future, rules.preview) != (
        options.drafts,
        options.future,
        options.preview,
    ):
        return None
    now = _utc(options.now)
    if now < _utc(rules.now) or (last.horizon is not None and now >= _utc(last.horizon)):
        return None
    pairs = enumerate(zip(last.content, content, strict=True))
    changed = [index for index, (a, b) in pairs if a is not b]
    if any(content[index].date.tzinfo is not last.zone for index in changed):
        return None
    return changed


def _waiting(post: Post, options: PublishOptions) -> bool:
    """Whether next_scheduled_post counts `post`."""
    return not options.future and post.date > options.now and (options.drafts or not post.draft)


def _resorted(
    last: Published, old: list[Post], new: list[Post], options: PublishOptions
) -> tuple[Post, ...] | None:
    """The last published posts without `old`, with the published of `new` sorted in; None
    where the order would depend on the order read (two posts alike) or on time zones."""
    gone = {id(post) for post in old}  # alive in last.content: no other post has their ids
    posts = [post for post in last.posts if id(post) not in gone]
    for post in new:
        if not is_published(post, options):
            continue
        index = _place(posts, post)
        if index is None:
            return None
        posts.insert(index, post)
    return tuple(posts)


def _place(posts: list[Post], post: Post) -> int | None:
    """Where `post` goes among `posts` (newest first, then by title and slug, as
    published_posts sorts them), or None if a post sorts exactly alike."""
    key = (post.title.casefold(), post.slug)
    low, high = 0, len(posts)
    while low < high:
        middle = (low + high) // 2
        other = posts[middle]
        if other.date > post.date or (
            other.date == post.date and (other.title.casefold(), other.slug) < key
        ):
            low = middle + 1
        else:
            high = middle
    if low < len(posts):
        other = posts[low]
        if other.date == post.date and (other.title.casefold(), other.slug) == key:
            return None
    return low


def _utc(date: datetime) -> datetime:
    return date.astimezone(UTC)
