"""Tags across posts: spelling variants merged into one Term per slug, and yearly archives.

For the preview server, the tags and archives of posts of which a few changed are also made
from the last ones (retag, refile): only the tags and years of the changed posts again.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Container, Sequence
from operator import is_

from sitegen.model import Post, Tag, Term, YearArchive

# Where each post is among the published posts, by its id (see places).
Places = dict[int, int]


def assemble_tags(posts: Sequence[Post]) -> tuple[Term, ...]:
    """One Term per tag slug, named by its most used spelling, sorted by name.

    `posts` is newest first, and so is each term's list.
    """
    return _sorted_terms(_terms(posts, None))


def assemble_years(posts: Sequence[Post]) -> tuple[YearArchive, ...]:
    """One archive per year that has posts, newest year first."""
    return _sorted_years(_years(posts, None))


def retag(terms: Sequence[Term], posts: Places, changed: Collection[Post]) -> tuple[Term, ...]:
    """What assemble_tags gives for the posts at `posts` (see places), where `terms` is what
    it gave for the posts before and `changed` the posts taken out or put in since: the other
    tags are kept as they were."""
    slugs = {tag.slug for post in changed for tag in post.tags}
    touched = [term.posts for term in terms if term.slug in slugs]
    fresh = _terms(_present(posts, touched, changed), slugs)
    return _sorted_terms([term for term in terms if term.slug not in slugs] + fresh)


def refile(
    years: Sequence[YearArchive], posts: Places, changed: Collection[Post]
) -> tuple[YearArchive, ...]:
    """What assemble_years gives for the posts at `posts`, as retag does for tags."""
    numbers = {post.date.year for post in changed}
    touched = [year.posts for year in years if year.year in numbers]
    fresh = _years(_present(posts, touched, changed), numbers)
    return _sorted_years([year for year in years if year.year not in numbers] + fresh)


def same_posts(a: Sequence[Post], b: Sequence[Post]) -> bool:
    """Whether two lists hold the very same posts in the same order."""
    return len(a) == len(b) and all(map(is_, a, b))


def places(posts: Sequence[Post]) -> Places:
    """Where each post is in `posts`, by its id (for retag and refile)."""
    return {id(post): index for index, post in enumerate(posts)}


def _present(
    posts: Places, touched: list[tuple[Post, ...]], changed: Collection[Post]
) -> list[Post]:
    """The posts of `touched` lists and `changed` that are among `posts`, in their order."""
    place = posts
    found = {id(post): post for group in (*touched, changed) for post in group}
    return sorted((post for key, post in found.items() if key in place), key=lambda p: place[id(p)])


def _terms(posts: Sequence[Post], slugs: Container[str] | None) -> list[Term]:
    by_slug: dict[str, list[Post]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for post in posts:
        for tag in post.tags:
            if slugs is None or tag.slug in slugs:
                by_slug[tag.slug].append(post)
                spellings[tag.slug][tag.name] += 1
    return [
        Term(Tag(spellings[slug].most_common(1)[0][0], slug), tuple(tagged))
        for slug, tagged in by_slug.items()
    ]


def _sorted_terms(terms: list[Term]) -> tuple[Term, ...]:
    terms.sort(key=lambda term: (term.name.casefold(), term.slug))
    return tuple(terms)


def _years(posts: Sequence[Post], numbers: Container[int] | None) -> list[YearArchive]:
    by_year: dict[int, list[Post]] = defaultdict(list)
    for post in posts:
        if numbers is None or post.date.year in numbers:
            by_year[post.date.year].append(post)
    return [YearArchive(year, tuple(posts)) for year, posts in by_year.items()]


def _sorted_years(years: list[YearArchive]) -> tuple[YearArchive, ...]:
    return tuple(sorted(years, key=lambda archive: archive.year, reverse=True))
