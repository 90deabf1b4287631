"""load_yaml: YAML for authors, with line numbers, the raw text of values and friendly errors.

Each test runs with libyaml (the fast loader) and with PyYAML's pure-Python loader, because
the two mark plain scalars differently and load_yaml falls back from one to the other.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
import yaml

from sitegen import yaml_source
from sitegen.errors import SiteError
from sitegen.yaml_source import YamlMap, load_yaml

_LOADERS = [yaml.SafeLoader]
if hasattr(yaml, "CSafeLoader"):
    _LOADERS.append(yaml.CSafeLoader)


@pytest.fixture(autouse=True, params=_LOADERS, ids=lambda loader: loader.__name__)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_source, "_FastLoader", request.param)


def problem_of(text: str, first_line: int = 1) -> str:
    """The single problem load_yaml reports for `text`, formatted as an author sees it."""
    with pytest.raises(SiteError) as caught:
        load_yaml(text, "content/posts/x.md", first_line)
    assert len(caught.value.problems) == 1
    return caught.value.problems[0].format()


# --- line numbers -------------------------------------------------------------------------


def test_key_lines_count_from_first_line() -> None:
    text = "title: Book Sale\n\ndate: 2026-12-01\ntags:\n  - books\n"
    data = load_yaml(text, "content/posts/x.md", first_line=2)
    assert isinstance(data, YamlMap)
    assert data == {"title": "Book Sale", "date": date(2026, 12, 1), "tags": ["books"]}
    assert data.key_lines == {"title": 2, "date": 4, "tags": 5}
    assert data.line == 2


def test_nested_mappings_know_their_own_lines() -> None:
    text = "branches:\n  main:\n    name: Main\n    phone: '555'\n"
    data = load_yaml(text, "site.yaml")
    main = data["branches"]["main"]
    assert isinstance(main, YamlMap)
    assert main.line_of("phone") == 4
    assert data["branches"].line_of("main") == 2
    # A key that is not there points at the mapping itself, the best place to add it.
    assert main.line_of("email") == 3


def test_mappings_inside_a_list_know_their_lines() -> None:
    text = "menu:\n  - title: News\n    url: /posts/\n  - title: Visit\n    url: /visit/\n"
    items = load_yaml(text, "site.yaml", first_line=10)["menu"]
    assert [item.line_of("url") for item in items] == [12, 14]


# --- raw text and the "#" comment trap ----------------------------------------------------


def test_raw_keeps_what_the_author_wrote_for_plain_values() -> None:
    data = load_yaml('title: no\ndate: 10:30\nsummary: "quoted"\nzip: 01234\n', "x.md")
    assert data["title"] is False
    assert data["date"] == 630  # YAML 1.1 reads 10:30 as a base-60 number
    assert data.raw["title"] == "no"
    assert data.raw["date"] == "10:30"
    assert data.raw["zip"] == "01234"
    assert "summary" not in data.raw  # quoted values are exactly what they say


def test_hash_after_a_word_is_flagged_as_a_cut_value() -> None:
    data = load_yaml("title: Teens #1\nsummary: Fun\n", "x.md")
    assert data["title"] == "Teens"
    assert data.cut_by_comment == {"title"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("title: Teens   # a real comment\n", "Teens"),
        ("title: Teens ## banner\n", "Teens"),
        ("title: Teens#1\n", "Teens#1"),
        ('title: "Teens #1"\n', "Teens #1"),
    ],
)
def test_real_comments_and_quoted_hashes_are_not_flagged(text: str, value: str) -> None:
    data = load_yaml(text, "x.md")
    assert data["title"] == value
    assert data.cut_by_comment == set()


# --- syntax errors: the line an author must look at, and a phrase that says why ------------


@pytest.mark.parametrize(
    ("text", "prefix", "phrase"),
    [
        pytest.param(
            "title: A\ndate: 2026-12-01\ntitle: B\n",
            'content/posts/x.md:4: "title" is given twice (first on line 2).',
            "Keep one of them",
            id="duplicate-key",
        ),
        pytest.param(
            "title: A\ntags:\n\t- books\n",
            "content/posts/x.md:4: A tab character is used for indentation.",
            "Indent with spaces",
            id="tab",
        ),
        pytest.param(
            'date: 2026-12-01\ntitle: "Teen Book Club\nsummary: Monthly\n',
            "content/posts/x.md:3: A quotation mark is opened but never closed.",
            'title: "Teen Book Club"',
            id="unclosed-quote",
        ),
        pytest.param(
            "date: 2026-12-01\ntitle: Storytime: Ages 3-5\n",
            "content/posts/x.md:3: A colon in a value confuses YAML.",
            'title: "Storytime: Ages 3-5"',
            id="colon-in-value",
        ),
        pytest.param(
            "title: *Featured* Event\n",
            "content/posts/x.md:2: A value starts with * or &, which YAML reads as a reference.",
            'title: "*Featured* Event"',
            id="star",
        ),
        pytest.param(
            "title: Visit\nauthors: @riverbendlib\n",
            "content/posts/x.md:3: A value starts with a character YAML reserves",
            'author: "@riverbendlibrary"',
            id="at-handle",
        ),
        pytest.param(
            'title: "Teens" Book Club\n',
            "content/posts/x.md:2: There is more text after a quoted or [bracketed] part",
            "Put the whole value in double quotes",
            id="text-after-quote",
        ),
        pytest.param(
            "title: 'Bob's Books'\n",
            "content/posts/x.md:2: There is more text after a quoted or [bracketed] part",
            "Put the whole value in double quotes",
            id="apostrophe-in-single-quotes",
        ),
        pytest.param(
            "title: &Friends Book Sale\n",
            'content/posts/x.md:2: The value "&Friends Book Sale" starts with &',
            'title: "&Friends Book Sale"',
            id="lost-anchor",
        ),
        pytest.param(
            "title: A\ndate: 2026-13-45\n",
            'content/posts/x.md:3: "2026-13-45" is not a real date (month must be in 1..12).',
            "like 2026-12-01",
            id="impossible-date",
        ),
        pytest.param(
            "title: A\ndate: 2026-02-30\n",
            'content/posts/x.md:3: "2026-02-30" is not a real date',
            "like 2026-12-01",
            id="february-30",
        ),
    ],
)
def test_broken_yaml_names_the_line_and_the_fix(text: str, prefix: str, phrase: str) -> None:
    message = problem_of(text, first_line=2)
    assert message.startswith(prefix)
    assert phrase in message


def test_unclosed_quote_points_at_the_opening_quote_not_the_end() -> None:
    text = 'title: "Teen Book Club\n' + "".join(f"line{n}: text\n" for n in range(20))
    assert problem_of(text, first_line=2).startswith("content/posts/x.md:2: A quotation mark")


def test_an_anchor_that_an_alias_uses_is_still_allowed() -> None:
    data = load_yaml("main: &phone 555-0100\nbranch: *phone\n", "site.yaml")
    assert data == {"main": "555-0100", "branch": "555-0100"}


# --- tags: nothing but plain values, and no code ever runs ---------------------------------


def test_python_object_apply_is_refused_and_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    # yaml.unsafe_load of this text creates the folder `marker`.
    text = f'title: A\nextra: !!python/object/apply:os.mkdir ["{marker}"]\n'
    message = problem_of(text, first_line=2)
    assert message.startswith(
        "content/posts/x.md:3: The YAML tag !!python/object/apply:os.mkdir is not allowed here."
    )
    assert not marker.exists()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!!python/object:collections.OrderedDict {}", "!!python/object:collections.OrderedDict"),
        ("!!set {a, b}", "!!set"),
        ("!!omap [{a: 1}]", "!!omap"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!Important News", "!Important"),
    ],
)
def test_other_tags_are_refused(value: str, shown: str) -> None:
    message = problem_of(f"title: A\nsummary: {value}\n", first_line=2)
    assert message.startswith(f"content/posts/x.md:3: The YAML tag {shown} is not allowed here.")
    assert 'title: "!Important News"' in message


def test_standard_tags_for_plain_values_are_fine() -> None:
    data = load_yaml("a: !!str 12\nb: !!int '12'\nc: =\n", "x.md")
    assert data == {"a": "12", "b": 12, "c": "="}


def test_merge_keys_are_refused() -> None:
    message = problem_of("base: &b {a: 1}\nchild:\n  <<: *b\n")
    assert message.startswith('content/posts/x.md:3: "<<" cannot be read: merge keys')


def test_alias_bomb_is_refused_quickly() -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for number in range(1, 9):
        previous, name = chr(ord("a") + number - 1), chr(ord("a") + number)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    started = time.perf_counter()
    message = problem_of("\n".join(levels) + "\n")
    assert time.perf_counter() - started < 2
    assert message.startswith("content/posts/x.md:")
    assert "expands to too many values" in message


# --- empty and odd documents --------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_document_is_none(text: str) -> None:
    assert load_yaml(text, "x.md") is None


def test_non_text_keys_become_text() -> None:
    data = load_yaml("2026: year\ntrue: yes\n", "x.md")
    assert list(data) == ["2026", "true"]
    assert data.key_lines == {"2026": 1, "true": 2}
