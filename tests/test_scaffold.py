"""`sitegen new event "Title"`: a commented event file that builds as it is and teaches fields."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import write_files

from sitegen.cli import main
from sitegen.readers.events import CHANGE_KEYS, EVENT_KEYS

NOW = "2026-12-01T09:00:00-06:00"
SITE = """
-- site.yaml --
title: Test Library
url: https://library.example.org/
timezone: America/Chicago
branches:
  eastside: {name: Eastside Branch}
  central: {name: Central Library}
audiences: {kids: Children, adults: Adults}
categories: {makerspace: Makerspace}
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_files(tmp_path / "site", SITE)


def new_event(root: Path, title: str, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["new", "event", title, "--site", str(root), "--now", NOW]) == 0
    return Path(capsys.readouterr().out.strip())


def test_new_event_prints_its_path_and_builds_as_it_is(root, capsys):
    path = new_event(root, "Lego Club: Builders", capsys)

    assert path == root / "content/events/lego-club-builders.md"
    text = path.read_text("utf-8")
    assert 'title: "Lego Club: Builders"\n' in text
    assert "start: 2026-12-08 10:30\n" in text  # a week from today, to be edited
    assert "branch: eastside\n" in text  # the first branch of this site
    assert "(eastside, central)" in text and "kids, adults" in text and "makerspace" in text

    assert main(["build", "--site", str(root), "--now", NOW, "--strict"]) == 0
    page = BeautifulSoup(
        (root / "public/events/lego-club-builders/index.html").read_text("utf-8"), "html.parser"
    )
    assert page.select_one("main h1").get_text(strip=True) == "Lego Club: Builders"


def test_new_event_never_overwrites(root, capsys):
    path = new_event(root, "Lego Club", capsys)
    path.write_text("---\ntitle: Edited\nstart: 2026-12-08 10:30\n---\n", "utf-8")

    assert main(["new", "event", "Lego Club", "--site", str(root), "--now", NOW]) == 1

    assert "exists already" in capsys.readouterr().err
    assert path.read_text("utf-8").startswith("---\ntitle: Edited")


def test_every_commented_example_is_a_real_setting(root, capsys):
    text = new_event(root, "Lego Club", capsys).read_text("utf-8")
    front = text.split("---\n")[1]
    examples = re.findall(r"^#( +)([a-z_]+): (.*?)(?: {2,}\(.*)?$", front, re.MULTILINE)
    keys = {key for _, key, _ in examples}
    assert {"repeat", "except", "changes", "status", "online_url", "timezone"} <= keys
    for indent, key, value in examples:
        if len(indent) > 5:  # inside the changes: example
            assert key in CHANGE_KEYS, key
            continue
        assert key in EVENT_KEYS, key
        yaml.safe_load(f"{key}: {value}")  # each example is valid YAML as written


def test_a_site_without_branches_gets_a_commented_branch(tmp_path, capsys):
    root = write_files(tmp_path / "bare", "-- content/.keep --\n")
    path = new_event(root, "Book Sale", capsys)
    assert "# branch: central\n" in path.read_text("utf-8")
    assert main(["build", "--site", str(root), "--now", NOW, "--strict"]) == 0
