"""The web editor at /admin/: Decap's config.yml made from the content schema, and its page.

The config must name every front matter key the readers accept, with the right widget, and
an entry saved by Decap (files in decap_entries/, made as Decap writes them) must build.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import NOW, write_files

from sitegen.config import load_config
from sitegen.event_model import STATUSES
from sitegen.highlight_model import STATUSES as HIGHLIGHT_STATUSES
from sitegen.outputs import admin, editor_fields
from sitegen.readers.events import CHANGE_KEYS, EVENT_KEYS
from sitegen.readers.highlights import HIGHLIGHT_KEYS
from sitegen.readers.pages import PAGE_KEYS
from sitegen.readers.posts import POST_KEYS

DECAP_ENTRIES = Path(__file__).parent / "decap_entries"
SITE = """
-- site.yaml --
title: Test Library
url: https://library.example.org/
timezone: America/Chicago
branches:
  main: {name: Main Library}
  eastside: {name: Eastside Branch}
audiences: {kids: Children, teens: Teens}
categories: {technology: Technology, books: Books and reading}
editor:
  backend: git-gateway
-- content/pages/about.md --
---
title: About
---
About us.
"""
KEYS = {"posts": POST_KEYS, "pages": PAGE_KEYS, "events": EVENT_KEYS, "highlights": HIGHLIGHT_KEYS}


@pytest.fixture
def site(make_site):
    built = make_site(SITE)
    assert built.problems == []
    return built


def config_of(site) -> dict:
    return yaml.safe_load(site.text("admin/config.yml"))


def collection(config: dict, name: str) -> dict:
    (found,) = [c for c in config["collections"] if c["name"] == name]
    return found


def fields_by_name(collection: dict) -> dict[str, dict]:
    return {field["name"]: field for field in collection["fields"]}


# --- config.yml ---


def test_config_is_yaml_with_the_editorial_workflow_and_media_folder(site) -> None:
    config = config_of(site)
    assert config["backend"] == {"name": "git-gateway", "branch": "main", "squash_merges": True}
    assert config["publish_mode"] == "editorial_workflow"
    assert config["media_folder"] == "static/images"
    assert config["public_folder"] == "/images"
    assert config["site_url"] == "https://library.example.org/"
    assert [c["name"] for c in config["collections"]] == list(KEYS)


@pytest.mark.parametrize("name", list(KEYS))
def test_every_front_matter_key_is_a_field_in_the_readers_order(site, name: str) -> None:
    found = collection(config_of(site), name)
    assert [field["name"] for field in found["fields"]] == [*KEYS[name], "body"]
    for field in found["fields"]:
        assert field["label"] and field["widget"], field


@pytest.mark.parametrize("name", list(KEYS))
def test_each_collection_is_a_folder_of_markdown_files_staff_can_add_to(site, name: str) -> None:
    found = collection(config_of(site), name)
    assert found["folder"] == f"content/{name}"
    assert (found["create"], found["extension"], found["format"]) == (True, "md", "frontmatter")


@pytest.mark.parametrize(
    ("kind", "name"),
    [("post", "posts"), ("page", "pages"), ("event", "events"), ("highlight", "highlights")],
)
def test_only_the_keys_the_readers_require_are_required(site, kind: str, name: str) -> None:
    fields = fields_by_name(collection(config_of(site), name))
    required = {key for key, field in fields.items() if field.get("required", True)}
    # Decap treats a field without `required` as required; hidden fields are never shown.
    required -= {key for key, field in fields.items() if field["widget"] == "hidden"}
    assert required == set(editor_fields.REQUIRED[kind])


@pytest.mark.parametrize(
    ("kind", "folder", "key", "front"),
    [
        ("post", "posts", "title", "date: 2026-11-01"),
        ("post", "posts", "date", "title: A post"),
        ("page", "pages", "title", "menu: 2"),
        ("event", "events", "title", "start: 2026-12-10 10:00"),
        ("event", "events", "start", "title: An event"),
        ("highlight", "highlights", "title", "url: https://example.org/a"),
        ("highlight", "highlights", "url", "title: A highlight"),
    ],
)
def test_a_required_key_is_one_the_reader_refuses_a_file_without(
    make_site, kind: str, folder: str, key: str, front: str
) -> None:
    built = make_site(f"-- content/{folder}/x.md --\n---\n{front}\n---\nText.\n")
    assert f'content/{folder}/x.md:2: "{key}" is missing: every {kind} needs one.' in [
        p.splitlines()[0] for p in built.problems
    ]


def test_branches_audiences_and_categories_are_choices_from_site_yaml(site) -> None:
    fields = fields_by_name(collection(config_of(site), "events"))
    assert fields["branch"]["widget"] == "select"
    assert fields["branch"]["options"] == [
        {"label": "Main Library", "value": "main"},
        {"label": "Eastside Branch", "value": "eastside"},
    ]
    assert fields["audiences"]["multiple"] is True
    assert [o["value"] for o in fields["audiences"]["options"]] == ["kids", "teens"]
    assert [o["value"] for o in fields["categories"]["options"]] == ["technology", "books"]


def test_statuses_are_choices_of_the_models_values(site) -> None:
    config = config_of(site)
    events = fields_by_name(collection(config, "events"))
    assert [o["value"] for o in events["status"]["options"]] == list(STATUSES)
    assert events["status"]["default"] == "scheduled"
    highlights = fields_by_name(collection(config, "highlights"))
    assert highlights["status"]["widget"] == "select"
    assert [o["value"] for o in highlights["status"]["options"]] == list(HIGHLIGHT_STATUSES)


def test_highlights_can_be_filtered_by_review_status(site) -> None:
    found = collection(config_of(site), "highlights")
    patterns = [f["pattern"] for f in found["view_filters"] if f["field"] == "status"]
    assert set(patterns) == set(HIGHLIGHT_STATUSES)
    assert found["media_folder"] == found["public_folder"] == "images"


def test_changes_to_single_dates_are_a_list_of_the_change_keys(site) -> None:
    fields = fields_by_name(collection(config_of(site), "events"))
    assert fields["changes"]["widget"] == "list"
    assert fields["changes"]["default"] == []
    assert [f["name"] for f in fields["changes"]["fields"]] == list(CHANGE_KEYS)
    assert fields["except"]["field"]["widget"] == "datetime"
    assert fields["except"]["field"]["time_format"] is False


@pytest.mark.parametrize("name", ["posts", "pages", "events", "highlights"])
def test_every_picture_comes_with_its_description_field(site, name: str) -> None:
    fields = fields_by_name(collection(config_of(site), name))
    names = list(fields)
    assert fields["image"]["widget"] == "image"
    assert fields["image"]["choose_url"] is False  # pictures from other sites leak visitors
    assert names.index("image_alt") == names.index("image") + 1
    assert "Required when there is a picture" in fields["image_alt"]["hint"]


def test_the_editor_refuses_to_save_a_picture_without_a_description(site) -> None:
    page = BeautifulSoup(site.text("admin/index.html"), "html.parser")
    assert page.select_one('script[src="sitegen-admin.js"]') is not None
    script = site.text("admin/sitegen-admin.js")
    assert 'name: "preSave"' in script
    assert 'data.get("image_alt")' in script and "throw new Error" in script


def test_an_empty_choice_list_becomes_a_text_field(tmp_path: Path) -> None:
    config = load_config(write_files(tmp_path, "-- content/.keep --\n"))
    assert editor_fields.widget_for("event", "branch")["widget"] == "select"
    assert editor_fields.fields_for("event", ["branch"], config) == [
        {
            "name": "branch",
            "label": "Branch",
            "widget": "string",
            "required": False,
            "hint": "Add branches to site.yaml to choose from a list here.",
        }
    ]


def test_a_key_without_a_widget_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="no Decap widget for the post key 'colour'"):
        editor_fields.widget_for("post", "colour")


def test_the_github_backend_names_the_repository(make_site) -> None:
    built = make_site(
        "-- site.yaml --\ntitle: T\nurl: https://l.example.org/\n"
        "editor:\n  backend: github\n  repo: riverbend/website\n  review: false\n"
    )
    config = yaml.safe_load(built.text("admin/config.yml"))
    assert config["backend"] == {"name": "github", "branch": "main", "repo": "riverbend/website"}
    assert "publish_mode" not in config
    page = BeautifulSoup(built.text("admin/index.html"), "html.parser")
    assert not [s for s in page.select("script[src]") if "identity" in s["src"]]
    assert not built.exists("admin/emails/invitation.html")


@pytest.mark.parametrize(
    ("editor", "message"),
    [
        (
            "  backend: gitlab",
            "site.yaml:4: \"backend\" must be git-gateway or github, not 'gitlab'.",
        ),
        ("  backend: github", 'site.yaml:4: The github backend needs "repo"'),
        ("  repo: not a repo", 'site.yaml:4: "repo" must be the GitHub repository as owner/name'),
        (
            "  reveiw: true",
            'site.yaml:4: "reveiw" is not an editor setting. Did you mean "review"?',
        ),
    ],
)
def test_editor_settings_mistakes(make_site, editor: str, message: str) -> None:
    built = make_site(
        f"-- site.yaml --\ntitle: T\nurl: https://l.example.org/\neditor:\n{editor}\n"
    )
    assert any(problem.startswith(message) for problem in built.problems), built.problems


# --- the page ---


def test_the_page_loads_pinned_decap_with_integrity_and_no_inline_script(site) -> None:
    page = BeautifulSoup(site.text("admin/index.html"), "html.parser")
    scripts = page.select("script")
    assert all(script.get("src") for script in scripts)
    third_party = [s for s in scripts if s["src"].startswith("https://")]
    assert [s["src"] for s in third_party] == [admin.IDENTITY_URL, admin.DECAP_URL]
    assert f"decap-cms@{admin.DECAP_VERSION}/" in admin.DECAP_URL
    for script in third_party:
        assert script["integrity"].startswith("sha384-")
        assert script["crossorigin"] == "anonymous"
    assert page.select_one('meta[name="robots"]')["content"] == "noindex, nofollow"


def test_the_editor_is_not_in_the_sitemap(site) -> None:
    assert "/admin/" not in site.text("sitemap.xml")


def test_the_identity_emails_lead_to_the_editor(site) -> None:
    invitation = site.text("admin/emails/invitation.html")
    assert '{{ .SiteURL }}/admin/#invite_token={{ .Token }}"' in invitation
    assert "#recovery_token=" in site.text("admin/emails/recovery.html")


def test_no_editor_without_the_editor_setting(make_site) -> None:
    built = make_site("-- content/pages/about.md --\n---\ntitle: About\n---\nHi.\n")
    assert not built.exists("admin/index.html")


# --- entries saved by Decap ---


def test_entries_saved_by_decap_build(tmp_path: Path) -> None:
    root = write_files(tmp_path / "site", SITE)
    for folder in ("posts", "pages", "events", "highlights"):
        shutil.copytree(DECAP_ENTRIES / folder, root / "content" / folder, dirs_exist_ok=True)
    (root / "static/images").mkdir(parents=True)
    (root / "static/images/game-night.png").write_bytes(b"\x89PNG\r\n\x1a\n")

    from sitegen.build import build_site

    result = build_site(root, now=NOW)
    assert [p.format() for p in result.problems] == []
    out = result.output_dir
    assert out is not None

    event = BeautifulSoup((out / "events/teen-game-night/index.html").read_text(), "html.parser")
    assert event.select_one("h1").get_text(strip=True) == "Teen Game Night: Board Games & Snacks"
    assert event.select_one('a[href="https://www.example-library.org/register/game-night"]')
    post = out / "posts/holiday-hours-closed-december-24-26/index.html"
    assert "Holiday Hours" in post.read_text()
    home = BeautifulSoup((out / "index.html").read_text(), "html.parser")
    menu = [a.get_text(strip=True) for a in home.select("header nav a")]
    assert "Library Cards" in menu
    assert "Our visit to the seed library" in (out / "highlights/index.html").read_text()


def test_decap_entries_are_in_the_fields_order_of_the_config(site) -> None:
    config = config_of(site)
    for name in KEYS:
        order = [field["name"] for field in collection(config, name)["fields"]]
        for file in (DECAP_ENTRIES / name).glob("*.md"):
            front = yaml.safe_load(file.read_text().split("---\n")[1])
            assert list(front) == [key for key in order if key in front], file.name
