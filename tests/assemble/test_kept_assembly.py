"""What the preview server keeps of the last build's assembly (PageMemory.parts): the posts a
visitor sees, brought up to date after posts are replaced, are always what the publishing
rules give on every post, and so are the tags and archives made from them. In memory, with
random posts, replacements and clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from sitegen.assemble.kept import KeptParts
from sitegen.assemble.kept_posts import Published, publish, republish
from sitegen.assemble.publishing import PublishOptions
from sitegen.assemble.taxonomy import assemble_tags, assemble_years
from sitegen.model import Post, SourceRef, Tag

CHICAGO = ZoneInfo("America/Chicago")
# Around the night the clocks go back, so some dates are an hour that happens twice.
START = datetime(2026, 11, 1, 0, 30, tzinfo=CHICAGO)
TITLES = ("Book Sale", "book sale", "Story Time", "Seed Swap")
# Spellings of one tag, and posts in two years.
TAGS = (
    Tag("Books", "books"),
    Tag("books", "books"),
    Tag("Garden", "garden"),
    Tag("Zines", "zines"),
)


def post(
    number: int,
    title: str,
    hours: int,
    fold: int,
    draft: bool,
    utc: bool,
    tags: tuple[Tag, ...] = (),
) -> Post:
    date = (START + timedelta(minutes=30 * hours)).replace(fold=fold)
    if hours == 4:
        date = date.replace(year=2025)
    if utc:
        date = date.astimezone(UTC)
    return Post(
        source=SourceRef(f"content/posts/post-{number}.md"),
        title=title,
        slug=f"post-{number % 2}",  # some slugs alike, so some posts sort exactly alike
        date=date,
        content=Markup(""),
        summary=Markup(""),
        description="",
        draft=draft,
        tags=tags,
    )


posts = st.builds(
    post,
    st.integers(0, 5),
    st.sampled_from(TITLES),
    st.integers(0, 4),
    st.integers(0, 1),
    st.booleans(),
    st.booleans() | st.just(False),
    st.lists(st.sampled_from(TAGS), max_size=3).map(tuple),
)
# A build: which posts are replaced by new ones, and how far the clock moved (in minutes).
builds = st.tuples(st.lists(st.tuples(st.integers(0, 9), posts), max_size=2), st.integers(-30, 60))


def same(got: Published, expected: Published) -> bool:
    return (
        got.posts == expected.posts
        and got.next_post == expected.next_post
        and all(a is b for a, b in zip(got.posts, expected.posts, strict=True))
    )


@settings(max_examples=400, deadline=None)
@example(  # a clock in the posts' zone compares wall-clock times, which may go back
    first=[post(1, "Book Sale", 1, 1, False, False), post(0, "Story Time", 2, 0, True, False)],
    later=[([], -16), ([], 1)],
    drafts=False,
    future=False,
    clock=CHICAGO,
)
@given(
    first=st.lists(posts, min_size=1, max_size=10),
    later=st.lists(builds, max_size=6),
    drafts=st.booleans(),
    future=st.booleans(),
    clock=st.sampled_from([UTC, CHICAGO]),  # the server's is in UTC; a test's may not be
)
def test_the_kept_posts_are_always_what_the_rules_give(first, later, drafts, future, clock):
    now = (START + timedelta(minutes=45)).astimezone(clock)
    content = tuple(first)
    kept = republish(None, content, PublishOptions(now, drafts, future))
    for replaced, minutes in later:
        now += timedelta(minutes=minutes)
        items = list(content)
        for index, item in replaced:
            items[index % len(items)] = item
        content = tuple(items)
        options = PublishOptions(now, drafts, future)
        kept = republish(kept, content, options)
        assert same(kept, publish(content, options))


@settings(max_examples=300, deadline=None)
@given(first=st.lists(posts, min_size=1, max_size=10), later=st.lists(builds, max_size=6))
def test_the_kept_tags_and_archives_are_always_what_assembling_gives(first, later):
    parts = KeptParts()
    now = (START + timedelta(minutes=45)).astimezone(UTC)
    content = tuple(first)
    for replaced, minutes in [([], 0), *later]:
        now += timedelta(minutes=minutes)
        items = list(content)
        for index, item in replaced:
            items[index % len(items)] = item
        content = tuple(items)
        posts = parts.published(content, PublishOptions(now)).posts
        terms, years = parts.taxonomy(posts)
        assert terms == assemble_tags(posts)
        assert years == assemble_years(posts)


def test_an_edited_title_is_sorted_in_without_checking_every_post_again():
    options = PublishOptions(datetime(2026, 11, 2, tzinfo=UTC))
    content = tuple(post(n, "Story Time", n, 0, False, False) for n in range(4))
    last = publish(content, options)
    edited = (*content[:2], post(2, "Book Sale", 2, 0, False, False), content[3])
    again = republish(last, edited, options)
    assert [p.title for p in again.posts] == ["Story Time", "Book Sale", "Story Time", "Story Time"]
    assert again.posts[0] is last.posts[0] and again.posts[2:] == last.posts[2:]
