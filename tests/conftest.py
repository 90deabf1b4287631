"""Shared test helpers: tiny sites written inline, built with a fixed clock, parsed output.

A site is one string of files, each introduced by a line `-- path --` (txtar, as Hugo's tests
do), so a test reads on one screen.
"""

from __future__ import annotations

import re
import textwrap
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitegen.build import BuildResult, build_site
from sitegen.readers.markdown import MarkdownRenderer
from sitegen.serve import BACKGROUND_RENDER_THREAD

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
_FILE_HEADER = re.compile(r"^-- (.+?) --$", re.MULTILINE)

MINIMAL_CONFIG = """\
title: Test Library
url: https://library.example.org/
timezone: America/Chicago
"""


def write_files(root: Path, files: str) -> Path:
    """Write a txtar-style string of files under `root`; a missing site.yaml gets a minimal one."""
    text = textwrap.dedent(files)
    parts = _FILE_HEADER.split(text)
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        path = root / name.strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body.lstrip("\n"), encoding="utf-8")
    if not (root / "site.yaml").exists():
        (root / "site.yaml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    return root


def file_tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by its relative path, with its bytes: two builds compared."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


class BuiltSite:
    """A built site in a temporary folder, with helpers to read what a visitor gets."""

    def __init__(self, root: Path, result: BuildResult) -> None:
        self.root = root
        self.result = result
        self.out = result.output_dir or root / "public"

    @property
    def problems(self) -> list[str]:
        return [problem.format() for problem in self.result.problems]

    def file(self, path: str) -> Path:
        return self.out / path

    def exists(self, path: str) -> bool:
        return (self.out / path).is_file()

    def text(self, path: str) -> str:
        return (self.out / path).read_text(encoding="utf-8")

    def html(self, path: str) -> BeautifulSoup:
        return BeautifulSoup(self.text(path), "html.parser")


@pytest.fixture
def make_site(tmp_path: Path):
    """make_site(files, **build options) → BuiltSite, built at NOW unless `now` is given."""

    def make(files: str, **options) -> BuiltSite:
        root = write_files(tmp_path / "site", files)
        options.setdefault("now", NOW)
        return BuiltSite(root, build_site(root, **options))

    return make


@pytest.fixture
def markdown_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the documents Python-Markdown renders (not taken from a cache)."""
    calls: list[str] = []
    original = MarkdownRenderer._render

    def counting(self, text, path, line):  # type: ignore[no-untyped-def]
        calls.append(path)
        return original(self, text, path, line)

    monkeypatch.setattr(MarkdownRenderer, "_render", counting)
    return calls


@pytest.fixture(autouse=True)
def background_renders_end_with_their_test() -> Iterator[None]:
    """A preview server renders the rest of each build in a thread, after a pause; one left
    by a test must not render while the next one counts renders."""
    yield
    for thread in threading.enumerate():
        if thread.name == BACKGROUND_RENDER_THREAD:
            thread.join(timeout=30)
