"""`sitegen check`: a table of broken inputs and the exact `path:line: message` each gives.

Each case is a tiny site (txtar, see conftest) checked at NOW; the first line of every problem
is compared whole, so a change of wording is a change of this table.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import NOW, write_files

from sitegen.check import check_site, format_markdown, format_text
from sitegen.cli import main

PAGE = "-- content/pages/about.md --\n---\ntitle: About\n---\n\n"
BROKEN = [
    pytest.param(
        PAGE + "## History {#history}\n\nRead [our story](/abut/).\n",
        ['content/pages/about.md:7: The link to "/abut/" leads to no page of the site.'],
        id="link to a page that does not exist",
    ),
    pytest.param(
        PAGE + "See [the hours](/about/#hours).\n",
        [
            'content/pages/about.md:5: The link to "/about/#hours" leads to a page without the '
            'part "#hours".'
        ],
        id="link to a part of a page that is not there",
    ),
    pytest.param(
        PAGE + "Jump [down](#nowhere).\n",
        [
            'content/pages/about.md:5: The link to "#nowhere" leads to a page without the part '
            '"#nowhere".'
        ],
        id="link to a part of the same page that is not there",
    ),
    pytest.param(
        "-- content/pages/visit/parking.md --\n---\ntitle: Parking\n---\n\n"
        "Back to [the visit page](../hours/).\n",
        ['content/pages/visit/parking.md:5: The link to "../hours/" leads to no page of the site.'],
        id="relative link, resolved from the page's address",
    ),
    pytest.param(
        PAGE + "Our [contact page](https://library.example.org/contact/).\n",
        [
            'content/pages/about.md:5: The link to "https://library.example.org/contact/" '
            "leads to no page of the site."
        ],
        id="full address of the site itself",
    ),
    pytest.param(
        PAGE + "![The reading room](/images/reading-room.jpg)\n",
        ['content/pages/about.md:5: The image "/images/reading-room.jpg" is not in the site.'],
        id="image that is not in static/",
    ),
    pytest.param(
        PAGE + "![](/images/logo.png)\n" + "-- static/images/logo.png --\npng\n",
        ['content/pages/about.md:5: An image has no description (alt text): "/images/logo.png".'],
        id="Markdown image without alt text",
    ),
    pytest.param(
        "-- content/posts/2026-11-02-fair.md --\n---\ntitle: Book fair\ndate: 2026-11-02\n"
        "image: /images/fair.jpg\n---\n\nText.\n-- static/images/fair.jpg --\njpg\n",
        [
            'content/posts/2026-11-02-fair.md:4: "image" needs "image_alt": a short description '
            "for people who cannot see it."
        ],
        id="front matter image without image_alt",
    ),
    pytest.param(
        PAGE + "## Services\n\n#### Printing\n",
        [
            'content/pages/about.md:7: warning: The heading "Printing" skips a level: a level-4 '
            "heading after a level-2 one."
        ],
        id="heading that skips a level",
    ),
    pytest.param(
        PAGE + "# About us\n",
        [
            'content/pages/about.md:5: warning: The heading "About us" is a level-1 heading (#), '
            "but the title is the page's only one."
        ],
        id="second level-1 heading",
    ),
    pytest.param(
        PAGE + "Click [](/about/) for more.\n",
        ['content/pages/about.md:5: A link has no text: "/about/".'],
        id="link without text",
    ),
    pytest.param(
        "-- content/events/talk.md --\n---\ntitle: Author talk\nstart: 2026-12-10 18:00\n"
        "registration_required: true\n---\n\nText.\n",
        [
            'content/events/talk.md:4: warning: Registration is required ("registration_required: '
            'true") but there is no "registration_url".'
        ],
        id="registration required without a registration link",
    ),
    pytest.param(
        '-- content/events/talk.md --\n---\ntitle: "Upcoming: author talk"\n'
        "start: 2026-11-10 18:00\n---\n\nText.\n",
        [
            "content/events/talk.md:2: warning: The event ended on 2026-11-10 but still says "
            '"upcoming".'
        ],
        id="finished event still called upcoming",
    ),
    pytest.param(
        "-- content/highlights/park.md --\n---\ntitle: Storytime in the park\n"
        "url: https://example.org/park\ndate: 2026-11-01\nstatus: pending\n---\n",
        [
            "content/highlights/park.md:5: warning: This highlight has waited for review for 30 "
            "days (more than 7)."
        ],
        id="highlight pending for more than 7 days",
    ),
    pytest.param(
        "-- site.yaml --\ntitle: T\nurl: https://library.example.org/\nmenu:\n"
        "  - {title: Hours, url: /hourz/}\n",
        ['site.yaml:4: The menu entry "Hours" leads to no page of the site (/hourz/).'],
        id="menu entry that leads nowhere",
    ),
]


def problems_of(tmp_path: Path, files: str, **options) -> list[str]:
    root = write_files(tmp_path / "site", files)
    report = check_site(root, now=NOW, **options)
    return [problem.format().splitlines()[0] for problem in report.problems]


@pytest.mark.parametrize(("files", "expected"), BROKEN)
def test_broken_input_gives_its_message(tmp_path: Path, files: str, expected: list[str]) -> None:
    assert problems_of(tmp_path, files) == expected


def test_a_sound_site_has_no_problems(tmp_path: Path) -> None:
    files = (
        PAGE + "## Opening hours\n\nSee [the news](/posts/) and [hours](#opening-hours), "
        "[the fair](/posts/fair/), [our site](https://library.example.org/) and "
        "[a friend](https://example.org/missing/) or [mail us](mailto:ask@example.org).\n\n"
        "![The reading room](/images/room.jpg)\n\n### Weekdays\n\n## Holidays\n"
        "-- static/images/room.jpg --\njpg\n"
        "-- content/posts/2026-11-02-fair.md --\n---\ntitle: Fair\ndate: 2026-11-02\n---\n\n"
        "Back to [about](/about) and its [hours](/about/#opening-hours).\n"
        "-- content/events/talk.md --\n---\ntitle: Talk\nstart: 2026-12-10 18:00\n"
        "registration_required: true\nregistration_url: https://example.org/register\n---\n\nHi.\n"
    )
    assert problems_of(tmp_path, files) == []


def test_links_netlify_redirects_are_not_broken(tmp_path: Path) -> None:
    files = (
        PAGE + "See [the catalog](/catalog/), [old news](/news/2019/spring/) and [hours](/hours).\n"
        "-- static/_redirects --\n# old addresses\n/catalog/ https://catalog.example.org/ 301\n"
        "/news/* /posts/ 301\n"
        '-- netlify.toml --\n[[redirects]]\n  from = "/hours"\n  to = "/about/"\n'
    )
    assert problems_of(tmp_path, files) == []


def test_hints_say_how_to_fix_it(tmp_path: Path) -> None:
    root = write_files(tmp_path / "site", PAGE + "Read [our story](/abut/).\n![](/images/x.jpg)\n")
    hints = [problem.hint for problem in check_site(root, now=NOW).problems]
    assert hints == [
        'Did you mean "/about/"?',
        "Put the file at static/images/x.jpg, or correct the path.",
        "Describe what it shows: ![Children at storytime](/images/storytime.jpg)",
    ]


def test_drafts_and_scheduled_posts_are_checked_too(tmp_path: Path) -> None:
    files = (
        "-- content/posts/2027-01-02-later.md --\n---\ntitle: Later\ndate: 2027-01-02\n"
        "draft: true\n---\n\nSee [this](/nothing/).\n"
    )
    assert problems_of(tmp_path, files) == [
        'content/posts/2027-01-02-later.md:7: The link to "/nothing/" leads to no page of the site.'
    ]


def test_pending_days_come_from_site_yaml_or_the_option(tmp_path: Path) -> None:
    files = (
        "-- site.yaml --\ntitle: T\nurl: https://l.example.org/\ncheck:\n  pending_days: 40\n"
        "-- content/highlights/park.md --\n---\ntitle: Park\nurl: https://example.org/park\n"
        "date: 2026-11-01\nstatus: pending\n---\n"
    )
    assert problems_of(tmp_path, files) == []
    assert problems_of(tmp_path, files, pending_days=3) == [
        "content/highlights/park.md:5: warning: This highlight has waited for review for 30 "
        "days (more than 3)."
    ]


def test_a_clock_behind_the_real_one_reports_events_listed_as_upcoming_after_they_ended(
    tmp_path: Path,
) -> None:
    files = "-- content/events/talk.md --\n---\ntitle: Talk\nstart: 2026-12-02 18:00\n---\n\nHi.\n"
    later = datetime(2026, 12, 5, tzinfo=UTC)
    assert problems_of(tmp_path, files) == []
    assert problems_of(tmp_path, files, real_now=later) == [
        'content/events/talk.md:1: warning: "Talk" ended on 2026-12-02 19:00 but the site lists '
        "it as upcoming: it is built as of 2026-12-01 09:00 (SOURCE_DATE_EPOCH)."
    ]


def test_a_site_that_cannot_be_read_gives_the_builds_problems(tmp_path: Path) -> None:
    assert problems_of(tmp_path, "-- site.yaml --\ntitel: T\n") == [
        'site.yaml:1: "titel" is not a site.yaml setting. Did you mean "title"?',
        'site.yaml:1: "title" is missing: every site.yaml needs one.',
        'site.yaml:1: "url" is missing: every site.yaml needs one.',
    ]


# --- output ---


def test_text_output_ends_with_a_summary(tmp_path: Path) -> None:
    root = write_files(tmp_path / "site", PAGE + "[x](/abut/)\n\n#### Deep\n")
    text = format_text(check_site(root, now=NOW))
    assert text.splitlines()[-1] == (
        "sitegen check: 1 error and 1 warning in 1 file (0 posts, 1 page, 0 events and "
        "0 highlights checked)."
    )


def test_markdown_output_is_a_table_fit_for_a_pull_request(tmp_path: Path) -> None:
    root = write_files(tmp_path / "site", PAGE + "[a|b](/abut/)\n\n![](/images/x_y.jpg)\n")
    markdown = format_markdown(check_site(root, now=NOW))
    lines = markdown.splitlines()
    assert lines[0] == "<!-- sitegen-check -->"
    assert lines[1] == "### ❌ sitegen check: 3 errors"
    assert lines[3:5] == [
        "| | Where | What is wrong | How to fix it |",
        "| --- | --- | --- | --- |",
    ]
    rows = [line for line in lines if line.startswith("| ❌")]
    assert len(rows) == 3
    assert rows[0] == (
        '| ❌ error | `content/pages/about.md:5` | The link to "/abut/" leads to no page of the '
        'site. | Did you mean "/about/"? |'
    )
    # Markdown in a message or hint is shown as written, not as a picture or a link.
    assert r"\!\[Children at storytime\](/images/storytime.jpg)" in markdown
    assert all(row.count(" | ") == 3 for row in rows)
    assert "Checked 0 posts, 1 page, 0 events and 0 highlights as of 2026-12-01 09:00 CST." in (
        markdown
    )


def test_markdown_output_without_problems(tmp_path: Path) -> None:
    root = write_files(tmp_path / "site", PAGE + "Hello.\n")
    assert format_markdown(check_site(root, now=NOW)).splitlines()[1] == (
        "### ✅ sitegen check: no problems found"
    )


# --- the command ---


def run(root: Path, *args: str) -> int:
    return main(["check", "--site", str(root), "--now", "2026-12-01T09:00", *args])


def test_errors_fail_the_command_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_files(tmp_path / "site", PAGE + "[x](/abut/)\n")
    assert run(root) == 1
    out = capsys.readouterr().out
    assert re.match(r'content/pages/about.md:5: The link to "/abut/"', out)
    assert not (root / "public").exists()


def test_warnings_fail_only_in_strict_mode(tmp_path: Path) -> None:
    root = write_files(tmp_path / "site", PAGE + "## A\n\n#### B\n")
    assert run(root) == 0
    assert run(root, "--strict") == 1


def test_markdown_format_from_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_files(tmp_path / "site", PAGE + "Hi.\n")
    assert run(root, "--format", "markdown") == 0
    assert capsys.readouterr().out.startswith("<!-- sitegen-check -->\n### ✅")


@pytest.mark.parametrize("days", ["0", "-3", "seven"])
def test_pending_days_must_be_a_positive_number(tmp_path: Path, days: str) -> None:
    root = write_files(tmp_path / "site", PAGE + "Hi.\n")
    assert run(root, "--pending-days", days) == 2


def test_source_date_epoch_is_compared_with_the_real_clock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_files(
        tmp_path / "site",
        "-- content/events/talk.md --\n---\ntitle: Talk\nstart: 2020-01-02 18:00\n---\n\nHi.\n",
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2020, 1, 1, tzinfo=UTC).timestamp())))
    assert main(["check", "--site", str(root)]) == 0
    assert '"Talk" ended on 2020-01-02 19:00 but the site lists it as upcoming' in (
        capsys.readouterr().out
    )
