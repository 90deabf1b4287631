"""Absolute links (canonical, Open Graph, feeds) are what urljoin makes of the site's URL and
a path, including the paths the quick way of making them leaves to urljoin."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import write_files

from sitegen import urls
from sitegen.config import load_config
from sitegen.render.environment import Renderer
from sitegen.render.themes import load_theme

PATHS = [
    "/",
    "/posts/book-sale/",
    "/tags/book-club/feed.xml",
    "/images/a.b.jpg",
    "posts/x/",
    "/a/../b/",
    "/a/./b",
    "/posts//x",
    "//elsewhere.example/x",
    "/search?q=1",
    "/page#top",
    "/x;params",
    "https://other.example/",
    "mailto:desk@library.example",
    "/caf%C3%A9/",
]


@pytest.mark.parametrize("base", ["https://library.example.org/", "https://x.example/branch/"])
def test_absolute_urls_are_what_urljoin_makes(tmp_path: Path, base: str) -> None:
    root = write_files(tmp_path / "site", f"-- site.yaml --\ntitle: T\nurl: {base}\n")
    config = load_config(root)
    renderer = Renderer(load_theme(config), config, "/assets/")
    for path in PATHS:
        assert renderer.absolute_url(path) == urljoin(config.url, path.lstrip("/")), path


@pytest.mark.parametrize(
    "base",
    [
        "https://library.example.org/",
        "https://x.example/branch/",
        "https://x.example/branch",
        "https://x.example/?q=1",
        "https://x.example/#top",
    ],
)
def test_the_quick_join_is_what_urljoin_makes(base: str) -> None:
    """urls.absolute, which the renderer and the sitemap use, for any site address."""
    for path in PATHS:
        relative = path.lstrip("/")
        assert urls.absolute(base, relative) == urljoin(base, relative), (base, path)
