"""News feeds made with feedgen: RSS 2.0 and Atom for posts, and RSS per tag.

Every URL in a feed is absolute, links inside post content included, and entries carry
their full content so feed readers show the whole post.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache, partial
from itertools import islice
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from sitegen import urls
from sitegen.model import Post, Site
from sitegen.outputs.files import OutputFile

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

FEED_SIZE = 20
# XML 1.0 forbids these characters; feedgen (lxml) raises on them instead of dropping them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def plan_feeds(site: Site) -> list[OutputFile]:
    """The site's post feeds and one RSS feed per tag (made when their bytes are asked for)."""
    newest = _public(site, site.posts)
    files = [
        _feed_file(site, newest, urls.RSS_FEED, partial(_rss, site, newest, urls.RSS_FEED)),
        _feed_file(site, newest, urls.ATOM_FEED, partial(_atom, site, newest, urls.ATOM_FEED)),
    ]
    for term in site.tags:
        posts = _public(site, term.posts)
        make = partial(_rss, site, posts, term.feed_url, term.name, term.url)
        files.append(_feed_file(site, posts, term.feed_url, make, term.name))
    return files


def _rss(
    site: Site, posts: Sequence[Post], feed_url: str, topic: str = "", page_url: str = urls.HOME
) -> bytes:
    return bytes(_post_feed(site, posts, feed_url, topic, page_url=page_url).rss_str())


def _atom(site: Site, posts: Sequence[Post], feed_url: str) -> bytes:
    return bytes(_post_feed(site, posts, feed_url).atom_str())


def _public(site: Site, posts: Sequence[Post]) -> Sequence[Post]:
    """The newest posts for a feed: never drafts or future posts, even in a preview build."""
    public = (post for post in posts if not post.draft and post.date <= site.now)
    return list(islice(public, FEED_SIZE))


def _feed_file(
    site: Site, posts: Sequence[Post], url: str, make: Callable[[], bytes], topic: str = ""
) -> OutputFile:
    # The clock only shows in a feed with no posts (as its date).
    inputs = (url, topic, tuple(posts), None if posts else site.now)
    return OutputFile(urls.output_path(url), source=f"the feed {url}", produce=make, inputs=inputs)


def absolute_links(html: str, base: str) -> str:
    """Rewrite site-relative links ("/posts/x/") in HTML to absolute ones."""
    return urls.prefix_links(html, base)


def xml_text(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def new_feed(
    site: Site, feed_url: str, page_url: str, title: str, description: str
) -> FeedGenerator:
    """A feed with the channel settings every sitegen feed shares; entries are added after."""
    # Imported here: feedgen and lxml are a tenth of a rebuild's imports, and a rebuild
    # that keeps every feed as the last build wrote it makes none.
    from feedgen.feed import FeedGenerator

    home = site.config.url
    generator = FeedGenerator()
    generator.id(urljoin(home, feed_url.lstrip("/")))
    generator.title(xml_text(title))
    # feedgen uses the last link as the RSS <channel><link>: the page the feed belongs to.
    generator.link(href=urljoin(home, feed_url.lstrip("/")), rel="self")
    generator.link(href=urljoin(home, page_url.lstrip("/")), rel="alternate")
    generator.description(xml_text(description))
    generator.language(site.config.language)
    generator.generator("sitegen", uri="https://pypi.org/project/sitegen/")
    return generator


def _post_feed(
    site: Site, posts: Sequence[Post], feed_url: str, topic: str = "", page_url: str = urls.HOME
) -> FeedGenerator:
    config = site.config
    home = config.url
    title = f"{config.title}: {topic}" if topic else config.title
    description = config.description or f"News from {config.title}"
    generator = new_feed(site, feed_url, page_url, title, description)
    generator.author({"name": xml_text(config.title)})
    generator.updated(max((post.modified for post in posts), default=site.now))
    # Links in post content already carry the site's base path (see assemble).
    origin = home.removesuffix(config.base_path + "/")
    for post in posts:
        _add_entry(generator, post, home, origin)
    return generator


@lru_cache(maxsize=256)
def _entry_html(html: str, origin: str) -> str:
    """A post's HTML as a feed carries it. Remembered: the newest posts are in the news feeds
    (RSS and Atom) and in the feed of each of their tags, and a post's text is long."""
    return xml_text(absolute_links(str(html), origin))


def _add_entry(generator: FeedGenerator, post: Post, home: str, origin: str) -> None:
    link = urljoin(home, post.url.lstrip("/"))
    entry = generator.add_entry(order="append")
    entry.id(link)
    entry.guid(link, permalink=True)
    entry.title(xml_text(post.title))
    entry.link(href=link)
    entry.published(post.date)
    entry.updated(post.modified)
    entry.description(_entry_html(post.summary, origin))
    entry.content(_entry_html(post.content, origin), type="html")
    for author in post.authors:
        entry.author({"name": xml_text(author)})
    for tag in post.tags:
        entry.category(term=tag.slug, label=xml_text(tag.name))
