"""Theme colours: WCAG contrast math, the default palette meeting AA in light and dark, site.yaml
colours reaching the pages through css/colors.css, and the build's warning for a pair that
fails, naming the colour, the background and both ratios.
"""

from __future__ import annotations

import re

import pytest

from sitegen.render.colors import DARK, LIGHT, Palette
from sitegen.render.contrast import contrast_ratio, format_ratio, relative_luminance

POST = """
-- content/posts/2026-03-01-hello.md --
---
title: Hello Readers
date: 2026-03-01
---

Welcome.
"""


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#000000", 21.0),
        ("#777777", "#777777", 1.0),
        ("#777777", "#ffffff", 4.48),
        ("#767676", "#ffffff", 4.54),
        ("#fc0", "#ffffff", 1.51),
    ],
)
def test_contrast_ratio_follows_wcag(first, second, ratio):
    assert contrast_ratio(first, second) == pytest.approx(ratio, abs=0.01)


def test_luminance_and_rounding_down():
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    assert relative_luminance("#000") == 0.0
    assert format_ratio(4.4999) == "4.4:1"
    assert format_ratio(21.0) == "21:1"
    with pytest.raises(ValueError):
        relative_luminance("#12345")


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=["light", "dark"])
def test_the_default_palette_meets_aa_on_every_surface(palette: Palette):
    surfaces = (palette.background, palette.surface, palette.surface_alt)
    for name in ("text", "muted", "link", "accent"):
        for surface in surfaces:
            assert contrast_ratio(getattr(palette, name), surface) >= 4.5, (name, surface)
    assert contrast_ratio(palette.on_accent, palette.accent) >= 4.5
    for surface in surfaces:
        assert contrast_ratio(palette.focus, surface) >= 3, surface
        assert contrast_ratio(palette.border, surface) >= 2.9, surface


def colors_css(built) -> str:
    href = built.html("index.html").select_one('link[href$="/css/colors.css"]')["href"]
    return built.text(href.lstrip("/"))


def custom_properties(css: str) -> list[dict[str, str]]:
    """The custom properties of each :root rule: light first, then dark."""
    return [
        dict(re.findall(r"--([\w-]+):(#[0-9a-f]{6})", block))
        for block in re.findall(r":root\{([^}]*)\}", css)
    ]


def test_site_colours_reach_the_pages_through_a_stylesheet(make_site):
    built = make_site(
        POST
        + """
-- site.yaml --
title: Test Library
url: https://library.example.org/
colors:
  accent: "#1F5F74"
  accent_dark: "#7cc4d6"
  link: "#235"
"""
    )
    assert built.problems == []
    light, dark = custom_properties(colors_css(built))
    assert (light["accent"], light["on-accent"], light["link"]) == ("#1f5f74", "#ffffff", "#223355")
    assert (dark["accent"], dark["link"]) == ("#7cc4d6", DARK.link)
    assert dark["on-accent"] == DARK.background
    assert "@media (prefers-color-scheme:dark)" in colors_css(built)

    stylesheet = 'link[href$="/css/style.css"]'
    href = built.html("index.html").select_one(stylesheet)["href"]
    plain = make_site(POST + "-- site.yaml --\ntitle: Test Library\nurl: https://a.example/\n")
    assert custom_properties(colors_css(plain))[0]["accent"] == LIGHT.accent
    assert plain.html("index.html").select_one(stylesheet)["href"] != href, (
        "the assets folder's hash changes with the colours"
    )


def test_a_colour_that_is_hard_to_read_is_a_warning_naming_the_pair(make_site):
    built = make_site(
        POST
        + """
-- site.yaml --
title: Test Library
url: https://library.example.org/
colors:
  accent: "#ffcc00"
  link_dark: "#1b5a94"
"""
    )
    assert built.result.written
    first, second = built.problems
    assert first.split("\n")[0] == (
        "site.yaml:4: warning: colors.accent #ffcc00 on the header background #ffffff has "
        "contrast 1.5:1; WCAG AA needs 4.5:1."
    )
    assert "darker" in first
    assert second.startswith(
        "site.yaml:5: warning: colors.link_dark #1b5a94 on the footer background #2a2722 "
        "has contrast 2:1;"
    )
    assert "lighter" in second
    strict = make_site(POST, strict=True)
    assert not strict.result.written


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        ("#1f5f74", "Put it in quotes"),  # unquoted: YAML reads a comment, the value is empty
        ('"teal"', "('teal')"),
        ('"#12345"', "('#12345')"),
    ],
)
def test_a_colour_that_is_not_a_hex_colour_is_an_error(make_site, value, phrase):
    built = make_site(
        POST
        + f"""
-- site.yaml --
title: Test Library
url: https://library.example.org/
colors:
  accent: {value}
"""
    )
    (problem,) = built.problems
    assert problem.startswith('site.yaml:4: "colors.accent" must be a colour')
    assert phrase in problem
    assert not built.result.written
