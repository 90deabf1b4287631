"""Files Netlify reads from the published folder, for preview builds only.

A preview (`sitegen build --preview`, used by deploy previews) shows drafts and scheduled
posts, so search engines must never index it: `_headers` sends `X-Robots-Tag: noindex` for
every path. `_redirects` lets the web editor's preview links, which name a post by its file
("/posts/2026-12-01-book-sale/"), reach the post's real address. Production builds get neither:
netlify.toml holds the headers every deploy shares.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from sitegen import urls
from sitegen.model import Site
from sitegen.outputs.files import OutputFile

HEADERS_FILE = "_headers"
REDIRECTS_FILE = "_redirects"


def plan_netlify_files(site: Site) -> list[OutputFile]:
    """A preview's _headers and _redirects, each after the site's own from static/ if any."""
    if not site.preview:
        return []
    headers = "# A preview: never indexed.\n/*\n  X-Robots-Tag: noindex\n"
    files = [_with_static(site, HEADERS_FILE, headers, "the preview headers")]
    redirects = "".join(f"{old} {new} 302\n" for old, new in preview_redirects(site))
    if redirects or (site.config.static_dir / REDIRECTS_FILE).is_file():
        files.append(_with_static(site, REDIRECTS_FILE, redirects, "the preview redirects"))
    return files


def _with_static(site: Site, name: str, text: str, source: str) -> OutputFile:
    """`text` after the site's own static/NAME: Netlify reads one file of each."""
    own = site.config.static_dir / name
    if own.is_file():
        text = own.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text
    return OutputFile(name, text.encode(), source=source)


def preview_redirects(site: Site) -> list[tuple[str, str]]:
    """(file address, real address) of each post whose file name is not its slug."""
    base = site.config.base_path
    pairs = []
    for post in site.posts:
        stem = PurePosixPath(post.source.path).stem
        if stem not in (post.slug, "index") and urls.is_slug(stem):
            pairs.append((base + urls.post_url(stem), base + post.url))
    return pairs
