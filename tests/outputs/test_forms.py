"""The feedback form: static HTML that Netlify Forms receives, with a honeypot and no script.

Netlify finds a form by its `data-netlify` attribute when it deploys, stores the fields it saw
then, and drops submissions that fill the field named by `data-netlify-honeypot`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup, Tag

SITE = """
-- site.yaml --
title: Test Library
url: https://library.example.org/
timezone: America/Chicago
feedback:
  title: Tell us what you think
  intro: Suggest a program or tell us how we are doing.
  topics: [Suggest a program, Something else]
  event_links: true
-- content/events/storytime.md --
---
title: Storytime
start: 2026-12-08 10:30
---
Stories.
"""


@pytest.fixture
def site(make_site):
    built = make_site(SITE)
    assert built.problems == []
    return built


def the_form(page: BeautifulSoup) -> Tag:
    (form,) = page.select("form")
    return form


def test_the_form_is_a_netlify_form_with_a_honeypot(site) -> None:
    page = site.html("feedback/index.html")
    form = the_form(page)
    assert form["name"] == "feedback"
    assert form["method"] == "post"
    assert form["data-netlify"] == "true"
    assert form["action"] == "/feedback/thanks/"
    honeypot = form["data-netlify-honeypot"]
    (trap,) = form.select(f'input[name="{honeypot}"]')
    # Hidden from people and screen readers, never focused with the keyboard.
    assert trap.find_parent(attrs={"hidden": True}) is not None
    assert trap["tabindex"] == "-1"
    assert form.select_one('input[type="hidden"][name="form-name"]')["value"] == "feedback"


def test_every_field_has_a_label_and_the_required_ones_say_so(site) -> None:
    form = the_form(site.html("feedback/index.html"))
    fields = form.select("input:not([type=hidden]), textarea, select")
    visible = [f for f in fields if f.find_parent(attrs={"hidden": True}) is None]
    assert {f["name"] for f in visible} == {"topic", "message", "name", "email"}
    for field in visible:
        label = form.select_one(f'label[for="{field["id"]}"]')
        assert label is not None and label.get_text(strip=True), field
    message = form.select_one("textarea")
    assert message.has_attr("required")
    assert "(required)" in form.select_one(f'label[for="{message["id"]}"]').get_text()
    (topics,) = form.select("fieldset:has(input[name=topic])")
    assert "(required)" in topics.select_one("legend").get_text()
    assert [r["value"] for r in topics.select("input[type=radio]")] == [
        "Suggest a program",
        "Something else",
    ]
    assert form.select_one('input[name="email"]')["type"] == "email"
    assert form.select_one('button[type="submit"]').get_text(strip=True)


def test_the_page_loads_nothing_from_other_sites_and_runs_no_script(site) -> None:
    page = site.html("feedback/index.html")
    assert [s for s in page.select("script") if s.get("type") != "application/ld+json"] == []
    for element in page.select("[src], link[href]"):
        address = element.get("src") or element.get("href")
        if element.name == "link" and element.get("rel") in (["canonical"], ["alternate"]):
            continue
        assert not urlsplit(address).netloc, address


def test_the_thank_you_page_exists_and_is_not_indexed(site) -> None:
    page = site.html("feedback/thanks/index.html")
    assert page.select_one("main h1").get_text(strip=True) == "Thank you"
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    sitemap = site.text("sitemap.xml")
    assert "https://library.example.org/feedback/</loc>" in sitemap
    assert "/feedback/thanks/" not in sitemap


def test_each_event_has_its_own_form_that_names_it(site) -> None:
    page = site.html("events/storytime/feedback/index.html")
    form = the_form(page)
    assert form["name"] == "feedback"  # one form on Netlify, whichever page sent it
    event = form.select_one('input[type="hidden"][name="event"]')["value"]
    assert event == "Storytime (2026-12-08, /events/storytime/)"
    assert page.select_one(".feedback-about a")["href"] == "/events/storytime/"
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert "/events/storytime/feedback/" not in site.text("sitemap.xml")


def test_all_forms_send_the_same_fields(site) -> None:
    def names(path: str) -> list[str]:
        return [f["name"] for f in the_form(site.html(path)).select("[name]") if f.name != "form"]

    assert names("feedback/index.html") == names("events/storytime/feedback/index.html")


def test_no_form_without_feedback_settings(make_site) -> None:
    built = make_site("-- content/pages/about.md --\n---\ntitle: About\n---\nHi.\n")
    assert not built.exists("feedback/index.html")


def test_no_event_forms_unless_asked(make_site) -> None:
    built = make_site(SITE.replace("  event_links: true\n", ""))
    assert built.exists("feedback/index.html")
    assert not built.exists("events/storytime/feedback/index.html")


def test_a_site_in_a_folder_posts_the_form_to_its_own_thank_you_page(make_site) -> None:
    built = make_site(SITE.replace("library.example.org/", "example.org/library/"))
    form = the_form(built.html("feedback/index.html"))
    assert form["action"] == "/library/feedback/thanks/"


def test_contact_fields_can_be_left_out(make_site) -> None:
    built = make_site(SITE.replace("  event_links: true\n", "  ask_contact: false\n"))
    form = the_form(built.html("feedback/index.html"))
    assert form.select('input[name="email"]') == []


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("  titel: Hi", 'site.yaml:4: "titel" is not a feedback setting. Did you mean "title"?'),
        ("  event_links: maybe", 'site.yaml:4: "event_links" must be true or false'),
        ("  topics: {a: b}", 'site.yaml:4: "topics" must be a list.'),
    ],
)
def test_feedback_settings_mistakes(make_site, setting: str, message: str) -> None:
    built = make_site(
        f"-- site.yaml --\ntitle: T\nurl: https://l.example.org/\nfeedback:\n{setting}\n"
    )
    assert any(problem.startswith(message) for problem in built.problems), built.problems


def test_each_event_page_links_to_its_form(site, make_site) -> None:
    link = site.html("events/storytime/index.html").select_one(".event-feedback a")
    assert link["href"] == "/events/storytime/feedback/"
    assert link.get_text(strip=True) == "Tell us what you think of Storytime"
    without = make_site(SITE.replace("  event_links: true\n", ""))
    assert without.html("events/storytime/index.html").select_one(".event-feedback") is None
