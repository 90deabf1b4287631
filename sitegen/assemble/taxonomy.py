"""Tags across posts: spelling variants merged into one Term per slug, and yearly archives."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from sitegen.model import Post, Tag, Term, YearArchive


def assemble_tags(posts: Sequence[Post]) -> tuple[Term, ...]:
    """One Term per tag slug, named by its most used spelling, sorted by name.

    `posts` is newest first, and so is each term's list.
    """
    by_slug: dict[str, list[Post]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for post in posts:
        for tag in post.tags:
            by_slug[tag.slug].append(post)
            spellings[tag.slug][tag.name] += 1
    terms = [
        Term(Tag(spellings[slug].most_common(1)[0][0], slug), tuple(tagged))
        for slug, tagged in by_slug.items()
    ]
    terms.sort(key=lambda term: (term.name.casefold(), term.slug))
    return tuple(terms)


def assemble_years(posts: Sequence[Post]) -> tuple[YearArchive, ...]:
    """One archive per year that has posts, newest year first."""
    by_year: dict[int, list[Post]] = defaultdict(list)
    for post in posts:
        by_year[post.date.year].append(post)
    return tuple(YearArchive(year, tuple(by_year[year])) for year in sorted(by_year, reverse=True))
