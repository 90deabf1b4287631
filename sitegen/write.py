"""Writing the built site: into a staging folder first, then swapped in.

This is the only module that deletes anything. It replaces an output folder only if sitegen
made it (a marker file says so) or it is empty, and refuses the site folder itself, any
folder above it, and content/, static/ and themes/. A failed build changes nothing.
"""

from __future__ import annotations

import filecmp
import os
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from sitegen.errors import Problem, SiteError
from sitegen.outputs.files import OutputFile

MARKER = ".sitegen-output"
_MARKER_TEXT = "This folder is made by sitegen build and replaced on every build.\n"
_PROTECTED = ("content", "static", "themes")


def check_output_folder(out: Path, root: Path) -> None:
    """Raise SiteError if sitegen must not replace `out` for the site at `root`."""
    out, root = out.resolve(), root.resolve()
    reason = ""
    if root.is_relative_to(out):
        reason = "it is the site folder or a folder above it"
    for name in _PROTECTED:
        if out.is_relative_to(root / name):
            reason = f"it is inside the site's {name}/ folder"
    if not reason and out.exists():
        if not out.is_dir():
            reason = "it is a file, not a folder"
        elif not (out / MARKER).is_file() and any(out.iterdir()):
            reason = f"it already holds files that sitegen did not make (no {MARKER} file)"
    if reason:
        raise SiteError(
            Problem(
                f"sitegen will not write the site to {out}: {reason}, and writing there "
                "would delete what is in it.",
                hint="Choose another folder with --out, or `output:` in site.yaml "
                "(the usual one is: output: public).",
            )
        )


def write_site(files: Iterable[OutputFile], out: Path, root: Path) -> int:
    """Write `files` to `out` via a staging folder and a swap; return how many were written."""
    check_output_folder(out, root)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    staging = _sibling(out, "staging")
    staging.mkdir()  # fails rather than reuse a folder that is already there
    try:
        # Marked first, so the folder of a build that was killed is known as sitegen's.
        (staging / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        previous = out if (out / MARKER).is_file() else None
        count = _write_files(files, staging, previous)
        _swap(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return count


def _sibling(out: Path, kind: str) -> Path:
    """A fresh name beside `out`; the random part keeps it off anything already there."""
    return out.parent / f".{out.name}.sitegen-{kind}-{os.getpid()}-{secrets.token_hex(4)}"


def _write_files(files: Iterable[OutputFile], staging: Path, previous: Path | None) -> int:
    made: set[Path] = {staging}
    count = 0
    for file in files:
        relative = safe_output_path(file)
        target = staging / relative
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if previous is not None and _unchanged(file, previous / relative):
            # The same bytes as last time: link the old file in, so its date and inode stay
            # and deploy tools that compare files see nothing new.
            os.link(previous / relative, target)
        elif file.copy_from is not None:
            shutil.copyfile(file.copy_from, target)
        else:
            target.write_bytes(file.data())
        count += 1
    return count


def _unchanged(file: OutputFile, old: Path) -> bool:
    try:
        if old.is_symlink() or not old.is_file():
            return False
        if file.copy_from is not None:
            if old.stat().st_size != file.copy_from.stat().st_size:
                return False
            return filecmp.cmp(old, file.copy_from, shallow=False)
        data = file.data()
        return old.stat().st_size == len(data) and old.read_bytes() == data
    except OSError:
        return False


def safe_output_path(file: OutputFile) -> PurePosixPath:
    """The file's relative path, or SiteError if it could land outside the output folder."""
    path = PurePosixPath(file.output_path)
    if (
        not file.output_path
        or path.is_absolute()
        or "\\" in file.output_path
        or "\0" in file.output_path
        or any(part in ("..", ".", "") for part in file.output_path.split("/"))
    ):
        raise SiteError(
            Problem(
                f'The output path "{file.output_path}" would leave the output folder.',
                file.source,
                hint="Slugs may hold only letters, digits and hyphens.",
            )
        )
    return path


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    retired = _sibling(out, "old")
    out.rename(retired)
    try:
        staging.rename(out)
    except OSError:
        retired.rename(out)
        raise
    shutil.rmtree(retired)


def _remove_leftovers(out: Path) -> None:
    """Staging or retired folders an interrupted build left; only ones sitegen marked."""
    for pattern in (f".{out.name}.sitegen-staging-*", f".{out.name}.sitegen-old-*"):
        for folder in out.parent.glob(pattern):
            if folder.is_dir() and not folder.is_symlink() and (folder / MARKER).is_file():
                shutil.rmtree(folder)
