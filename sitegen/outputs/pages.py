"""The HTML pages: home, post listings, posts, pages, tags, archives and the 404 page.

Each page is rendered with `site` (the whole Site), `meta` (title, description, canonical URL,
feeds: what the <head> needs) and the values of its kind, listed in the README.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from itertools import chain
from typing import Any

from sitegen import urls
from sitegen.assemble.pagination import paginate
from sitegen.model import Post, Site
from sitegen.outputs.event_pages import PageSpec, event_pages
from sitegen.outputs.files import OutputFile
from sitegen.outputs.highlight_pages import highlight_pages
from sitegen.outputs.meta import FeedLink, PageMeta
from sitegen.render.environment import Renderer
from sitegen.render.memory import KeptPlans
from sitegen.render.recording import SiteView, recording


def site_feeds(site: Site) -> tuple[FeedLink, ...]:
    return (
        FeedLink(f"{site.config.title}: news (RSS)", urls.RSS_FEED),
        FeedLink(f"{site.config.title}: news (Atom)", urls.ATOM_FEED, "application/atom+xml"),
    )


def plan_pages(site: Site, renderer: Renderer) -> list[OutputFile]:
    """Every HTML page of the site, rendered when its bytes are first needed."""
    feeds = site_feeds(site)
    view = SiteView(site)
    kept = renderer.memory.plans if renderer.memory is not None else None
    if kept is not None:
        kept.start((feeds, site.preview))  # all a post page's meta takes besides its post
    files = []
    for (template, meta, values, source), made_from in _pages(site, feeds, kept):
        files.append(page_file(renderer, template, site, meta, values, source, view, made_from))
    if kept is not None:
        kept.finish()
    return files


def page_file(
    renderer: Renderer,
    template: str,
    site: Site,
    meta: PageMeta,
    values: dict[str, Any],
    source: str,
    view: SiteView | None = None,
    made_from: tuple[Any, ...] | None = None,
) -> OutputFile:
    """A page rendered from `template` when its bytes are first needed (`view`: the Site as
    its templates see it, shared by the pages of a build).

    `made_from`: fewer values that `meta` and `values` are made from, if there are, to stand
    for them in the page's inputs (the output cache digests them for every page it keeps).
    """
    noted: set[str] = set()
    spec = (template, meta, values)
    inputs = made_from if made_from is not None else spec
    view = view if view is not None else SiteView(site)
    render = partial(render_page, renderer, view, source, noted, inputs, spec)
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
) -> bytes:
    """A page's bytes, noting in `noted` which parts of the Site the templates read."""
    memory = renderer.memory
    recalled = memory.recall(inputs) if memory is not None else None
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
        memory.remember(inputs, noted, data)
    return data


# A page, and what stands for it in its inputs if not its meta and values (see page_file).
_PlannedPage = tuple[PageSpec, tuple[Any, ...] | None]


def _pages(
    site: Site, feeds: tuple[FeedLink, ...], kept: KeptPlans | None
) -> Iterator[_PlannedPage]:
    """Every page, in the order of the site."""
    description = site.config.description
    yield from _on_site(_listing_pages(site, description), feeds, site.preview, True)
    yield from _post_pages(site, feeds, kept)
    pages = chain(
        _own_pages(site), _tag_pages(site, description), _archive_pages(site, description)
    )
    yield from _on_site(pages, feeds, site.preview, True)
    yield from _on_site(chain(event_pages(site), highlight_pages(site)), feeds, site.preview)
    meta = PageMeta(urls.NOT_FOUND, "Page not found", description, "404", noindex=True)
    yield from _on_site([("404.html", meta, {}, "the 404 page")], feeds, site.preview)


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


def _listing_pages(site: Site, description: str) -> Iterator[PageSpec]:
    per_page = site.config.per_page
    home = paginate(site.posts, per_page, urls.posts_url)[0]
    yield (
        "home.html",
        PageMeta(urls.HOME, site.config.title, description, "home"),
        {"pager": home},
        "the home page",
    )
    for pager in paginate(site.posts, per_page, urls.posts_url):
        title = "News" if pager.number == 1 else f"News, page {pager.number}"
        meta = PageMeta(pager.url, title, description, "posts")
        yield "posts.html", meta, {"pager": pager}, "the post listing"


def _own_pages(site: Site) -> Iterator[PageSpec]:
    for page in site.pages:
        meta = PageMeta(page.url, page.title, page.description, "page", image=page.image)
        yield "page.html", meta, {"page": page}, page.source.path


def _post_pages(
    site: Site, feeds: tuple[FeedLink, ...], kept: KeptPlans | None
) -> Iterator[_PlannedPage]:
    """The post pages; one whose post and neighbours are the very objects of the last build
    (the preview server's, see KeptPlans) is planned as it was."""
    posts = site.posts
    for index, post in enumerate(posts):
        newer: Post | None = posts[index - 1] if index > 0 else None
        older: Post | None = posts[index + 1] if index + 1 < len(posts) else None
        sources = (post, newer, older)
        planned = kept.get(sources) if kept is not None else None
        if planned is None:
            planned = next(_on_site([_post_page(post, newer, older)], feeds, site.preview, True))
            if kept is not None:
                kept.put(sources, planned)
        yield planned


def _post_page(post: Post, newer: Post | None, older: Post | None) -> PageSpec:
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
    return "post.html", meta, values, post.source.path


def _tag_pages(site: Site, description: str) -> Iterator[PageSpec]:
    yield "tags.html", PageMeta(urls.TAGS, "Topics", description, "tags"), {}, "the tag index"
    for term in site.tags:
        feed = FeedLink(f"{site.config.title}: {term.name} (RSS)", term.feed_url)
        for pager in paginate(term.posts, site.config.per_page, partial(urls.tag_url, term.slug)):
            title = f"Posts about {term.name}"
            if pager.number > 1:
                title += f", page {pager.number}"
            meta = PageMeta(pager.url, title, description, "tag", feeds=(feed,))
            yield "tag.html", meta, {"term": term, "pager": pager}, f"the tag {term.name}"


def _archive_pages(site: Site, description: str) -> Iterator[PageSpec]:
    yield (
        "archives.html",
        PageMeta(urls.ARCHIVE, "Archive", description, "archives"),
        {},
        ("the archive index"),
    )
    for archive in site.years:
        meta = PageMeta(archive.url, f"Posts from {archive.year}", description, "archive")
        yield "archive.html", meta, {"archive": archive}, f"the {archive.year} archive"
