"""Writing the built site: staged first, then moved into place.

A first build (or an output folder that holds links) is written to a staging folder that is
swapped in. A rebuild stages only the files whose bytes changed, then moves them into the
output folder and deletes the files the site no longer has: unchanged files keep their date
and inode, and a large site's one-post edit touches a handful of files, not thousands.
Either way, nothing in the output folder changes until every new file is staged.

This is the only module that deletes anything. It replaces an output folder only if sitegen
made it (a marker file says so) or it is empty, and refuses the site folder itself, any
folder above it, and content/, static/ and themes/. A failed build changes nothing.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import secrets
import shutil
import stat
from collections.abc import Callable, Iterable
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


def write_site(
    files: Iterable[OutputFile],
    out: Path,
    root: Path,
    made: Iterable[OutputFile] | None = None,
) -> int:
    """Write `files` to `out` (staged, then moved in); return how many files the site has.

    `made`, if given, gives the same files in the same order with their bytes, made as they
    are needed (see outputs.produce.produced); the files are then only a plan.
    """
    check_output_folder(out, root)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    files = list(files)
    for file in files:
        check_output_path(file)
    previous = out if (out / MARKER).is_file() and not out.is_symlink() else None
    found = _existing(out) if previous is not None else None
    staging = _sibling(out, "staging")
    staging.mkdir()  # fails rather than reuse a folder that is already there
    try:
        # Marked first, so the folder of a build that was killed is known as sitegen's.
        (staging / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        writing = files if made is None else made
        if found is not None and _fits(files, found):
            changed = _stage_changes(writing, staging, out, found[0])
            gone = found[0] - {file.output_path for file in files}
            _move_in(changed, staging, out, gone)
        else:
            # Nothing is linked from a folder that holds links: a path through one leads out of
            # it (to a file that must not become part of the site, or onto another disk).
            _write_files(writing, staging, previous if found is not None else None)
            _swap(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return len(files)


# The files and the folders in an output folder, as relative paths with "/".
_Found = tuple[set[str], set[str]]


def _existing(out: Path) -> _Found | None:
    """What `out` holds, or None if it holds a link: a folder with links is replaced whole,
    so a write never follows a link out of it."""
    files: set[str] = set()
    folders: set[str] = set()
    waiting = [("", str(out))]
    while waiting:
        prefix, folder = waiting.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink():
                    return None
                if entry.is_dir(follow_symlinks=False):
                    folders.add(prefix + entry.name)
                    waiting.append((prefix + entry.name + "/", entry.path))
                else:
                    files.add(prefix + entry.name)
    files.discard(MARKER)
    return files, folders


def _fits(files: list[OutputFile], found: _Found) -> bool:
    """True if every new file can go where it belongs: no old file stands where a new folder
    must be, and no old folder where a new file must be."""
    old_files, old_folders = found
    for file in files:
        path = file.output_path
        if path in old_folders:
            return False
        while "/" in path:
            path = path.rsplit("/", 1)[0]
            if path in old_files:
                return False
    return True


def _stage_changes(
    files: Iterable[OutputFile], staging: Path, out: Path, old: set[str]
) -> list[str]:
    """Stage the files whose bytes differ from the output folder's; return their paths.
    (Paths as text throughout: after a change to the settings, every page of a large site
    is compared and staged.)"""
    changed = []
    out_text, staging_text = os.fspath(out), os.fspath(staging)
    parent_of = _parents_made(staging_text)
    for file in files:
        path = file.output_path
        if file.copy_from is not None and _is_at(file.copy_from, out_text, path):
            continue  # kept by the output cache: the very file
        if path in old and _unchanged(file, os.path.join(out_text, path)):
            continue
        _write_one(file, parent_of(path))
        changed.append(path)
    return changed


def _parents_made(root: str) -> Callable[[str], str]:
    """What gives `root`/path for a relative path, its folder made (each folder once)."""
    made = {root}

    def parent_made(relative: str) -> str:
        target = os.path.join(root, relative)
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        return target

    return parent_made


def _is_at(file: Path | str, folder: str, relative: str) -> bool:
    """True if `file` is `folder`/`relative`, compared as text (no path object to make)."""
    return os.fspath(file) == os.path.join(folder, relative)


def _move_in(changed: list[str], staging: Path, out: Path, gone: set[str]) -> None:
    """Move the staged files into `out`, then delete the files the site no longer has."""
    staging_text, into = os.fspath(staging), _parents_made(os.fspath(out))
    for relative in changed:
        os.replace(os.path.join(staging_text, relative), into(relative))
    for relative in gone:
        (out / relative).unlink(missing_ok=True)
    emptied = {parent for relative in gone for parent in PurePosixPath(relative).parents}
    for folder in sorted(emptied, key=lambda path: len(path.parts), reverse=True):
        if folder.parts:
            with contextlib.suppress(OSError):  # not empty: it still holds pages
                (out / folder).rmdir()


def _sibling(out: Path, kind: str) -> Path:
    """A fresh name beside `out`; the random part keeps it off anything already there."""
    return out.parent / f".{out.name}.sitegen-{kind}-{os.getpid()}-{secrets.token_hex(4)}"


def _write_files(files: Iterable[OutputFile], staging: Path, previous: Path | None) -> int:
    """Write every file into `staging` (their paths checked by write_site), as text paths:
    a large site's thousands of path objects took a fifth of the writer's time."""
    parent_of = _parents_made(os.fspath(staging))
    count = 0
    for file in files:
        target = parent_of(file.output_path)
        old = os.path.join(previous, file.output_path) if previous is not None else None
        if old is not None and _unchanged(file, old):
            # The same bytes as last time: link the old file in, so its date and inode stay
            # and deploy tools that compare files see nothing new.
            os.link(old, target)
        else:
            _write_one(file, target)
        count += 1
    return count


def _write_one(file: OutputFile, target: str) -> None:
    if file.copy_from is not None:
        # With its modification time, so the next build can tell it unchanged from the stamp.
        shutil.copy2(file.copy_from, target)
    else:
        with open(target, "wb") as stream:
            stream.write(file.data())


def _unchanged(file: OutputFile, old: str) -> bool:
    """True if the file at `old` (a plain file, not a link) has the file's bytes."""
    try:
        ours = os.lstat(old)
        if not stat.S_ISREG(ours.st_mode):
            return False
        if file.copy_from is not None:
            theirs = os.stat(file.copy_from)
            if ours.st_size != theirs.st_size:
                return False
            if ours.st_mtime_ns == theirs.st_mtime_ns:
                return True  # copied with its stamp by an earlier build (see _write_one)
            return filecmp.cmp(old, file.copy_from, shallow=False)
        data = file.data()
        if ours.st_size != len(data):
            return False
        with open(old, "rb") as stream:
            return stream.read() == data
    except OSError:
        return False


def check_output_path(file: OutputFile) -> None:
    """SiteError if the file's path could land outside the output folder (text checks only:
    a build checks every path, and making a path object for each costs more)."""
    path = file.output_path
    if (
        not path
        or path.startswith("/")
        or "\\" in path
        or "\0" in path
        or any(part in ("..", ".", "") for part in path.split("/"))
    ):
        raise SiteError(
            Problem(
                f'The output path "{path}" would leave the output folder.',
                file.source,
                hint="Slugs may hold only letters, digits and hyphens.",
            )
        )


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
