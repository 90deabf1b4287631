"""load_config: site.yaml in, a typed SiteConfig out, or every problem at once with its line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sitegen.config import (
    Address,
    Branch,
    HighlightSource,
    MenuItem,
    OpeningHours,
    SiteConfig,
    load_config,
)
from sitegen.errors import SiteError

FULL_SITE = """\
title: Riverbend Public Library
url: https://www.riverbend-library.org/branch-site
language: en-US
timezone: America/Chicago
description: Books, programs and help for everyone in Riverbend.
theme: default
output: dist
per_page: 12
allow_raw_html: no
menu:
  - title: News
    url: /posts/
  - title: Visit
    url: /visit/
branches:
  central:
    name: Central Library
    address:
      street: 100 Main Street
      city: Riverbend
      region: IL
      postal_code: "62701"
      country: US
    phone: "+1 555-0100"
    email: ask@riverbend-library.org
    hours:
      - {days: [Monday, tuesday], opens: "09:00", closes: "20:00"}
      - {days: [sunday], closed: true}
    accessibility: Step-free entrance on Elm Street.
  eastside:
    name: Eastside Branch
    address: 12 Oak Avenue
audiences:
  kids: Children
  teens: Teens
categories:
  books: Books and reading
highlights:
  allow_private_addresses: true
  sources:
    - id: teen-blog
      name: Teen Blog
      url: https://teens.example.org/feed.xml
      trust: auto
      max_entries: 5
      include: [books, games]
      exclude: spoilers
    - id: partners
      url: https://partners.example.org/atom.xml
extra:
  colour: "#004466"
  social: {mastodon: "@riverbend@example.social"}
"""


def write_config(root: Path, text: str) -> Path:
    (root / "site.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def config_problems(root: Path, text: str) -> list[str]:
    """Every problem load_config reports for `text`, formatted as an author sees them."""
    with pytest.raises(SiteError) as caught:
        load_config(write_config(root, text))
    return [problem.format() for problem in caught.value.problems]


def valid(**lines: str) -> str:
    """A minimal valid site.yaml (title on line 1, url on line 2) plus `lines`, in order."""
    settings = {"title": "T", "url": "https://library.example.org/", **lines}
    return "".join(f"{key}: {value}\n" for key, value in settings.items())


def test_a_full_site_yaml_gives_typed_values(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, FULL_SITE))
    assert isinstance(config, SiteConfig)
    assert config.root == tmp_path.resolve()
    assert config.title == "Riverbend Public Library"
    assert config.url == "https://www.riverbend-library.org/branch-site/"
    assert config.base_path == "/branch-site"
    assert (config.language, config.timezone_name, config.theme, config.output) == (
        "en-US",
        "America/Chicago",
        "default",
        "dist",
    )
    assert config.timezone.key == "America/Chicago"
    assert config.per_page == 12
    assert config.allow_raw_html is False
    assert config.menu == (MenuItem("News", "/posts/"), MenuItem("Visit", "/visit/"))
    assert config.branches["central"] == Branch(
        id="central",
        name="Central Library",
        address=Address("100 Main Street", "Riverbend", "IL", "62701", "US"),
        phone="+1 555-0100",
        email="ask@riverbend-library.org",
        hours=(
            OpeningHours(("monday", "tuesday"), "09:00", "20:00"),
            OpeningHours(("sunday",), closed=True),
        ),
        accessibility="Step-free entrance on Elm Street.",
    )
    assert config.branches["central"].address.lines == (
        "100 Main Street",
        "Riverbend, IL 62701",
    )
    assert config.branches["eastside"].address == Address(street="12 Oak Avenue")
    assert config.audiences == {"kids": "Children", "teens": "Teens"}
    assert config.categories == {"books": "Books and reading"}
    assert config.highlights.allow_private_addresses is True
    assert config.highlights.sources == (
        HighlightSource(
            id="teen-blog",
            name="Teen Blog",
            url="https://teens.example.org/feed.xml",
            trust="auto",
            max_entries=5,
            include=("books", "games"),
            exclude=("spoilers",),
        ),
        HighlightSource(
            id="partners", name="partners", url="https://partners.example.org/atom.xml"
        ),
    )
    assert config.extra == {
        "colour": "#004466",
        "social": {"mastodon": "@riverbend@example.social"},
    }


def test_defaults_for_a_minimal_site_yaml(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, valid()))
    assert (config.language, config.timezone_name, config.theme, config.output) == (
        "en",
        "UTC",
        "default",
        "public",
    )
    assert config.per_page == 10
    assert config.base_path == ""
    assert (config.menu, config.branches, config.extra) == ((), {}, {})


def test_opening_times_without_quotes_keep_what_was_written(tmp_path: Path) -> None:
    # YAML 1.1 reads 9:00 as the number 540; the author means nine o'clock.
    text = (
        "branches:\n  main:\n    name: Main\n    hours:\n"
        "      - {days: friday, opens: 9:00, closes: 17:30}\n"
    )
    config = load_config(write_config(tmp_path, valid() + text))
    assert config.branches["main"].hours == (OpeningHours(("friday",), "9:00", "17:30"),)


def test_a_number_in_quotes_is_still_a_number(tmp_path: Path) -> None:
    assert load_config(write_config(tmp_path, valid(per_page='"7"'))).per_page == 7


# --- one problem at a time: exact location and a phrase that says how to fix it -----------


@pytest.mark.parametrize(
    ("text", "prefix", "phrase"),
    [
        pytest.param(
            valid(timezne="America/Chicago"),
            'site.yaml:3: "timezne" is not a site.yaml setting. Did you mean "timezone"?',
            "Known settings: title, url",
            id="unknown-key",
        ),
        pytest.param(
            valid(per_page="ten"),
            "site.yaml:3: \"per_page\" must be a whole number of at least 1, not 'ten'.",
            "per_page: 10",
            id="per-page-word",
        ),
        pytest.param(
            valid(per_page="0"),
            'site.yaml:3: "per_page" must be a whole number of at least 1, not 0.',
            "per_page: 10",
            id="per-page-zero",
        ),
        pytest.param(
            valid(allow_raw_html="maybe"),
            "site.yaml:3: \"allow_raw_html\" must be true or false, not 'maybe'.",
            "allow_raw_html: true",
            id="boolean-maybe",
        ),
        pytest.param(
            valid(allow_raw_html="2026-12-01"),
            'site.yaml:3: "allow_raw_html" must be true or false, not 2026-12-01.',
            "allow_raw_html: true",
            id="boolean-date-shown-as-written",
        ),
        pytest.param(
            valid(timezone="CST"),
            'site.yaml:3: "CST" is an abbreviation, not a time zone name',
            "timezone: America/Chicago",
            id="tz-abbreviation",
        ),
        pytest.param(
            valid(timezone="America/Chicag"),
            'site.yaml:3: "America/Chicag" is not a time zone name. '
            'Did you mean "America/Chicago"?',
            "continent and a city",
            id="tz-typo",
        ),
        pytest.param(
            valid(timezone="EST"),
            'site.yaml:3: "EST" is an abbreviation, not a time zone name',
            "timezone: America/New_York",
            id="tz-est",
        ),
        pytest.param(
            valid(timezone="Chicago"),
            'site.yaml:3: "Chicago" is not a time zone name. Did you mean "America/Chicago"?',
            "continent and a city",
            id="tz-city-only",
        ),
        pytest.param(
            valid(url="www.library.example.org"),
            'site.yaml:2: "url" must be the full address of the site, starting with https://',
            "url: https://www.example-library.org/",
            id="url-without-scheme",
        ),
        pytest.param(
            valid(title="yes"),
            'site.yaml:1: "title" is yes, which YAML reads as true (yes/no), not as text.',
            'title: "yes"',
            id="title-yes",
        ),
        pytest.param(
            valid(theme="My Theme"),
            'site.yaml:3: "theme" must be a short name of lowercase letters',
            "'My Theme'",
            id="theme-name",
        ),
        pytest.param(
            valid(extra="3"),
            'site.yaml:3: "extra" must be a group of settings',
            "(key: value lines)",
            id="extra-not-mapping",
        ),
        pytest.param(
            valid() + "menu:\n  - News\n",
            "site.yaml:3: Each menu entry needs a title and a url.",
            "url: /posts/",
            id="menu-entry-text",
        ),
        pytest.param(
            valid() + "menu:\n  - title: News\n    url: /posts/\n    link: /news/\n",
            'site.yaml:6: "link" is not a menu entry setting.',
            "Known settings: title, url",
            id="menu-entry-unknown-key",
        ),
        pytest.param(
            valid() + "audiences:\n  Kids: Children\n",
            'site.yaml:4: "Kids" in audiences is not a usable id.',
            "like: eastside",
            id="audience-id",
        ),
        pytest.param(
            valid() + "categories:\n  books:\n",
            'site.yaml:4: "books" in categories needs a label.',
            "books: Children and families",
            id="category-label",
        ),
        pytest.param(
            valid() + "branches:\n  main:\n    name: Main\n    phnoe: 555-0100\n",
            'site.yaml:6: "phnoe" is not a branch setting. Did you mean "phone"?',
            "Known settings: name, address",
            id="branch-typo",
        ),
        pytest.param(
            valid() + "branches:\n  - main\n",
            'site.yaml:3: "branches" must be a group of settings',
            "(key: value lines)",
            id="branches-list",
        ),
        pytest.param(
            valid() + "highlights:\n  sources: 3\n",
            'site.yaml:4: "sources" must be a list of feeds.',
            "- id: teen-blog",
            id="sources-not-a-list",
        ),
        pytest.param(
            valid()
            + "highlights:\n  sources:\n    - {id: a, url: https://a.example/, trust: always}\n",
            "site.yaml:5: \"trust\" must be review or auto, not 'always'.",
            "trust: review",
            id="source-trust",
        ),
        pytest.param(
            valid() + "highlights:\n  sources:\n    - {id: a, url: feeds.example.org/rss}\n",
            "site.yaml:5: A source url must start with https://",
            "'feeds.example.org/rss'",
            id="source-url",
        ),
    ],
)
def test_a_broken_setting_names_its_line_and_the_fix(
    tmp_path: Path, text: str, prefix: str, phrase: str
) -> None:
    problems = config_problems(tmp_path, text)
    assert [problem.startswith(prefix) for problem in problems] == [True], problems
    assert phrase in problems[0]


def test_legacy_zone_names_are_refused_without_suggesting_themselves(tmp_path: Path) -> None:
    (problem,) = config_problems(tmp_path, valid(timezone="EST5EDT"))
    assert problem.startswith('site.yaml:3: "EST5EDT" is not a time zone name.\n')
    assert "Did you mean" not in problem
    assert "timezone: America/Chicago" in problem


@pytest.mark.parametrize("name", ["UTC", "Etc/UTC", "Europe/Berlin", "America/Indiana/Knox"])
def test_real_zone_names_are_accepted(tmp_path: Path, name: str) -> None:
    assert load_config(write_config(tmp_path, valid(timezone=name))).timezone_name == name


def test_bad_branch_hours_each_get_a_problem(tmp_path: Path) -> None:
    text = valid() + textwrap.dedent(
        """\
        branches:
          main:
            name: Main
            hours:
              - {days: [monday, funday], opens: 9am, closes: "20:00"}
              - {days: [tuesday], opens: "09:00", closes: "25:00"}
              - {days: [sunday], closed: true}
              - {days: [saturday], opens: "10:00", close: "14:00"}
        """
    )
    problems = config_problems(tmp_path, text)
    assert [problem.split("\n")[0] for problem in problems] == [
        'site.yaml:7: "funday" is not a day of the week.',
        "site.yaml:7: \"opens\" must be a 24-hour time in quotes ('9am').",
        "site.yaml:8: \"closes\" must be a 24-hour time in quotes ('25:00').",
        'site.yaml:10: "close" is not an opening hours setting. Did you mean "closes"?',
        "site.yaml:10: \"closes\" must be a 24-hour time in quotes ('').",
    ]
    assert all('opens: "09:00"' in problem for problem in problems if "24-hour" in problem)


def test_several_problems_are_reported_together(tmp_path: Path) -> None:
    text = "titel: Riverbend\nurl: library.example.org\nper_page: ten\ntimezone: CST\n"
    problems = config_problems(tmp_path, text)
    expected = [
        'site.yaml:1: "titel" is not a site.yaml setting. Did you mean "title"?',
        'site.yaml:1: "title" is missing: every site.yaml needs one.',
        'site.yaml:2: "url" must be the full address of the site, starting with https://',
        "site.yaml:3: \"per_page\" must be a whole number of at least 1, not 'ten'.",
        'site.yaml:4: "CST" is an abbreviation, not a time zone name;',
    ]
    assert len(problems) == len(expected), problems
    for prefix in expected:
        assert [p for p in problems if p.startswith(prefix)], (prefix, problems)


def test_empty_site_yaml_asks_for_title_and_url(tmp_path: Path) -> None:
    assert [p.split("\n")[0] for p in config_problems(tmp_path, "")] == [
        'site.yaml:1: "title" is missing: every site.yaml needs one.',
        'site.yaml:1: "url" is missing: every site.yaml needs one.',
    ]


def test_site_yaml_that_is_a_list_is_refused(tmp_path: Path) -> None:
    assert config_problems(tmp_path, "- title: T\n") == [
        "site.yaml:1: site.yaml must be a list of `key: value` settings."
    ]


def test_yaml_syntax_errors_in_site_yaml_have_a_line(tmp_path: Path) -> None:
    (problem,) = config_problems(tmp_path, valid() + "description: Books: and more\n")
    assert problem.startswith("site.yaml:3: A colon in a value confuses YAML.")


def test_missing_site_yaml(tmp_path: Path) -> None:
    with pytest.raises(SiteError) as caught:
        load_config(tmp_path)
    (problem,) = caught.value.problems
    assert problem.message == f"There is no site.yaml in {tmp_path.resolve()}."
    assert "sitegen init DIR" in problem.hint
    assert "--site DIR" in problem.hint


def test_site_yaml_not_utf8_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_bytes(
        b"title: Biblioth\xc3\xa8que\nurl: https://library.example.org/\n"
        b"description: Le caf\xe9 est ouvert.\n"
    )
    with pytest.raises(SiteError) as caught:
        load_config(tmp_path)
    (problem,) = caught.value.problems
    assert problem.format().startswith(
        "site.yaml:3: site.yaml is not saved as UTF-8 text (byte 0xe9 cannot be read)."
    )
    assert "save it with the UTF-8 encoding" in problem.hint


def test_site_yaml_with_bom_and_crlf_is_fine(tmp_path: Path) -> None:
    text = "title: Biblioth\u00e8que\r\nurl: https://library.example.org/\r\nper_page: 5\r\n"
    (tmp_path / "site.yaml").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    config = load_config(tmp_path)
    assert (config.title, config.per_page) == ("Biblioth\u00e8que", 5)
