"""New files for staff: a whole new site, or a post or page that teaches its front matter.

Nothing here ever overwrites a file: an existing path is an error naming it.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from sitegen import urls
from sitegen.config import load_config
from sitegen.errors import Problem, SiteError

SKELETON = Path(__file__).parent / "skeleton"

_POST = """\
---
title: "{title}"
date: {date}
# draft: true keeps the post off the site until you delete this line.
draft: true
# summary: One sentence for listings and search engines (optional).
tags: []
authors: []
# image: /images/your-picture.jpg   (put the file in static/images/)
# image_alt: "What the picture shows, for people who cannot see it"
---

Write the first paragraph here: it is the summary in listings unless you set `summary`.

<!-- more -->

## A heading

More text.
"""

_PAGE = """\
---
title: "{title}"
# menu: 5   (a number puts the page in the site menu, in that position)
# summary: One sentence for search engines (optional).
---

Write the page here.
"""


def new_site(target: Path) -> list[Path]:
    """Copy the starter site into `target`, which must be empty or not exist yet."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise SiteError(
            Problem(
                f"{target} is not empty; a new site needs an empty folder.",
                hint="Choose a new folder name: sitegen init my-library-site",
            )
        )
    shutil.copytree(SKELETON, target, dirs_exist_ok=True)
    (target / "gitignore").rename(target / ".gitignore")
    return sorted(path for path in target.rglob("*") if path.is_file())


def new_content(root: Path, kind: str, title: str, now: datetime) -> Path:
    """Write a new post or page from its template; return its path."""
    slug = urls.slugify(title)
    if not slug:
        raise SiteError(Problem("The title needs at least one letter or digit."))
    # Only in a site folder, and dated by the site's calendar, not UTC's: a post started in
    # the evening must not be dated tomorrow and so stay unpublished until then.
    zone = load_config(root).timezone
    now = now.replace(tzinfo=zone) if now.tzinfo is None else now.astimezone(zone)
    if kind == "post":
        path = root / "content" / "posts" / f"{now:%Y-%m-%d}-{slug}.md"
        text = _POST.format(title=_quoted(title), date=f"{now:%Y-%m-%d}")
    else:
        path = root / "content" / "pages" / f"{slug}.md"
        text = _PAGE.format(title=_quoted(title))
    if path.exists():
        raise SiteError(
            Problem(
                "A file with this name exists already; it was left as it is.",
                path.relative_to(root).as_posix(),
                hint="Open that file, or choose another title.",
            )
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _quoted(title: str) -> str:
    return title.replace("\\", "\\\\").replace('"', '\\"')
