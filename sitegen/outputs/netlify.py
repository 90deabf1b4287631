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
    if not site.preview:
        return []
    headers = "# A preview: never indexed.\n/*\n  X-Robots-Tag: noindex\n"
    files = [OutputFile(HEADERS_FILE, headers.encode(), source="the preview headers")]
    redirects = preview_redirects(site)
    if redirects:
        text = "".join(f"{old} {new} 302\n" for old, new in redirects)
        files.append(OutputFile(REDIRECTS_FILE, text.encode(), source="the preview redirects"))
    return files


def preview_redirects(site: Site) -> list[tuple[str, str]]:
    """(file address, real address) of each post whose file name is not its slug."""
    base = site.config.base_path
    pairs = []
    for post in site.posts:
        stem = PurePosixPath(post.source.path).stem
        if stem not in (post.slug, "index") and urls.is_slug(stem):
            pairs.append((base + urls.post_url(stem), base + post.url))
    return pairs
