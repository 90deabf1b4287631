"""Compiled templates are reused within a process, but never across site settings that the
filters depend on (Jinja bakes `'/' | url` into the compiled code)."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from conftest import NOW, write_files

from sitegen.build import build_site

SITE = """
-- content/posts/2026-01-05-hello.md --
---
title: Hello
date: 2026-01-05
---
Hello.
"""


def home_link(out: Path) -> str:
    soup = BeautifulSoup((out / "404.html").read_text(encoding="utf-8"), "html.parser")
    return str(soup.select_one("header a[href]")["href"])


def test_a_second_site_in_the_same_process_gets_its_own_links(tmp_path: Path) -> None:
    root = write_files(tmp_path / "site", SITE)
    build_site(root, now=NOW, out=root / "at-root")
    config = root / "site.yaml"
    config.write_text(
        config.read_text().replace(
            "https://library.example.org/", "https://library.example.org/branch/"
        )
    )
    build_site(root, now=NOW, out=root / "in-a-folder")
    assert home_link(root / "at-root") == "/"
    assert home_link(root / "in-a-folder") == "/branch/"
