"""Themes: overriding one template, a theme that extends another, template errors an author can
act on, and theme assets under a content-hashed folder.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

POST = """
-- content/posts/2026-03-01-hello.md --
---
title: Hello Readers
date: 2026-03-01
tags: [News]
---

Welcome to the new website.
-- content/pages/about.md --
---
title: About Us
menu: 1
---

We are a library.
"""
ASSET = re.compile(r"/assets/([0-9a-f]{6,})/css/style\.css")


def all_pages(built) -> dict[str, BeautifulSoup]:
    return {
        path.relative_to(built.out).as_posix(): BeautifulSoup(
            path.read_text(encoding="utf-8"), "html.parser"
        )
        for path in built.out.rglob("*.html")
    }


def only_problem(built) -> str:
    assert not built.result.written
    (problem,) = built.problems
    return problem


def test_a_site_template_replaces_only_that_template(make_site):
    built = make_site(
        POST
        + """
-- themes/default/templates/partials/footer.html --
<footer class="site-footer"><p class="our-footer">Open late on Thursdays.</p></footer>
"""
    )
    assert built.problems == []
    pages = all_pages(built)
    assert len(pages) > 5
    for path, soup in pages.items():
        footers = soup.select("footer.site-footer")
        assert [f.get_text(strip=True) for f in footers] == ["Open late on Thursdays."], path
        assert soup.select_one("header.site-header a.brand") is not None, path
        assert soup.select_one('link[rel="stylesheet"]') is not None, path
    post = pages["posts/hello/index.html"]
    assert post.select_one("main h1").get_text(strip=True) == "Hello Readers"
    assert post.select_one("main .prose").get_text(strip=True) == "Welcome to the new website."
    assert [a["href"] for a in post.select("nav.site-menu a")] == ["/about/"]


def test_a_theme_that_extends_default_overrides_one_page_type(make_site):
    built = make_site(
        POST
        + """
-- site.yaml --
title: Test Library
url: https://library.example.org/
theme: riverbend
-- themes/riverbend/theme.yaml --
name: riverbend
extends: default
-- themes/riverbend/templates/post.html --
{% extends "base.html" %}
{% block content %}
<article class="riverbend-post">
  <h1>{{ post.title }}</h1>
  <div class="riverbend-body">{{ post.content }}</div>
</article>
{% endblock %}
"""
    )
    assert built.problems == []
    post = built.html("posts/hello/index.html")
    assert post.select_one("main article.riverbend-post h1").get_text() == "Hello Readers"
    assert post.select_one(".riverbend-body").get_text(strip=True) == (
        "Welcome to the new website."
    )
    assert post.select_one("article.post") is None
    # Everything else still comes from the default theme.
    assert post.select_one("footer.site-footer") is not None
    assert ASSET.fullmatch(post.select_one('link[href$="/style.css"]')["href"])
    home = built.html("index.html")
    assert home.select_one(".post-card-title a")["href"] == "/posts/hello/"
    assert built.html("about/index.html").select_one("article.page h1").get_text() == "About Us"


SYNTAX_ERROR = """
-- themes/default/templates/post.html --
{% extends "base.html" %}
{% block content %}
<h1>{{ post.title }</h1>
{% endblock %}
"""

UNDEFINED_ATTRIBUTE = """
-- themes/default/templates/post.html --
{% extends "base.html" %}
{% block content %}
<h1>{{ post.title }}</h1>
<p>{{ post.subtitle }}</p>
{% endblock %}
"""

UNDEFINED_NAME = """
-- themes/default/templates/page.html --
{% extends "base.html" %}
{% block content %}

<p>{{ opening_hours }}</p>
{% endblock %}
"""


@pytest.mark.parametrize(
    ("files", "location", "phrase", "content_file"),
    [
        (SYNTAX_ERROR, "themes/default/templates/post.html:3", "Template error", "hello.md"),
        (UNDEFINED_ATTRIBUTE, "themes/default/templates/post.html:4", "subtitle", "hello.md"),
        (UNDEFINED_NAME, "themes/default/templates/page.html:4", "opening_hours", "about.md"),
    ],
    ids=["syntax-error", "undefined-attribute", "undefined-name"],
)
def test_template_errors_name_the_template_line_and_the_content_file(
    make_site, files, location, phrase, content_file
):
    built = make_site(POST + files)
    problem = only_problem(built)
    first_line, _, hint = problem.partition("\n")
    assert first_line.startswith(f"{location}: "), problem
    assert phrase in first_line
    kind = "posts/2026-03-01-" if content_file == "hello.md" else "pages/"
    assert f"content/{kind}{content_file}" in hint
    assert not built.out.exists()


def test_an_error_in_a_packaged_template_is_located_in_the_theme(make_site):
    built = make_site(
        POST
        + """
-- themes/default/templates/page.html --
{% extends "base.html" %}
{% block content %}{{ page.title | no_such_filter }}{% endblock %}
"""
    )
    problem = only_problem(built)
    assert problem.startswith("themes/default/templates/page.html:2: "), problem
    assert "no_such_filter" in problem


def test_a_missing_theme_is_an_error_in_site_yaml(make_site):
    built = make_site(
        POST
        + """
-- site.yaml --
title: Test Library
url: https://library.example.org/
theme: nosuch
"""
    )
    problem = only_problem(built)
    assert problem.startswith("site.yaml"), problem
    assert '"nosuch"' in problem
    assert "themes/nosuch/" in problem
    assert "theme: default" in problem


def test_a_missing_parent_theme_is_an_error_in_the_theme_yaml_that_names_it(make_site):
    built = make_site(
        POST
        + """
-- site.yaml --
title: Test Library
url: https://library.example.org/
theme: riverbend
-- themes/riverbend/theme.yaml --
name: riverbend
extends: ghost
-- themes/riverbend/templates/post.html --
{% extends "base.html" %}
"""
    )
    problem = only_problem(built)
    assert problem.startswith("themes/riverbend/theme.yaml:2: "), problem
    assert '"ghost"' in problem
    assert "extends: default" in problem


def stylesheet(built, page: str = "index.html") -> str:
    hrefs = [
        link["href"]
        for link in built.html(page).select('link[rel="stylesheet"]')
        if link["href"].endswith("/style.css")
    ]
    (href,) = hrefs
    return href


def test_theme_assets_live_under_a_hash_that_changes_with_the_css(make_site):
    first = make_site(POST)
    assert first.problems == []
    href = stylesheet(first)
    assert ASSET.fullmatch(href), href
    served = first.file(href.lstrip("/"))
    assert served.is_file()
    assert b"{" in served.read_bytes()
    print_css = first.html("index.html").select_one('link[rel="stylesheet"][media="print"]')
    assert first.file(print_css["href"].lstrip("/")).is_file()
    for page in ("posts/hello/index.html", "about/index.html", "404.html"):
        assert stylesheet(first, page) == href

    again = make_site(POST)
    assert stylesheet(again) == href

    changed = make_site(
        POST
        + """
-- themes/default/static/css/style.css --
body { color: #123456; }
"""
    )
    assert changed.problems == []
    new_href = stylesheet(changed)
    assert ASSET.fullmatch(new_href)
    assert new_href != href
    assert changed.file(new_href.lstrip("/")).read_text() == "body { color: #123456; }\n"
    assert not changed.file(href.lstrip("/")).exists()
