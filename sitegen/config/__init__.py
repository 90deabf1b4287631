"""Site settings: site.yaml in, a frozen SiteConfig out.

Every key is declared with its type; unknown keys, wrong types and bad time zones are all
collected and raised together as one SiteError, each with its line and a suggestion. The
dataclasses are in settings.py, the parsing of each section in sections.py and branches.py.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from sitegen.config.branches import _branches
from sitegen.config.sections import (
    _check,
    _colors,
    _editor,
    _events,
    _feedback,
    _highlights,
    _identifier,
    _labels,
    _logo,
    _menu,
    _social,
)
from sitegen.config.settings import (
    COLOR_KEYS,
    CONFIG_FILE,
    EDITOR_BACKENDS,
    FEEDBACK_TOPICS,
    Address,
    Branch,
    CheckSettings,
    Colors,
    EditorSettings,
    EventSettings,
    FeedbackSettings,
    HighlightSettings,
    HighlightSource,
    MenuItem,
    OpeningHours,
    SiteConfig,
    SocialLink,
)
from sitegen.errors import Problem, SiteError
from sitegen.fields import FieldReader
from sitegen.yaml_source import YamlMap, load_yaml

__all__ = [
    "COLOR_KEYS",
    "CONFIG_FILE",
    "EDITOR_BACKENDS",
    "FEEDBACK_TOPICS",
    "Address",
    "Branch",
    "CheckSettings",
    "Colors",
    "EditorSettings",
    "EventSettings",
    "FeedbackSettings",
    "HighlightSettings",
    "HighlightSource",
    "MenuItem",
    "OpeningHours",
    "SiteConfig",
    "SocialLink",
    "load_config",
]

_TOP_LEVEL = (
    "title",
    "url",
    "language",
    "timezone",
    "description",
    "theme",
    "output",
    "per_page",
    "allow_raw_html",
    "menu",
    "logo",
    "logo_alt",
    "colors",
    "social",
    "branches",
    "audiences",
    "categories",
    "highlights",
    "events",
    "feedback",
    "editor",
    "check",
    "extra",
)


def load_config(root: Path | str) -> SiteConfig:
    """Read ROOT/site.yaml; raise SiteError listing every problem in it."""
    root = Path(root).resolve()
    path = root / CONFIG_FILE
    if not path.is_file():
        raise SiteError(
            Problem(
                f"There is no {CONFIG_FILE} in {root}.",
                hint="Run the command in your site's folder, pass --site DIR, "
                "or create a new site with: sitegen init DIR",
            )
        )
    data = load_yaml(_read_text(path), CONFIG_FILE)
    if data is None:
        data = YamlMap(1)
    if not isinstance(data, YamlMap):
        raise SiteError(
            Problem("site.yaml must be a list of `key: value` settings.", CONFIG_FILE, 1)
        )
    problems: list[Problem] = []
    config = _parse_config(root, FieldReader(data, CONFIG_FILE, problems, "site.yaml"))
    if problems:
        raise SiteError(problems)
    return config


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        # Authors find the line in their editor; a byte offset means nothing to them.
        raise SiteError(
            Problem(
                f"{path.name} is not saved as UTF-8 text "
                f"(byte {data[exc.start]:#04x} cannot be read).",
                path.name,
                data.count(b"\n", 0, exc.start) + 1,
                "Open it in your editor and save it with the UTF-8 encoding.",
            )
        ) from None


def _parse_config(root: Path, fields: FieldReader) -> SiteConfig:
    fields.reject_unknown(_TOP_LEVEL)
    fields.require("title", "Riverbend Public Library")
    fields.require("url", "https://www.example-library.org/")
    return SiteConfig(
        root=root,
        title=fields.text("title"),
        url=_site_url(fields),
        language=fields.text("language", "en"),
        timezone_name=fields.zone("timezone", "UTC"),
        description=fields.text("description"),
        theme=_identifier(fields, "theme", "default"),
        output=fields.text("output", "public"),
        per_page=fields.integer("per_page", 10, minimum=1),
        allow_raw_html=fields.boolean("allow_raw_html"),
        menu=_menu(fields),
        logo=_logo(root, fields),
        logo_alt=fields.text("logo_alt"),
        colors=_colors(fields),
        social=_social(fields),
        branches=_branches(fields),
        audiences=_labels(fields, "audiences"),
        categories=_labels(fields, "categories"),
        highlights=_highlights(fields),
        events=_events(fields),
        feedback=_feedback(fields),
        editor=_editor(fields),
        check=_check(fields),
        extra=dict(fields.mapping("extra") or {}),
    )


def _site_url(fields: FieldReader) -> str:
    url = fields.text("url", "https://example.org/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        fields.problem(
            "url",
            f'"url" must be the full address of the site, starting with https:// ({url!r}).',
            "url: https://www.example-library.org/",
        )
        return "https://example.org/"
    return url if url.endswith("/") else url + "/"
