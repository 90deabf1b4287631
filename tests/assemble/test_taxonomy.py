"""Tags merged across spellings, and yearly archives, from posts built in memory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from markupsafe import Markup

from sitegen import urls
from sitegen.assemble.taxonomy import assemble_tags, assemble_years
from sitegen.model import Post, SourceRef, Tag

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def tag(name: str) -> Tag:
    return Tag(name, urls.slugify(name))


def post(slug: str, date: datetime, *tags: str) -> Post:
    return Post(
        source=SourceRef(f"content/posts/{slug}.md"),
        title=slug,
        slug=slug,
        date=date,
        content=Markup(""),
        summary=Markup(""),
        description="",
        tags=tuple(tag(name) for name in tags),
    )


def test_spelling_variants_of_a_tag_merge_into_one_term():
    posts = [
        post("third", NOW - timedelta(days=1), "Book Club"),
        post("second", NOW - timedelta(days=2), "book  club"),
        post("first", NOW - timedelta(days=3), "BOOK CLUB"),
    ]
    terms = assemble_tags(posts)
    assert len(terms) == 1
    (term,) = terms
    assert term.slug == "book-club"
    assert term.url == "/tags/book-club/"
    assert term.feed_url == "/tags/book-club/feed.xml"
    assert [p.slug for p in term.posts] == ["third", "second", "first"]
    assert term.name in {"Book Club", "book  club", "BOOK CLUB"}


def test_a_merged_term_is_named_by_its_most_used_spelling():
    posts = [
        post("c", NOW - timedelta(days=1), "BOOK CLUB"),
        post("b", NOW - timedelta(days=2), "Book Club"),
        post("a", NOW - timedelta(days=3), "Book Club"),
    ]
    (term,) = assemble_tags(posts)
    assert term.name == "Book Club"


def test_terms_are_sorted_by_name_and_keep_posts_newest_first():
    posts = [
        post("new", NOW - timedelta(days=1), "teens", "Art"),
        post("old", NOW - timedelta(days=5), "Art", "Zines"),
    ]
    terms = assemble_tags(posts)
    assert [t.name for t in terms] == ["Art", "teens", "Zines"]
    art = terms[0]
    assert [p.slug for p in art.posts] == ["new", "old"]


def test_no_posts_no_terms_and_no_archives():
    assert assemble_tags([]) == ()
    assert assemble_years([]) == ()


def test_yearly_archives_newest_year_first_with_their_posts():
    posts = [
        post("dec-2026", datetime(2026, 12, 1, tzinfo=UTC)),
        post("jan-2026", datetime(2026, 1, 2, tzinfo=UTC)),
        post("dec-2025", datetime(2025, 12, 31, 23, 0, tzinfo=UTC)),
        post("may-2023", datetime(2023, 5, 1, tzinfo=UTC)),
    ]
    years = assemble_years(posts)
    assert [archive.year for archive in years] == [2026, 2025, 2023]
    assert [p.slug for p in years[0].posts] == ["dec-2026", "jan-2026"]
    assert [p.slug for p in years[1].posts] == ["dec-2025"]
    assert years[2].url == "/archive/2023/"


def test_a_post_belongs_to_the_year_of_its_own_local_date():
    chicago = timezone(timedelta(hours=-6))
    # 23:30 on New Year's Eve in Chicago is already 2027 in UTC.
    eve = post("eve", datetime(2026, 12, 31, 23, 30, tzinfo=chicago))
    assert [archive.year for archive in assemble_years([eve])] == [2026]
