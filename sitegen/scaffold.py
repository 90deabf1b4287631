"""New files for staff: a whole new site, or a post, page or event that teaches its front matter.

Nothing here ever overwrites a file: an existing path is an error naming it.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

from sitegen import urls
from sitegen.config import SiteConfig, load_config
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

_EVENT = """\
---
title: "{title}"
# When it starts: a date and a time, in the site's time zone ({zone}).
start: {start}
# When it ends: a time on the same day, or a date and a time. Leave it out for the
# usual length ({duration} minutes, set by events: default_duration in site.yaml).
end: {end}
# Where: a branch id from site.yaml ({branches}) and the room.
{branch_line}
location: Community Room
# Who it is for and what it is about: ids from site.yaml, like [kids, families].
#   audiences: {audiences}
#   categories: {categories}
audiences: []
categories: []
# summary: One sentence for listings, feeds and search engines (optional).
# cost: "$5"                      (leave it out for a free event)
# registration_url: https://www.example.org/register
# registration_required: true
# image: /images/your-picture.jpg   (put the file in static/images/)
# image_alt: "What the picture shows, for people who cannot see it"
#
# An all-day or multi-day event: dates without times; end is the last day.
#   start: 2026-12-12
#   end: 2026-12-14
#
# Online: the link to join. With a branch too, it is a hybrid event.
#   online_url: https://meet.example.org/author-talk
# In another time zone than the site's (times are then read in that zone):
#   timezone: America/New_York
#
# A series: start is its first date; repeat is an RFC 5545 rule.
#   repeat: FREQ=WEEKLY;BYDAY=TU;UNTIL=20270601     (every Tuesday until June 1, 2027)
#   repeat: FREQ=MONTHLY;BYDAY=1MO;COUNT=10          (the first Monday, ten times)
#   except: [2026-12-22, 2026-12-29]                 (dates skipped: holiday closures)
#   changes:                                         (one date changed, not the series)
#     - date: 2027-01-05
#       status: cancelled
#       note: "Closed for snow"
#     - date: 2027-01-12
#       start: 2027-01-13 10:30
#       location: Meeting Room B
#
# When plans change, keep the file and set the status (the page shows a banner):
#   status: cancelled               (or postponed, rescheduled, moved-online)
#   status_note: "The author is ill; we hope to find a new date in the spring."
#   previous_start: 2026-12-03 19:00   (with rescheduled: the date it had before)
---

Describe the event here: what happens, who it is for, what to bring.
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
    """Write a new post, page or event from its template; return its path."""
    slug = urls.slugify(title)
    if not slug:
        raise SiteError(Problem("The title needs at least one letter or digit."))
    # Only in a site folder, and dated by the site's calendar, not UTC's: a post started in
    # the evening must not be dated tomorrow and so stay unpublished until then.
    config = load_config(root)
    zone = config.timezone
    now = now.replace(tzinfo=zone) if now.tzinfo is None else now.astimezone(zone)
    if kind == "post":
        path = root / "content" / "posts" / f"{now:%Y-%m-%d}-{slug}.md"
        text = _POST.format(title=_quoted(title), date=f"{now:%Y-%m-%d}")
    elif kind == "event":
        path = root / "content" / "events" / f"{slug}.md"
        text = _event_text(config, title, now)
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


def _event_text(config: SiteConfig, title: str, now: datetime) -> str:
    """The event template, a week from today at 10:30, naming this site's ids."""
    day = (now + timedelta(days=7)).date()
    branches = list(config.branches)
    return _EVENT.format(
        title=_quoted(title),
        zone=config.timezone_name,
        start=f"{day:%Y-%m-%d} 10:30",
        end="11:30",
        duration=config.events.default_duration,
        branches=", ".join(branches) if branches else "none yet: add branches to site.yaml",
        branch_line=f"branch: {branches[0]}" if branches else "# branch: central",
        audiences=", ".join(config.audiences) or "none yet: add audiences to site.yaml",
        categories=", ".join(config.categories) or "none yet: add categories to site.yaml",
    )


def _quoted(title: str) -> str:
    return title.replace("\\", "\\\\").replace('"', '\\"')
