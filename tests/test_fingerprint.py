"""Digests of values: equal values digest equal (in any process), any difference shows.

The output cache keeps a page when the digest of what it was made from is unchanged, so a
digest that misses a difference serves a stale page, and one that depends on memory addresses
or hash seeds renders everything again on every build.
"""

from __future__ import annotations

import enum
import importlib.metadata
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from markupsafe import Markup

from sitegen import fingerprint
from sitegen.build import build_site
from sitegen.fingerprint import Fingerprinter, Unfingerprintable, package_version
from tests.conftest import NOW, write_files

CHICAGO = ZoneInfo("America/Chicago")


def digest(value: Any) -> str:
    """A digest from a fresh Fingerprinter, so nothing is remembered between values."""
    return Fingerprinter().hexdigest(value)


class Branch(enum.Enum):
    CENTRAL = "central"
    EASTSIDE = "eastside"


@dataclass(frozen=True)
class Room:
    name: str
    seats: int


@dataclass(frozen=True)
class Booking:
    title: str
    start: datetime
    room: Room
    branch: Branch
    notes: Markup
    file: Path
    tags: frozenset[str]
    extra: dict[str, Any]
    hidden: str = field(default="", repr=False)
    ignored: str = field(default="", compare=False)


def booking(**changes: Any) -> Booking:
    """A Booking made from scratch on every call: no object is shared between two calls."""
    values: dict[str, Any] = {
        "title": "Storytime",
        "start": datetime(2026, 12, 1, 10, 30, tzinfo=CHICAGO),
        "room": Room("Children's Room", 30),
        "branch": Branch.CENTRAL,
        "notes": Markup("<p>Songs &amp; stories</p>"),
        "file": Path("content/events/storytime.md"),
        "tags": frozenset({"kids", "songs", "stories"}),
        "extra": {"age": [3, 5], "signup": None, "ends": date(2027, 4, 13)},
    }
    values.update(changes)
    return Booking(**values)


# --- equal values -----------------------------------------------------------------------------


def test_equal_values_built_apart_digest_equal() -> None:
    first, second = booking(), booking()
    assert first is not second and first.room is not second.room
    assert digest(first) == digest(second)
    # One Fingerprinter remembers composite values by identity; a new equal object is not
    # mistaken for anything else, and gives the same digest.
    fingerprinter = Fingerprinter()
    assert fingerprinter.hexdigest(first) == fingerprinter.hexdigest(second) == digest(first)


def test_dict_order_does_not_matter_but_pairing_does() -> None:
    assert digest({"a": 1, "b": 2, "c": [3]}) == digest({"c": [3], "b": 2, "a": 1})
    assert digest({"a": 1, "b": 2}) != digest({"a": 2, "b": 1})
    assert digest({"a": 1}) != digest({"a": 1, "b": None})


def test_set_order_does_not_matter() -> None:
    words: list[Any] = [f"word-{n}" for n in range(50)] + [1, 9, 17, 25, -1, -2]
    forwards = set(words)
    backwards = set(reversed(words))
    assert list(forwards) != list(backwards)  # values that share a slot: insertion order shows
    assert digest(forwards) == digest(backwards)
    assert digest(frozenset(words)) == digest(frozenset(reversed(words)))
    assert digest(forwards) != digest(forwards - {"word-7"})
    assert digest(forwards) != digest(frozenset(words))  # a set is not a frozenset


def test_a_shared_object_digests_like_equal_separate_ones() -> None:
    room = Room("Meeting Room", 12)
    shared = (room, [room, {"again": room}], booking(room=room))
    separate = (
        Room("Meeting Room", 12),
        [Room("Meeting Room", 12), {"again": Room("Meeting Room", 12)}],
        booking(room=Room("Meeting Room", 12)),
    )
    assert digest(shared) == digest(separate)
    fingerprinter = Fingerprinter()
    assert fingerprinter.hexdigest(shared) == fingerprinter.hexdigest(separate)
    other = (room, [room, {"again": Room("Meeting Room", 13)}], booking(room=room))
    assert fingerprinter.hexdigest(other) != fingerprinter.hexdigest(shared)


def test_a_small_tuple_shared_by_many_values_digests_like_equal_separate_ones() -> None:
    """A small tuple is written inside the values that hold it, once per tuple object."""
    feeds = (Room("News", 1), Room("Atom", 2))
    fingerprinter = Fingerprinter()
    shared = [fingerprinter.hexdigest(("page", number, feeds)) for number in range(3)]
    separate = [
        Fingerprinter().hexdigest(("page", number, (Room("News", 1), Room("Atom", 2))))
        for number in range(3)
    ]
    assert shared == separate
    assert len(set(shared)) == 3
    other = (Room("News", 1), Room("Atom", 3))
    assert fingerprinter.hexdigest(("page", 0, other)) != shared[0]


SITE = """
-- site.yaml --
title: Test Library
url: https://library.example.org/
timezone: America/Chicago
branches:
  central:
    name: Central Library
audiences: {kids: Children, teens: Teens}
categories: {storytime: Storytime}
-- content/posts/2026-11-20-book-sale.md --
---
title: Book Sale & More
date: 2026-11-20 09:30
tags: [news, Book Club]
---
Hardcovers for a <em>dollar</em>.
-- content/pages/about.md --
---
title: About
menu: 2
---
Who we are.
-- content/events/storytime.md --
---
title: Preschool Storytime
start: 2026-12-01 10:30
end: 11:15
branch: central
audiences: [kids]
categories: [storytime]
repeat: FREQ=WEEKLY;BYDAY=TU;UNTIL=20270413
---
Songs and stories.
"""

_DIGEST_IN_A_PROCESS = """
import sys
from datetime import datetime
from pathlib import Path
from sitegen.build import build_site
from sitegen.fingerprint import Fingerprinter
result = build_site(Path(sys.argv[1]), now=datetime.fromisoformat(sys.argv[2]), write=False)
print(Fingerprinter().hexdigest(result.site))
"""


def test_a_whole_site_digests_the_same_in_other_processes(tmp_path: Path) -> None:
    root = write_files(tmp_path / "site", SITE)
    result = build_site(root, now=NOW, write=False)
    assert result.problems == [] and result.site is not None
    here = digest(result.site)

    def elsewhere(seed: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", _DIGEST_IN_A_PROCESS, str(root), NOW.isoformat()],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=Path(__file__).parent.parent,
        )
        return done.stdout.strip()

    # Other hash seeds order sets and dicts of strings differently.
    assert [elsewhere("1"), elsewhere("2")] == [here, here]


# --- every difference shows ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "Storytime!"},
        {"start": datetime(2026, 12, 1, 10, 31, tzinfo=CHICAGO)},
        {"room": Room("Children's Room", 31)},
        {"branch": Branch.EASTSIDE},
        {"notes": Markup("<p>Songs &amp; rhymes</p>")},
        {"file": Path("content/events/storytime-2.md")},
        {"tags": frozenset({"kids", "songs"})},
        {"extra": {"age": [3, 6], "signup": None, "ends": date(2027, 4, 13)}},
        {"extra": {"age": (3, 5), "signup": None, "ends": date(2027, 4, 13)}},
        {"extra": {"age": [3, 5], "signup": False, "ends": date(2027, 4, 13)}},
        {"extra": {"age": [3, 5], "signup": None, "ends": datetime(2027, 4, 13)}},
        {"hidden": "left out of the repr"},
        {"ignored": "left out of =="},
    ],
    ids=lambda changes: ",".join(changes),
)
def test_every_field_changes_the_digest(changes: dict[str, Any]) -> None:
    assert digest(booking(**changes)) != digest(booking())


def test_repr_false_and_compare_false_fields_count() -> None:
    # Equal by ==, equal by repr: the digest must still tell them apart.
    plain, with_note = booking(), booking(ignored="note", hidden="x")
    assert plain == booking(ignored="note") and repr(plain) == repr(booking(hidden="x"))
    assert len({digest(plain), digest(booking(ignored="note")), digest(with_note)}) == 3


def test_text_and_markup_with_the_same_characters_differ() -> None:
    text = "<b>Fish &amp; chips</b>"
    assert digest(text) != digest(Markup(text))
    assert digest((text,)) != digest((Markup(text),))
    assert digest({"k": text}) != digest({"k": Markup(text)})
    long = "x" * 1000  # long plain values are hashed on their own inside composite ones
    assert digest([long]) != digest([Markup(long)])
    assert digest([long]) != digest([long + "y"])


def test_neighbouring_texts_cannot_run_together() -> None:
    assert digest(("ab", "c")) != digest(("a", "bc"))
    assert digest(("a", "")) != digest(("", "a"))
    assert digest(["x" * 300, "y"]) != digest(["x" * 299, "xy"])


def test_kinds_of_plain_values_are_told_apart() -> None:
    values = [
        1,
        1.0,
        True,
        "1",
        b"1",
        None,
        "None",
        PurePosixPath("1"),
        (1,),
        [1],
        frozenset({1}),
        date(2026, 12, 1),
        datetime(2026, 12, 1),
        time(0, 0),
    ]
    assert len({digest(value) for value in values}) == len(values)


def test_naive_and_aware_times_differ() -> None:
    naive = datetime(2026, 12, 1, 10, 30)
    assert digest(naive) != digest(naive.replace(tzinfo=CHICAGO))
    assert digest(naive) != digest(naive.replace(tzinfo=UTC))
    assert digest(time(10, 30)) != digest(time(10, 30, tzinfo=CHICAGO))


def test_the_same_moment_in_other_zones_differs() -> None:
    chicago = datetime(2026, 12, 1, 10, 30, tzinfo=CHICAGO)
    same_instant = [
        chicago,
        chicago.astimezone(UTC),
        chicago.astimezone(ZoneInfo("America/Mexico_City")),  # the same wall time and offset
        chicago.replace(tzinfo=timezone(timedelta(hours=-6))),
        chicago.replace(tzinfo=timezone(timedelta(hours=-6), "CST")),
    ]
    assert len({value.timestamp() for value in same_instant}) == 1
    assert len({digest(value) for value in same_instant}) == len(same_instant)
    # The same zone, looked up apart, is the same zone.
    again = datetime(2026, 12, 1, 10, 30, tzinfo=ZoneInfo.no_cache("America/Chicago"))
    assert again.tzinfo is not chicago.tzinfo
    assert digest(again) == digest(chicago)


def test_fold_differs() -> None:
    # 01:30 happens twice in Chicago on 2026-11-01: fold tells the two apart.
    first = datetime(2026, 11, 1, 1, 30, tzinfo=CHICAGO)
    second = first.replace(fold=1)
    assert first.utcoffset() != second.utcoffset()
    assert digest(first) != digest(second)
    assert digest(time(1, 30)) != digest(time(1, 30, fold=1))


def test_bound_methods_digest_their_object_and_function() -> None:
    @dataclass(frozen=True)
    class Shelf:
        books: tuple[str, ...]

        def count(self) -> int:
            return len(self.books)

        def first(self) -> str:
            return self.books[0]

    shelf = Shelf(("Dune", "Emma"))
    assert digest(shelf.count) == digest(Shelf(("Dune", "Emma")).count)
    assert digest(shelf.count) != digest(shelf.first)
    assert digest(shelf.count) != digest(Shelf(("Dune",)).count)


# --- what cannot be digested is refused ---------------------------------------------------------


class Opaque:
    def __init__(self, value: str) -> None:
        self.value = value


@pytest.mark.parametrize(
    "value",
    [
        Opaque("x"),
        [1, Opaque("x")],
        {"key": Opaque("x")},
        {Opaque("x")},
        booking(extra={"deep": [{"deeper": (Opaque("x"),)}]}),
        lambda: None,
        object(),
        json.JSONDecoder(),
    ],
    ids=[
        "object",
        "in a list",
        "in a dict",
        "in a set",
        "deep in a dataclass",
        "lambda",
        "bare",
        "decoder",
    ],
)
def test_an_unknown_kind_of_value_is_refused(value: Any) -> None:
    with pytest.raises(Unfingerprintable):
        digest(value)


def test_a_list_that_holds_itself_is_refused_not_a_crash() -> None:
    loop: list[Any] = [1, 2]
    loop.append(loop)
    with pytest.raises(Unfingerprintable):
        digest(loop)
    in_a_dict: dict[str, Any] = {}
    in_a_dict["self"] = [in_a_dict]
    with pytest.raises(Unfingerprintable):
        digest(booking(extra=in_a_dict))
    # The Fingerprinter still works afterwards, and remembered nothing wrong.
    fingerprinter = Fingerprinter()
    with pytest.raises(Unfingerprintable):
        fingerprinter.digest(loop)
    assert fingerprinter.hexdigest([1, 2]) == digest([1, 2])


def test_a_digest_is_carried_to_the_very_same_object_only() -> None:
    """The preview server carries item digests from one build to the next: only for the
    very objects the earlier build digested, never for an equal one."""
    earlier, later = Fingerprinter(), Fingerprinter()
    room, equal_room = Room("Auditorium", 120), Room("Auditorium", 120)
    earlier.know(room, "read key of the room's file")  # what a digest from a read looks like
    stand_in = earlier.digest(room)
    assert stand_in != Fingerprinter().digest(room)

    later.carry(room, earlier)
    later.carry(equal_room, earlier)
    later.carry(Room("Studio", 8), earlier)  # never digested earlier: nothing to carry

    assert later.digest(room) == stand_in
    assert later.digest(equal_room) == Fingerprinter().digest(room)


@pytest.mark.parametrize(
    "name", ["jinja2", "MarkupSafe", "feedgen", "lxml", "python-dateutil", "PyYAML", "tzdata"]
)
def test_a_package_version_is_the_one_its_metadata_gives(name: str) -> None:
    assert package_version(name) == importlib.metadata.version(name)


def test_package_versions_come_from_the_first_folder_on_the_path_that_has_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (
        first / "Library_Tools-2.1.dist-info",
        first / "old_reader-0.9-py3.11.egg-info",
        second / "library_tools-1.0.dist-info",
        second / "not-a-package",
    ):
        folder.mkdir(parents=True)
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(first), str(second)])
    fingerprint._metadata_folders.cache_clear()
    try:
        assert package_version("library-tools") == "2.1"
        assert package_version("Library.Tools") == "2.1"
        assert package_version("old-reader") == "0.9"
        assert package_version("no-such-package") == "?"
    finally:
        fingerprint._metadata_folders.cache_clear()
