"""The cache codec: every kind of read item goes to text and comes back equal; damage is refused.

Items come from real reads of a tiny site holding a post, a page, events (zones, a series
with exceptions and changes) and highlights, so every model type the readers make is here.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import NOW, write_files
from markupsafe import Markup

from sitegen.build import build_site
from sitegen.errors import Problem, Severity
from sitegen.event_model import Event
from sitegen.highlight_model import Highlight
from sitegen.model import Content, Page, Post
from sitegen.readers.codec import DamagedEntry, codec_for
from sitegen.readers.markdown import RenderedMarkdown
from sitegen.readers.stored import decode_read, encode_read
from sitegen.yaml_source import YamlMap

SITE = """
-- site.yaml --
title: Test Library
url: https://library.example.org/
timezone: America/Chicago
branches:
  central:
    name: Central Library
    address: {street: 300 West Mill Street, city: Riverbend, region: MN, postal_code: "55988"}
    hours:
      - {days: [monday, tuesday], opens: "09:00", closes: "17:00"}
audiences: {kids: Children}
categories: {storytime: Storytime}
highlights:
  sources:
    - {id: gazette, name: Riverbend Gazette, url: "https://news.example.org/feed.xml"}
-- content/posts/2026-11-02-book-sale.md --
---
title: Book Sale
date: 2026-11-02 10:30
updated: 2026-11-03T08:00:00+02:00
tags: [news, Book Club]
authors: [Dana Whitfield]
image: /images/sale.jpg
image_alt: Tables of books
toc: true
extra:
  colour: green
  shelves: [1, 2.5, true, null]
  opened: 2026-10-01
  nested: {room: Heron, since: 2026-10-01 09:00}
---
Intro <script>alert(1)</script> paragraph.

## Prices

Cheap.
-- content/pages/services/index.md --
---
title: Services
menu: 2
---
What we offer.
-- content/events/storytime.md --
---
title: Preschool Storytime
start: 2026-12-01 10:30
end: 11:15
branch: central
audiences: [kids]
categories: [storytime]
repeat: FREQ=WEEKLY;BYDAY=TU;UNTIL=20270413
except: [2026-12-29]
changes:
  - date: 2026-12-22
    status: cancelled
    note: Staff training
  - date: 2027-01-05
    start: 2027-01-06 10:30
    location: Heron Room
---
Songs and rhymes.
-- content/events/fold.md --
---
title: Late Night in New York
start: 2026-11-01 01:30
timezone: America/New_York
all_day: false
status: rescheduled
previous_start: 2026-10-25 19:00
---
The hour that happens twice.
-- content/events/fair.md --
---
title: Craft Fair
start: 2026-12-11
end: 2026-12-13
---
All weekend.
-- content/highlights/gazette-1.md --
---
title: Storytime in the park
url: https://news.example.org/storytime
source: gazette
author: Ana
date: 2026-11-20
summary: A sunny morning.
status: approved
pinned: true
image: images/park.png
image_alt: Children on a rug
---
It was *lovely*.
-- content/highlights/other.md --
---
title: A post elsewhere
url: https://social.example.org/@reads/1
source: Riverbend Reads
status: pending
---
"""
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Content:
    root = write_files(tmp_path_factory.mktemp("codec") / "site", SITE)
    (root / "content/highlights/images").mkdir(parents=True)
    (root / "content/highlights/images/park.png").write_bytes(PNG)
    result = build_site(root, now=NOW, write=False)
    assert result.content is not None
    return result.content


def round_trip(kind: str, item: Any, problems: list[Problem]) -> tuple[Any, list[Problem]]:
    text = encode_read(kind, (item, problems, ["key-1"]))
    assert text is not None
    back = decode_read(kind, text)
    assert back is not None
    assert back[2] == ["key-1"]
    return back[0], back[1]


def test_the_site_has_every_kind_of_item(content: Content) -> None:
    assert len(content.posts) == 1 and len(content.pages) == 1
    assert len(content.events) == 3 and len(content.highlights) == 2


def test_posts_and_pages_come_back_equal_with_their_extra_settings(content: Content) -> None:
    post = content.posts[0]
    back, problems = round_trip("posts", post, [Problem("x", "p.md", 3).warning()])
    assert back == post and type(back) is Post
    assert back.extra == post.extra  # not part of ==
    nested = back.extra["nested"]
    assert type(nested) is YamlMap
    assert nested.line_of("room") == post.extra["nested"].line_of("room")
    assert back.extra["opened"] == date(2026, 10, 1)
    assert type(back.content) is Markup and back.toc == post.toc != ""
    assert back.updated == post.updated and back.updated is not None
    assert back.updated.utcoffset() == post.updated.utcoffset()  # type: ignore[union-attr]
    assert problems == [Problem("x", "p.md", 3, severity=Severity.WARNING)]
    page = content.pages[0]
    assert round_trip("pages", page, [])[0] == page and type(page) is Page


def test_events_keep_their_zones_series_and_changes(content: Content) -> None:
    for event in content.events:
        back, _ = round_trip("events", event, [])
        assert back == event and type(back) is Event
        # The same zone object, as readers compare zones by identity.
        assert back.start.tzinfo is event.start.tzinfo
        assert (back.start.fold, back.end.fold) == (event.start.fold, event.end.fold)
    series = next(e for e in content.events if e.repeat)
    assert series.exceptions == (date(2026, 12, 29),) and len(series.changes) == 2
    assert series.branch is not None and series.branch.hours
    late = next(e for e in content.events if e.timezone_name == "America/New_York")
    assert late.start.tzinfo == ZoneInfo("America/New_York")


def test_highlights_keep_their_source_and_stored_image(content: Content) -> None:
    for highlight in content.highlights:
        back, _ = round_trip("highlights", highlight, [])
        assert back == highlight and type(back) is Highlight
        assert back.image_file == highlight.image_file
    stored = next(h for h in content.highlights if h.image_file is not None)
    assert isinstance(stored.image_file, Path)


def test_rendered_markdown_and_a_missing_item_come_back() -> None:
    rendered = RenderedMarkdown(Markup("<p>a</p>"), Markup("<p>a</p>"), Markup(""), [])
    codec = codec_for(RenderedMarkdown)
    assert codec.loads(codec.dumps(rendered)) == rendered
    assert round_trip("posts", None, [Problem("broken", "x.md", 2)]) == (
        None,
        [Problem("broken", "x.md", 2)],
    )


def test_a_value_the_cache_cannot_hold_is_refused_when_written(content: Content) -> None:
    post = content.posts[0]
    odd = Post(**{**post.__dict__, "extra": {"tags": {"a", "b"}}})
    assert encode_read("posts", (odd, [], [])) is None


def _damage(text: str, change: Any) -> str:
    head, _, html = text.partition("\0")
    data = json.loads(head)
    change(data)
    return json.dumps(data) + "\0" + html


DAMAGE = {
    "not JSON": lambda text: "{" + text,
    "no HTML part": lambda text: text.partition("\0")[0],
    "HTML cut short": lambda text: text[:-5],
    "the title a number": lambda text: _damage(text, lambda d: d[0][0].__setitem__(1, 5)),
    "a field missing": lambda text: _damage(text, lambda d: d[0][0].pop()),
    "the date not a date": lambda text: _damage(text, lambda d: d[0][0][3].__setitem__(0, "x")),
    "an unknown zone": lambda text: _damage(
        text, lambda d: d[0][0][3].__setitem__(2, "Mars/Olympus")
    ),
    "a text number out of range": lambda text: _damage(text, lambda d: d[0][0].__setitem__(4, 99)),
    "draft true as 1": lambda text: _damage(text, lambda d: d[0][0].__setitem__(8, 1)),
    "an unknown tag in extra": lambda text: _damage(
        text, lambda d: d[0][0][-1].__setitem__("colour", {"pickle": "os.system"})
    ),
    "a made-up severity": lambda text: _damage(
        text, lambda d: d[0][1].append(["m", "p", 1, "", "catastrophic"])
    ),
    "a list, not an entry": lambda text: json.dumps([1, 2]) + "\0",
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_entry_is_refused(content: Content, damage: Any) -> None:
    text = encode_read("posts", (content.posts[0], [], []))
    assert text is not None
    assert decode_read("posts", damage(text)) is None
    with pytest.raises(DamagedEntry):
        codec_for(tuple[Post | None, list[Problem], list[str]]).loads(damage(text))


def test_a_naive_and_an_aware_time_stay_as_they_were() -> None:
    codec = codec_for(tuple[datetime, ...])
    fold = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=ZoneInfo("America/New_York"))
    values = (datetime(2026, 1, 2, 3, 4, 5, 6), fold)
    back = codec.loads(codec.dumps(values))
    assert back == values and back[1].fold == 1 and back[0].tzinfo is None


def test_every_item_comes_back_with_every_field_as_it_was(content: Content) -> None:
    """Items are made by setting their fields at once (see codec._plain_init): each field
    is there, with its value, as the dataclass's own __init__ would have set it."""
    kinds = {"posts": content.posts, "pages": content.pages, "events": content.events}
    kinds["highlights"] = content.highlights
    for kind, items in kinds.items():
        for item in items:
            back, _ = round_trip(kind, item, [])
            fields = [field.name for field in dataclasses.fields(item)]
            assert list(vars(back)) == fields
            assert {name: getattr(back, name) for name in fields} == {
                name: getattr(item, name) for name in fields
            }
            assert back == item and hash(back) == hash(item)
            with pytest.raises(dataclasses.FrozenInstanceError):
                back.title = "changed"
