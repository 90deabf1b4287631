"""The HTML pages: home, post listings, posts, pages, tags, archives and the 404 page.

Each page is rendered with `site` (the whole Site), `meta` (title, description, canonical URL,
feeds: what the <head> needs) and the values of its kind, listed in the README. In the preview
server, pages planned from the very objects of its last build keep their files (see _Planner).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, partial
from operator import is_
from typing import Any

from sitegen import urls
from sitegen.assemble.pagination import page_count, page_items, pager_urls, paginate
from sitegen.model import Page, Pager, Post, Site, Term, YearArchive
from sitegen.outputs.event_pages import PageSpec, event_pages
from sitegen.outputs.files import OutputFile
from sitegen.outputs.highlight_pages import highlight_pages
from sitegen.outputs.meta import FeedLink, PageMeta
from sitegen.render.environment import Renderer
from sitegen.render.memory import Rendered
from sitegen.render.recording import SiteView, recording


def site_feeds(site: Site) -> tuple[FeedLink, ...]:
    return (
        FeedLink(f"{site.config.title}: news (RSS)", urls.RSS_FEED),
        FeedLink(f"{site.config.title}: news (Atom)", urls.ATOM_FEED, "application/atom+xml"),
    )


@dataclass
class PlannedPages:
    """The site's pages, and their output paths as they are and casefolded, in order."""

    files: list[OutputFile] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    folded: list[str] = field(default_factory=list)


def plan_pages(site: Site, renderer: Renderer) -> PlannedPages:
    """Every HTML page of the site, rendered when its bytes are first needed."""
    planner = _Planner(site, renderer)
    _pages(site, planner)
    planner.finish()
    return planner.planned


def page_file(
    renderer: Renderer,
    template: str,
    site: Site,
    meta: PageMeta,
    values: dict[str, Any],
    source: str,
    view: SiteView | None = None,
    made_from: tuple[Any, ...] | None = None,
    rendered: Rendered | None = None,
) -> OutputFile:
    """A page rendered from `template` when its bytes are first needed (`view`: the Site as
    its templates see it, shared by the pages of a build).

    `made_from`: fewer values that `meta` and `values` are made from, if there are, to stand
    for them in the page's inputs (the output cache digests them for every page it keeps).
    `rendered` is told what the templates read, once the page is rendered.
    """
    noted: set[str] = set()
    spec = (template, meta, values)
    inputs = made_from if made_from is not None else spec
    view = view if view is not None else SiteView(site)
    render = partial(render_page, renderer, view, source, noted, inputs, spec, rendered)
    return OutputFile(
        urls.output_path(meta.url), source=source, produce=render, inputs=inputs, noted=noted
    )


def render_page(
    renderer: Renderer,
    view: SiteView,
    source: str,
    noted: set[str],
    inputs: tuple[Any, ...],
    spec: tuple[str, PageMeta, dict[str, Any]],
    rendered: Rendered | None = None,
) -> bytes:
    """A page's bytes, noting in `noted` which parts of the Site the templates read."""
    memory = renderer.memory
    recalled = memory.recall(inputs, rendered) if memory is not None else None
    if recalled is not None:
        data, names = recalled
        noted.update(names)
        return data
    template, meta, values = spec
    context = {"site": view, "meta": meta, **values}
    noted.clear()
    with recording(noted):
        data = renderer.render(template, context, source).encode("utf-8")
    if memory is not None:
        memory.remember(inputs, noted, data, rendered)
    return data


# Posts in a run of post pages (see _post_pages).
RUN = 64

# A page, and what stands for it in its inputs if not its meta and values (see page_file).
_PlannedPage = tuple[PageSpec, tuple[Any, ...] | None]


@dataclass(slots=True)
class _Planned:
    """A page as planned, the file made of it, and what its templates read once rendered."""

    page: _PlannedPage
    file: OutputFile
    rendered: Rendered | None


@dataclass(slots=True)
class _Group:
    """The pages planned from the same objects, and their output paths (the same as long as
    the group is kept: only a page's file is made again)."""

    pages: list[_Planned]
    files: list[OutputFile]
    paths: tuple[str, ...]
    folded: tuple[str, ...]


class _Planner:
    """One build's plan of its pages. For the preview server (see KeptPlans), pages are planned
    in groups by what they are made from, and a group made from the very objects of the last
    build is planned as it was: its pages keep their files, rendered bytes and all, while what
    their templates read of the Site is unchanged (BuildMemory.still_true)."""

    def __init__(self, site: Site, renderer: Renderer) -> None:
        self.site, self.renderer, self.feeds = site, renderer, site_feeds(site)
        self.view = SiteView(site)
        self.planned = PlannedPages()
        self.memory = renderer.memory
        self.kept = self.memory.plans if self.memory is not None else None
        if self.memory is not None and self.kept is not None:
            # All a page takes besides its group's objects: the site's feeds and the preview
            # flag, the settings, the theme and sitegen itself (the build digest).
            self.kept.start((self.feeds, site.preview, self.memory.salt))

    def group(
        self,
        sources: tuple[Any, ...],
        key: Hashable,
        make: Callable[..., Iterable[_PlannedPage]],
    ) -> None:
        """Plan the pages `make(*sources)` gives, made from `sources` (kept by identity) and
        `key` (plain values: the pages' numbers, a tag's name)."""
        if self.kept is None:
            self._add(self._new_group(make(*sources)))
            return
        group, kept = self.kept.plan(sources, key, self._new_pages, make, sources)
        if kept:
            self._again(group)
        self._add(group)

    def post_runs(self, runs: list[_Run], make: _MakePostPage) -> None:
        """Plan the pages of runs of posts, each given with the posts around it (see
        _run_pages): a run is kept whole while they are the very same objects; in a run with
        a post changed, a page whose post and neighbours are still the very same is kept."""
        if self.kept is None:
            for neighbours, first, last in runs:
                pages = _run_pages(make, first, last, neighbours)
                self._add(self._new_group(page for page, _ in pages))
            return
        found = [self.kept.get(run[0], ("post run", *run[1:])) for run in runs]
        earlier: dict[int, _Planned] | None = None  # made at the first run not kept
        for (neighbours, first, last), group in zip(runs, found, strict=True):
            if group is None:
                earlier = self._unused_post_pages() if earlier is None else earlier
                group = _group(self._run(make, first, last, neighbours, earlier))
                self.kept.put(neighbours, ("post run", first, last), group)
            else:
                self._again(group)
            self._add(group)

    def on_site(
        self, sources: tuple[Any, ...], key: Hashable, make: Callable[..., Iterable[PageSpec]]
    ) -> None:
        """As group, for pages whose meta takes the site's feeds and preview flag as it is,
        and is made from their values and the settings alone (see _on_site)."""
        feeds, preview = self.feeds, self.site.preview
        self.group(sources, key, lambda *items: _on_site(make(*items), feeds, preview, True))

    def fresh(self, pages: Iterable[_PlannedPage]) -> None:
        """Plan pages anew, as in every build."""
        self._add(self._new_group(pages))

    def finish(self) -> None:
        if self.kept is not None:
            self.kept.finish()

    def _again(self, group: _Group) -> None:
        """The pages of a kept group: each keeps its file while it is still true."""
        assert self.memory is not None
        still_true = self.memory.still_true
        checked, verdict = None, False  # pages of a kind mostly share one `done` (Rendered)
        for index, page in enumerate(group.pages):
            done = page.rendered.done if page.rendered is not None else None
            if done is not checked:
                checked, verdict = done, done is not None and still_true(done)
            if not verdict:
                group.pages[index] = again = self._new(page.page)
                group.files[index] = again.file

    def _run(
        self,
        make: _MakePostPage,
        first: bool,
        last: bool,
        neighbours: tuple[Post, ...],
        earlier: dict[int, _Planned],
    ) -> list[_Planned]:
        planned = []
        for page, sources in _run_pages(make, first, last, neighbours):
            kept = earlier.get(id(sources[0]))
            made_from = kept.page[1] if kept is not None else None
            if kept is None or made_from is None or not all(map(is_, made_from[1:4], sources)):
                planned.append(self._new(page))
            else:
                planned.append(self._still(kept))
        return planned

    def _still(self, page: _Planned) -> _Planned:
        """A page of the last build as it was if still true, else planned again."""
        assert self.memory is not None and page.rendered is not None
        done = page.rendered.done
        return page if done is not None and self.memory.still_true(done) else self._new(page.page)

    def _unused_post_pages(self) -> dict[int, _Planned]:
        """The last build's post pages in runs this build has not kept, by post."""
        assert self.kept is not None
        runs = self.kept.unused(_is_post_run)
        return {id(page.page[1][1]): page for run in runs for page in run.pages}

    def _new_pages(
        self, make: Callable[..., Iterable[_PlannedPage]], sources: tuple[Any, ...]
    ) -> _Group:
        return self._new_group(make(*sources))

    def _new_group(self, pages: Iterable[_PlannedPage]) -> _Group:
        return _group([self._new(page) for page in pages])

    def _add(self, group: _Group) -> None:
        planned = self.planned
        planned.files.extend(group.files)
        planned.paths.extend(group.paths)
        planned.folded.extend(group.folded)

    def _new(self, page: _PlannedPage) -> _Planned:
        (template, meta, values, source), made_from = page
        rendered = Rendered() if self.memory is not None else None
        file = page_file(
            self.renderer, template, self.site, meta, values, source, self.view, made_from, rendered
        )
        return _Planned(page, file, rendered)


def _group(pages: list[_Planned]) -> _Group:
    files = [page.file for page in pages]
    paths = tuple(file.output_path for file in files)
    return _Group(pages, files, paths, tuple(map(str.casefold, paths)))


def _pages(site: Site, planner: _Planner) -> None:
    """Every page, in the order of the site."""
    description = site.config.description
    feeds, preview = planner.feeds, site.preview
    _listing_pages(site, description, planner)
    _post_pages(site, feeds, planner)
    for page in site.pages:
        planner.on_site((page,), "page", _own_page)
    _tag_pages(site, description, planner)
    _archive_pages(site, description, planner)
    planner.fresh(_on_site(event_pages(site), feeds, preview))
    planner.fresh(_on_site(highlight_pages(site), feeds, preview))
    meta = PageMeta(urls.NOT_FOUND, "Page not found", description, "404", noindex=True)
    planner.on_site((), "404", _one_page("404.html", meta, "the 404 page"))


def _one_page(template: str, meta: PageMeta, source: str) -> Callable[..., list[PageSpec]]:
    """What plans a page without values of its own, whatever it is kept with."""
    return lambda *_: [(template, meta, {}, source)]


def _on_site(
    pages: Iterable[PageSpec],
    feeds: tuple[FeedLink, ...],
    preview: bool,
    meta_from_values: bool = False,
) -> Iterator[_PlannedPage]:
    """The pages with the site's feeds in their meta. With `meta_from_values`, each page's
    meta is made from its values and the settings alone, which then stand for it in its
    inputs (see page_file)."""
    for template, meta, values, source in pages:
        spec = (template, meta.on_site(feeds, preview), values, source)
        # The values by position: a template's values always come under the same names.
        made_from = (template, *values.values(), feeds, preview) if meta_from_values else None
        yield spec, made_from


def _listing_pages(site: Site, description: str, planner: _Planner) -> None:
    """The home page and the numbered post listings, each kept while its posts are."""
    per_page, posts = site.config.per_page, site.posts
    count = page_count(posts, per_page)
    page_urls = cache(partial(pager_urls, count, urls.posts_url))
    for number in range(count + 1):  # 0: the home page, with the first page's posts
        items = page_items(posts, per_page, max(number, 1))
        make = partial(_listing_page, site, description, number, count, page_urls)
        planner.on_site(items, ("listing", number, count), make)


def _listing_page(
    site: Site,
    description: str,
    number: int,
    count: int,
    page_urls: Callable[[], tuple[str, ...]],
    *items: Post,
) -> list[PageSpec]:
    pager = Pager(max(number, 1), count, items, page_urls())
    if number == 0:
        meta = PageMeta(urls.HOME, site.config.title, description, "home")
        return [("home.html", meta, {"pager": pager}, "the home page")]
    title = "News" if number == 1 else f"News, page {number}"
    meta = PageMeta(pager.url, title, description, "posts")
    return [("posts.html", meta, {"pager": pager}, "the post listing")]


def _own_page(page: Page) -> list[PageSpec]:
    meta = PageMeta(page.url, page.title, page.description, "page", image=page.image)
    return [("page.html", meta, {"page": page}, page.source.path)]


def _post_pages(site: Site, feeds: tuple[FeedLink, ...], planner: _Planner) -> None:
    """The post pages, in runs of posts, each run kept while its posts and their neighbours
    are the very same objects (a page a post, each with its own key, was most of a preview
    plan at 4,000 posts)."""
    posts = site.posts
    runs = [
        (posts[max(start - 1, 0) : start + RUN + 1], start == 0, start + RUN >= len(posts))
        for start in range(0, len(posts), RUN)
    ]
    planner.post_runs(runs, partial(_post_page, feeds=feeds, preview=site.preview))


def _is_post_run(key: Hashable) -> bool:
    return isinstance(key, tuple) and key[0] == "post run"


# A run of posts with the posts around it, and whether it starts with the newest post and
# ends with the oldest.
_Run = tuple[tuple[Post, ...], bool, bool]
_MakePostPage = Callable[[Post, Post | None, Post | None], list[_PlannedPage]]


def _run_pages(
    make: _MakePostPage, first: bool, last: bool, neighbours: tuple[Post, ...]
) -> Iterator[tuple[_PlannedPage, tuple[Post, Post | None, Post | None]]]:
    """The pages of a run of posts, given with the posts around it: none before the site's
    newest post (`first`), none after its oldest (`last`); each with its post and neighbours."""
    padded = ((None,) if first else ()) + neighbours + ((None,) if last else ())
    for index in range(1, len(padded) - 1):
        post = padded[index]
        assert post is not None
        sources = (post, padded[index - 1], padded[index + 1])
        for page in make(*sources):
            yield page, sources


def _post_page(
    post: Post,
    newer: Post | None,
    older: Post | None,
    *,
    feeds: tuple[FeedLink, ...],
    preview: bool,
) -> list[_PlannedPage]:
    meta = PageMeta(
        post.url,
        post.title,
        post.description,
        "post",
        type="article",
        image=post.image,
        published=post.date,
        modified=post.modified,
    )
    values = {"post": post, "newer": newer, "older": older}
    # Its meta is made from its values (the post and its neighbours) and the settings alone.
    return list(_on_site([("post.html", meta, values, post.source.path)], feeds, preview, True))


def _tag_pages(site: Site, description: str, planner: _Planner) -> None:
    """The tag index, then each tag's pages, kept while the tag is the last build's (see
    KeptParts: made of the very same posts)."""
    index = PageMeta(urls.TAGS, "Topics", description, "tags")
    # Kept with the very tags (see KeptParts): after an edit of a tagged post, the index is
    # planned again at once, not checked against a digest of every tag first.
    planner.on_site(site.tags, "tags", _one_page("tags.html", index, "the tag index"))
    make = partial(_term_pages, site, description)
    for term in site.tags:
        planner.on_site((term,), "tag", make)


def _term_pages(site: Site, description: str, term: Term) -> Iterator[PageSpec]:
    feed = FeedLink(f"{site.config.title}: {term.name} (RSS)", term.feed_url)
    for pager in paginate(term.posts, site.config.per_page, partial(urls.tag_url, term.slug)):
        title = f"Posts about {term.name}"
        if pager.number > 1:
            title += f", page {pager.number}"
        meta = PageMeta(pager.url, title, description, "tag", feeds=(feed,))
        yield "tag.html", meta, {"term": term, "pager": pager}, f"the tag {term.name}"


def _archive_pages(site: Site, description: str, planner: _Planner) -> None:
    """The archive index, then a page a year, kept while the year is the last build's."""
    index = PageMeta(urls.ARCHIVE, "Archive", description, "archives")
    planner.on_site(site.years, "archives", _one_page("archives.html", index, "the archive index"))
    make = partial(_archive_page, description)
    for archive in site.years:
        planner.on_site((archive,), "archive", make)


def _archive_page(description: str, archive: YearArchive) -> list[PageSpec]:
    meta = PageMeta(archive.url, f"Posts from {archive.year}", description, "archive")
    return [("archive.html", meta, {"archive": archive}, f"the {archive.year} archive")]
