"""OutputFile's copies keep every field the change does not name."""

from __future__ import annotations

import dataclasses

from sitegen.outputs.files import OutputFile


def _file() -> OutputFile:
    return OutputFile(
        "posts/a/index.html",
        source="content/posts/a.md",
        produce=lambda: b"x",
        inputs=("post.html",),
        noted={"menu"},
    )


def test_a_file_with_its_content_is_the_file_made() -> None:
    file = _file()
    made = file.with_content(b"<p>A</p>")
    assert vars(made) == vars(dataclasses.replace(file, content=b"<p>A</p>", produce=None))
    assert made.noted is file.noted  # notes taken while making it stay with it


def test_a_kept_file_is_the_copy_of_the_old_one() -> None:
    file = _file()
    kept = file.kept_at("/site/public/posts/a/index.html", {"year"})
    expected = dataclasses.replace(
        file, copy_from="/site/public/posts/a/index.html", produce=None, noted={"year"}
    )
    assert vars(kept) == vars(expected)
