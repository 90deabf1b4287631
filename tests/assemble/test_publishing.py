"""Publishing rules against a fixed clock: drafts, scheduled posts, order, the next change."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from markupsafe import Markup

from sitegen.assemble import PublishOptions, assemble_site
from sitegen.assemble.publishing import next_scheduled_post, published_posts
from sitegen.config import SiteConfig
from sitegen.model import Content, Post, SourceRef

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def post(slug: str, date: datetime, *, title: str = "", draft: bool = False) -> Post:
    return Post(
        source=SourceRef(f"content/posts/{slug}.md"),
        title=title or slug.replace("-", " ").title(),
        slug=slug,
        date=date,
        content=Markup("<p>Text.</p>"),
        summary=Markup("<p>Text.</p>"),
        description="Text.",
        draft=draft,
    )


def slugs(posts: tuple[Post, ...]) -> list[str]:
    return [p.slug for p in posts]


def test_drafts_are_hidden_unless_asked_for():
    posts = [post("ready", NOW - SECOND), post("unfinished", NOW - SECOND, draft=True)]
    assert slugs(published_posts(posts, PublishOptions(NOW))) == ["ready"]
    shown = published_posts(posts, PublishOptions(NOW, drafts=True))
    assert sorted(slugs(shown)) == ["ready", "unfinished"]


def test_future_posts_are_hidden_unless_asked_for():
    posts = [post("today", NOW - SECOND), post("next-week", NOW + timedelta(days=7))]
    assert slugs(published_posts(posts, PublishOptions(NOW))) == ["today"]
    assert slugs(published_posts(posts, PublishOptions(NOW, future=True))) == [
        "next-week",
        "today",
    ]


def test_a_future_draft_needs_both_options():
    posts = [post("plan", NOW + SECOND, draft=True)]
    assert published_posts(posts, PublishOptions(NOW, drafts=True)) == ()
    assert published_posts(posts, PublishOptions(NOW, future=True)) == ()
    assert slugs(published_posts(posts, PublishOptions(NOW, drafts=True, future=True))) == ["plan"]


@pytest.mark.parametrize(
    ("clock", "shown"),
    [
        (NOW - timedelta(microseconds=1), False),
        (NOW, True),
        (NOW + timedelta(microseconds=1), True),
        (NOW + timedelta(days=30), True),
    ],
    ids=["just-before", "at-its-time", "just-after", "a-month-later"],
)
def test_a_scheduled_post_goes_live_on_the_first_build_after_its_date(clock, shown):
    scheduled = post("storytime", NOW)
    assert (published_posts([scheduled], PublishOptions(clock)) != ()) is shown


def test_scheduled_time_is_compared_as_an_instant_across_time_zones():
    chicago = timezone(timedelta(hours=-6))
    # 09:00 in Chicago is 15:00 UTC: the same instant as NOW.
    scheduled = post("storytime", datetime(2026, 12, 1, 9, 0, tzinfo=chicago))
    assert published_posts([scheduled], PublishOptions(NOW - SECOND)) == ()
    assert slugs(published_posts([scheduled], PublishOptions(NOW))) == ["storytime"]


def test_next_scheduled_post_is_the_earliest_hidden_one():
    posts = [
        post("old", NOW - timedelta(days=3)),
        post("later", NOW + timedelta(days=9)),
        post("soon", NOW + timedelta(hours=2), title="Soon"),
        post("secret", NOW + timedelta(hours=1), draft=True),
    ]
    change = next_scheduled_post(posts, PublishOptions(NOW))
    assert change is not None
    assert change.when == NOW + timedelta(hours=2)
    assert change.source == SourceRef("content/posts/soon.md")
    assert '"Soon"' in change.what


def test_next_scheduled_post_counts_drafts_only_when_they_are_shown():
    posts = [post("secret", NOW + timedelta(hours=1), draft=True)]
    assert next_scheduled_post(posts, PublishOptions(NOW)) is None
    change = next_scheduled_post(posts, PublishOptions(NOW, drafts=True))
    assert change is not None and change.when == NOW + timedelta(hours=1)


def test_no_next_scheduled_post_when_nothing_waits_or_future_is_shown():
    assert next_scheduled_post([post("old", NOW - SECOND)], PublishOptions(NOW)) is None
    assert next_scheduled_post([], PublishOptions(NOW)) is None
    waiting = [post("soon", NOW + SECOND)]
    assert next_scheduled_post(waiting, PublishOptions(NOW, future=True)) is None


def test_a_post_at_exactly_now_is_not_scheduled():
    assert next_scheduled_post([post("now", NOW)], PublishOptions(NOW)) is None


def test_posts_are_newest_first():
    posts = [
        post("middle", NOW - timedelta(days=2)),
        post("newest", NOW - timedelta(days=1)),
        post("oldest", NOW - timedelta(days=3)),
    ]
    assert slugs(published_posts(posts, PublishOptions(NOW))) == ["newest", "middle", "oldest"]


def test_posts_with_the_same_date_have_a_stable_order_whatever_the_input_order():
    same = NOW - timedelta(days=1)
    posts = [
        post("b-zebra", same, title="Zebra"),
        post("a-apple", same, title="apple"),
        post("c-twin", same, title="Twin"),
        post("a-twin", same, title="Twin"),
        post("newer", NOW - SECOND),
    ]
    expected = ["newer", "a-apple", "a-twin", "c-twin", "b-zebra"]
    assert slugs(published_posts(posts, PublishOptions(NOW))) == expected
    assert slugs(published_posts(reversed(posts), PublishOptions(NOW))) == expected


def test_assemble_site_applies_the_rules_and_notes_the_next_change():
    config = SiteConfig(root=Path("/nonexistent"), title="Test", url="https://example.org/")
    content = Content(
        posts=(
            post("live", NOW - SECOND),
            post("draft", NOW - SECOND, draft=True),
            post("scheduled", NOW + timedelta(days=1)),
        )
    )
    site = assemble_site(config, content, PublishOptions(NOW))
    assert slugs(site.posts) == ["live"]
    assert site.now == NOW
    assert site.drafts_shown is False
    assert site.next_change is not None
    assert site.next_change.source.path == "content/posts/scheduled.md"
    assert [term.slug for term in site.tags] == []
    assert [archive.year for archive in site.years] == [2026]


def test_a_site_in_a_folder_gets_its_base_path_in_content_links():
    config = SiteConfig(root=Path("/nonexistent"), title="T", url="https://example.org/library/")
    linked = replace(
        post("linked", NOW - SECOND),
        content=Markup(
            '<p><a href="/about/">About</a> <img src="/images/a.png" alt="">'
            ' <a href="https://example.com/">Out</a> <a href="//cdn.example.com/x">CDN</a>'
            ' <a href="#top">Top</a></p>'
        ),
        summary=Markup('<p><a href="/about/">About</a></p>'),
    )
    site = assemble_site(config, Content(posts=(linked,)), PublishOptions(NOW))
    (shown,) = site.posts
    assert shown.content == Markup(
        '<p><a href="/library/about/">About</a> <img src="/library/images/a.png" alt="">'
        ' <a href="https://example.com/">Out</a> <a href="//cdn.example.com/x">CDN</a>'
        ' <a href="#top">Top</a></p>'
    )
    assert shown.summary == Markup('<p><a href="/library/about/">About</a></p>')
    assert site.tags == () and site.years[0].posts == (shown,)

    at_root = SiteConfig(root=Path("/nonexistent"), title="T", url="https://example.org/")
    assert assemble_site(at_root, Content(posts=(linked,)), PublishOptions(NOW)).posts == (linked,)
