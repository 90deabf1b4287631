"""The theme's colours: the default palette, the accents a site sets in site.yaml, the CSS file
that carries them (css/colors.css, so pages need no inline style) and the contrast warnings.

Takes a SiteConfig; gives a light and a dark Palette, their CSS, and Problems (warnings) for
every site colour that fails WCAG AA against the background it is used on.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from sitegen.config import SiteConfig
from sitegen.errors import Problem
from sitegen.render.contrast import TEXT_MINIMUM, contrast_ratio, format_ratio

COLORS_CSS = "css/colors.css"


@dataclass(frozen=True)
class Palette:
    """One colour scheme. Every name becomes a CSS custom property: surface_alt → --surface-alt."""

    background: str  # the page
    surface: str  # the header, cards
    surface_alt: str  # the footer, tags, tables of contents
    text: str
    muted: str  # dates, bylines: still 4.5:1 on every surface
    border: str  # edges of controls: 3:1 on the background
    line: str  # decorative rules and card edges
    accent: str  # the library's name, buttons, badges, the current page
    on_accent: str  # text on an accent background
    link: str
    focus: str  # the focus outline

    def css(self) -> str:
        return ";".join(
            f"--{f.name.replace('_', '-')}:{getattr(self, f.name)}" for f in fields(self)
        )


LIGHT = Palette(
    background="#fbf8f3",
    surface="#ffffff",
    surface_alt="#f3ede3",
    text="#1f1c18",
    muted="#5a5148",
    border="#8f8373",
    line="#e2d8c9",
    accent="#9e3b17",
    on_accent="#ffffff",
    link="#1b5a94",
    focus="#b8420f",
)
DARK = Palette(
    background="#181714",
    surface="#211f1b",
    surface_alt="#2a2722",
    text="#f1ece4",
    muted="#bdb3a6",
    border="#776e62",
    line="#3b3731",
    accent="#f4a37a",
    on_accent="#181714",
    link="#9ccaff",
    focus="#ffc857",
)

# Where the theme writes text in each site colour: (palette field of the background, its name).
# The accent is text only in the header (the library's name); elsewhere it is a background.
_HEADER = (("surface", "the header background"),)
_BACKGROUNDS = (
    *_HEADER,
    ("background", "the page background"),
    ("surface_alt", "the footer background"),
)


def site_palettes(config: SiteConfig) -> tuple[Palette, Palette]:
    """The light and dark palettes with the site's colours in place of the theme's."""
    colors = config.colors
    light = _with(LIGHT, colors.accent, colors.link)
    dark = _with(DARK, colors.accent_dark, colors.link_dark)
    return light, dark


def _with(palette: Palette, accent: str, link: str) -> Palette:
    accent = accent or palette.accent
    # Text on the accent: whichever of white and the palette's text reads better.
    on_accent = max(
        ("#ffffff", palette.text, palette.background), key=lambda c: contrast_ratio(c, accent)
    )
    return replace(palette, accent=accent, on_accent=on_accent, link=link or palette.link)


def colors_css(config: SiteConfig) -> str:
    """css/colors.css: the palette as custom properties, dark when the visitor prefers it."""
    light, dark = site_palettes(config)
    return (
        "/* Made by sitegen from the theme's palette and colors in site.yaml. */\n"
        f":root{{{light.css()};color-scheme:light dark}}\n"
        f"@media (prefers-color-scheme:dark){{:root{{{dark.css()}}}}}\n"
    )


def contrast_problems(config: SiteConfig) -> list[Problem]:
    """A warning for each colour set in site.yaml that fails AA where the theme uses it."""
    light, dark = site_palettes(config)
    colors = config.colors
    checks = (
        ("accent", colors.accent, light),
        ("link", colors.link, light),
        ("accent_dark", colors.accent_dark, dark),
        ("link_dark", colors.link_dark, dark),
    )
    problems = []
    for key, color, palette in checks:
        if not color:
            continue
        accent = key.startswith("accent")
        pairs = [
            (f"on {where} {getattr(palette, name)}", getattr(palette, name))
            for name, where in (_HEADER if accent else _BACKGROUNDS)
        ]
        if accent:
            pairs.append((f"behind its text {palette.on_accent}", palette.on_accent))
        ratio, where = min((contrast_ratio(color, other), where) for where, other in pairs)
        if ratio < TEXT_MINIMUM:
            scheme = "dark" if key.endswith("_dark") else "light"
            shade = "lighter" if scheme == "dark" else "darker"
            problems.append(
                Problem(
                    f"colors.{key} {color} {where} has contrast {format_ratio(ratio)}; "
                    f"WCAG AA needs {format_ratio(TEXT_MINIMUM)}.",
                    "site.yaml",
                    colors.lines.get(key, 0),
                    f"The theme writes text in this colour in the {scheme} colour scheme. "
                    f"Choose a {shade} shade of it.",
                ).warning()
            )
    return problems
