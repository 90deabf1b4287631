"""Files for crawlers: sitemap.xml (every HTML page) and robots.txt pointing at it."""

from __future__ import annotations

from functools import partial
from html import escape
from urllib.parse import urljoin

from sitegen import urls
from sitegen.model import Site
from sitegen.outputs.files import OutputFile


def plan_crawler_files(site: Site, html_paths: list[str]) -> list[OutputFile]:
    return [_sitemap(site, html_paths), _robots(site)]


def _sitemap(site: Site, html_paths: list[str]) -> OutputFile:
    make = partial(_sitemap_bytes, site, list(html_paths))
    return OutputFile("sitemap.xml", source="the sitemap", produce=make)


def _sitemap_bytes(site: Site, html_paths: list[str]) -> bytes:
    modified = {urls.output_path(post.url): post.modified for post in site.posts}
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for path in sorted(html_paths):
        if path == urls.output_path(urls.NOT_FOUND):
            continue
        url = path.removesuffix("index.html")
        location = escape(urls.absolute(site.config.url, url), quote=False)
        lines.append(f"  <url><loc>{location}</loc>")
        if path in modified:
            lines.append(f"    <lastmod>{modified[path].date().isoformat()}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def _robots(site: Site) -> OutputFile:
    sitemap = urljoin(site.config.url, urls.SITEMAP.lstrip("/"))
    text = f"User-agent: *\nDisallow:\n\nSitemap: {sitemap}\n"
    return OutputFile("robots.txt", text.encode("utf-8"), source="robots.txt")
