"""Planning pages as files: each page rendered when its bytes are first needed, and, for the
preview server, pages planned from the very objects of its last build kept with their files.

PagePlanner takes groups of pages, each made from some objects (a run of posts, one page of a
listing, a tag, a year): a group made from the very objects of the last build keeps its
files, rendered bytes and all, while what their templates read of the Site is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from operator import is_
from typing import Any

from sitegen import urls
from sitegen.model import Post, Site
from sitegen.outputs.event_pages import PageSpec
from sitegen.outputs.files import OutputFile
from sitegen.outputs.meta import FeedLink, PageMeta, site_feeds
from sitegen.render.environment import Renderer
from sitegen.render.memory import Rendered
from sitegen.render.recording import SiteView, TermView, recording


@dataclass
class PlannedPages:
    """The site's pages, and their output paths as they are and casefolded, in order."""

    files: list[OutputFile] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    folded: list[str] = field(default_factory=list)


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


# A page, and what stands for it in its inputs if not its meta and values (see page_file).
PlannedPage = tuple[PageSpec, tuple[Any, ...] | None]


@dataclass(slots=True)
class _Planned:
    """A page as planned, the file made of it, and what its templates read once rendered."""

    page: PlannedPage
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


class PagePlanner:
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
        make: Callable[..., Iterable[PlannedPage]],
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

    def post_runs(self, runs: list[PostRun], make: MakePostPage) -> None:
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
        and is made from their values and the settings alone (see on_site_pages)."""
        feeds, preview = self.feeds, self.site.preview
        self.group(sources, key, lambda *items: on_site_pages(make(*items), feeds, preview, True))

    def fresh(self, pages: Iterable[PlannedPage]) -> None:
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
        make: MakePostPage,
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
        self, make: Callable[..., Iterable[PlannedPage]], sources: tuple[Any, ...]
    ) -> _Group:
        return self._new_group(make(*sources))

    def _new_group(self, pages: Iterable[PlannedPage]) -> _Group:
        return _group([self._new(page) for page in pages])

    def _add(self, group: _Group) -> None:
        planned = self.planned
        planned.files.extend(group.files)
        planned.paths.extend(group.paths)
        planned.folded.extend(group.folded)

    def _new(self, page: PlannedPage) -> _Planned:
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


def on_site_pages(
    pages: Iterable[PageSpec],
    feeds: tuple[FeedLink, ...],
    preview: bool,
    meta_from_values: bool = False,
) -> Iterator[PlannedPage]:
    """The pages with the site's feeds in their meta. With `meta_from_values`, each page's
    meta is made from its values and the settings alone, which then stand for it in its
    inputs (see page_file)."""
    for template, meta, values, source in pages:
        spec = (template, meta.on_site(feeds, preview), values, source)
        # The values by position: a template's values always come under the same names.
        made_from = (
            (template, *map(_standing_for, values.values()), feeds, preview)
            if meta_from_values
            else None
        )
        yield spec, made_from


def _standing_for(value: Any) -> Any:
    """What stands for a page's value in its inputs: a tag as its pages see it, for its tag
    (what else of it a template reads is noted, see TermView)."""
    return value.tag if type(value) is TermView else value


def _is_post_run(key: Hashable) -> bool:
    return isinstance(key, tuple) and key[0] == "post run"


# A run of posts with the posts around it, and whether it starts with the newest post and
# ends with the oldest.
PostRun = tuple[tuple[Post, ...], bool, bool]
MakePostPage = Callable[[Post, Post | None, Post | None], list[PlannedPage]]


def _run_pages(
    make: MakePostPage, first: bool, last: bool, neighbours: tuple[Post, ...]
) -> Iterator[tuple[PlannedPage, tuple[Post, Post | None, Post | None]]]:
    """The pages of a run of posts, given with the posts around it: none before the site's
    newest post (`first`), none after its oldest (`last`); each with its post and neighbours."""
    padded = ((None,) if first else ()) + neighbours + ((None,) if last else ())
    for index in range(1, len(padded) - 1):
        post = padded[index]
        assert post is not None
        sources = (post, padded[index - 1], padded[index + 1])
        for page in make(*sources):
            yield page, sources
