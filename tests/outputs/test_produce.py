"""Making every page on several cores gives the same site, and errors keep their location."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import NOW, file_tree, write_files

from sitegen.build import build_site
from sitegen.outputs import produce

SITE = "".join(
    f"""
-- content/posts/2026-0{1 + n % 9}-1{n % 9}-post-{n}.md --
---
title: "Post {n}"
date: 2026-0{1 + n % 9}-1{n % 9}
tags: [news, topic-{n % 4}]
---
Post number {n}.
"""
    for n in range(15)
)


@pytest.fixture
def in_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(produce, "MIN_PENDING", 1)
    monkeypatch.setattr(produce, "_CHUNK", 2)
    monkeypatch.setattr(produce, "can_fork", lambda: True)
    monkeypatch.setenv("SITEGEN_WORKERS", "2")


def test_pages_made_in_worker_processes_are_the_same(tmp_path: Path, monkeypatch) -> None:
    root = write_files(tmp_path / "site", SITE)
    build_site(root, now=NOW, out=root / "one-core")
    monkeypatch.setattr(produce, "MIN_PENDING", 1)
    monkeypatch.setattr(produce, "_CHUNK", 2)
    monkeypatch.setattr(produce, "can_fork", lambda: True)
    monkeypatch.setenv("SITEGEN_WORKERS", "2")
    pools: list[str] = []
    real_context = produce.fork_context

    def spying():  # type: ignore[no-untyped-def]
        pools.append("fork")
        return real_context()

    monkeypatch.setattr(produce, "fork_context", spying)
    build_site(root, now=NOW, out=root / "two-cores")
    assert pools == ["fork"]
    assert file_tree(root / "two-cores") == file_tree(root / "one-core")


@pytest.mark.usefixtures("in_parallel")
def test_a_template_error_in_a_worker_names_the_template_line(tmp_path: Path) -> None:
    root = write_files(
        tmp_path / "site",
        SITE
        + """
-- themes/default/templates/post.html --
{% extends "base.html" %}
{% block content %}
{{ post.missing.deeper }}
{% endblock %}
""",
    )
    result = build_site(root, now=NOW)
    assert not result.written
    (problem,) = result.problems
    assert problem.path == "themes/default/templates/post.html"
    assert problem.line == 3
    assert problem.hint.startswith("(while rendering content/posts/")


@pytest.mark.usefixtures("in_parallel")
def test_a_template_error_while_pages_stream_to_the_writer_changes_nothing(
    tmp_path: Path,
) -> None:
    root = write_files(tmp_path / "site", SITE)
    assert build_site(root, now=NOW, cache=True).written
    before = file_tree(root / "public")
    post = root / "themes/default/templates/post.html"
    post.parent.mkdir(parents=True)
    post.write_text('{% extends "base.html" %}{% block content %}{{ 1 // 0 }}{% endblock %}')

    result = build_site(root, now=NOW, cache=True)

    assert not result.written
    assert "ZeroDivisionError" in result.problems[0].message
    assert file_tree(root / "public") == before
    assert [p.name for p in root.iterdir() if "sitegen-staging" in p.name] == []
