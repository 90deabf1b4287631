"""The sections of site.yaml besides branches: menu, logo, colours, social links, audiences
and categories, highlight sources, events, the feedback form, the web editor, checks.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sitegen.config.settings import (
    COLOR_KEYS,
    EDITOR_BACKENDS,
    CheckSettings,
    Colors,
    EditorSettings,
    EventSettings,
    FeedbackSettings,
    HighlightSettings,
    HighlightSource,
    MenuItem,
    SocialLink,
)
from sitegen.errors import Problem
from sitegen.fields import FieldReader, suggest
from sitegen.yaml_source import YamlMap

_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


def _identifier(fields: FieldReader, key: str, default: str) -> str:
    value = fields.text(key, default)
    if not _ID.fullmatch(value):
        fields.problem(
            key,
            f'"{key}" must be a short name of lowercase letters, digits and hyphens ({value!r}).',
        )
        return default
    return value


def _children(fields: FieldReader, key: str) -> list[tuple[str, YamlMap | Any, int]]:
    """The entries of a mapping of id → settings, with their lines; ids are checked."""
    group = fields.mapping(key)
    if group is None:
        return []
    entries = []
    for child_id, value in group.items():
        line = group.line_of(child_id)
        if not _ID.fullmatch(child_id):
            fields.problems.append(
                Problem(
                    f'"{child_id}" in {key} is not a usable id.',
                    fields.path,
                    line,
                    "Ids are lowercase letters, digits, - and _, like: eastside",
                )
            )
            continue
        entries.append((child_id, value, line))
    return entries


def _labels(fields: FieldReader, key: str) -> dict[str, str]:
    labels = {}
    for item_id, value, line in _children(fields, key):
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            fields.problems.append(
                Problem(
                    f'"{item_id}" in {key} needs a label.',
                    fields.path,
                    line,
                    f"Write it like: {item_id}: Children and families",
                )
            )
            continue
        labels[item_id] = str(value)
    return labels


def _menu(fields: FieldReader) -> tuple[MenuItem, ...]:
    value = fields.data.get("menu")
    if value is None:
        return ()
    if not isinstance(value, list):
        fields.problem("menu", '"menu" must be a list of entries with a title and a url.')
        return ()
    items = []
    for entry in value:
        if not isinstance(entry, YamlMap):
            fields.problem("menu", "Each menu entry needs a title and a url.", _MENU_HINT)
            continue
        entry_fields = FieldReader(entry, fields.path, fields.problems, "menu entry")
        entry_fields.reject_unknown(("title", "url"))
        if entry_fields.require("title", "News") and entry_fields.require("url", "/posts/"):
            items.append(MenuItem(entry_fields.text("title"), entry_fields.text("url")))
    return tuple(items)


_MENU_HINT = "Write it like:\nmenu:\n  - title: News\n    url: /posts/"


def _logo(root: Path, fields: FieldReader) -> str:
    """The logo's path in static/ ("/images/logo.svg"); the file must be there."""
    logo = fields.text("logo")
    if not logo:
        return ""
    file = root / "static" / logo.lstrip("/")
    if not logo.startswith("/") or ".." in logo.split("/") or not file.is_file():
        fields.problem(
            "logo",
            f'"logo" must be the path of an image in static/ ({logo!r} is not one).',
            "Put the file in static/images/ and write: logo: /images/logo.svg",
        )
        return ""
    return logo


def _colors(fields: FieldReader) -> Colors:
    group = fields.mapping("colors")
    if group is None:
        return Colors()
    colors = FieldReader(group, fields.path, fields.problems, "colors")
    colors.reject_unknown(COLOR_KEYS)
    values = {}
    for key in COLOR_KEYS:
        if key not in group:
            continue
        value = colors.text(key)
        if not _HEX_COLOR.fullmatch(value):
            # An unquoted #1f5f74 is a YAML comment, so the value arrives empty.
            written = f" ({value!r})" if value else ""
            colors.problem(
                key,
                f'"colors.{key}" must be a colour written as # and six hex digits{written}.',
                f'Put it in quotes, as YAML reads # as a comment: {key}: "#1f5f74"',
            )
            continue
        values[key] = _full_hex(value)
    lines = {key: group.line_of(key) for key in values}
    return Colors(**values, lines=lines)


def _full_hex(value: str) -> str:
    """#abc → #aabbcc, lowercase."""
    digits = value[1:].lower()
    return "#" + (digits if len(digits) == 6 else "".join(d * 2 for d in digits))


def _social(fields: FieldReader) -> tuple[SocialLink, ...]:
    value = fields.data.get("social")
    if value is None:
        return ()
    hint = "Write it like:\nsocial:\n  - name: Instagram\n    url: https://www.instagram.com/..."
    if not isinstance(value, list):
        fields.problem("social", '"social" must be a list of entries with a name and a url.', hint)
        return ()
    links = []
    for entry in value:
        if not isinstance(entry, YamlMap):
            fields.problem("social", "Each social entry needs a name and a url.", hint)
            continue
        link = FieldReader(entry, fields.path, fields.problems, "social link")
        link.reject_unknown(("name", "url"))
        if not (link.require("name", "Instagram") and link.require("url", "https://...")):
            continue
        url = link.text("url")
        if urlsplit(url).scheme not in ("http", "https"):
            link.problem("url", f"A social link must start with https:// ({url!r}).", hint)
            continue
        links.append(SocialLink(link.text("name"), url))
    return tuple(links)


def _highlights(fields: FieldReader) -> HighlightSettings:
    group = fields.mapping("highlights")
    if group is None:
        return HighlightSettings()
    settings = FieldReader(group, fields.path, fields.problems, "highlights")
    settings.reject_unknown(("sources", "allow_private_addresses"))
    entries = group.get("sources") or []
    if not isinstance(entries, list):
        settings.problem("sources", '"sources" must be a list of feeds.', _SOURCES_HINT)
        entries = []
    sources = []
    seen: set[str] = set()
    for entry in entries:
        if not isinstance(entry, YamlMap):
            settings.problem("sources", "Each highlight source needs an id, a name and a url.")
            continue
        source = _highlight_source(FieldReader(entry, fields.path, fields.problems, "source"))
        if source.id in seen:
            fields.problems.append(
                Problem(
                    f'Two highlight sources share the id "{source.id}".', fields.path, entry.line
                )
            )
        seen.add(source.id)
        sources.append(source)
    return HighlightSettings(tuple(sources), settings.boolean("allow_private_addresses"))


_SOURCES_HINT = (
    "Write it like:\nhighlights:\n  sources:\n"
    "    - id: teen-blog\n      name: Teen Blog\n      url: https://example.org/feed.xml"
)


def _highlight_source(source: FieldReader) -> HighlightSource:
    source.reject_unknown(("id", "name", "url", "trust", "max_entries", "include", "exclude"))
    source.require("id", "branch-news")
    source.require("url", "https://example.org/feed.xml")
    source_id = _identifier(source, "id", "source")
    trust = source.text("trust", "review")
    if trust not in ("review", "auto"):
        source.problem("trust", f'"trust" must be review or auto, not {trust!r}.', "trust: review")
        trust = "review"
    url = source.text("url")
    if urlsplit(url).scheme not in ("http", "https"):
        source.problem("url", f"A source url must start with https:// ({url!r}).")
    return HighlightSource(
        id=source_id,
        name=source.text("name", source_id),
        url=url,
        trust=trust,
        max_entries=source.integer("max_entries", 20, minimum=1),
        include=source.text_list("include"),
        exclude=source.text_list("exclude"),
    )


def _events(fields: FieldReader) -> EventSettings:
    group = fields.mapping("events")
    if group is None:
        return EventSettings()
    settings = FieldReader(group, fields.path, fields.problems, "events")
    settings.reject_unknown(("default_duration", "past_days", "horizon_days", "home_count"))
    defaults = EventSettings()
    return EventSettings(
        default_duration=settings.integer("default_duration", defaults.default_duration, 1),
        past_days=settings.integer("past_days", defaults.past_days, 0),
        horizon_days=settings.integer("horizon_days", defaults.horizon_days, 1),
        home_count=settings.integer("home_count", defaults.home_count, 0),
    )


def _feedback(fields: FieldReader) -> FeedbackSettings:
    group = fields.mapping("feedback")
    if group is None:
        return FeedbackSettings()
    settings = FieldReader(group, fields.path, fields.problems, "feedback")
    settings.reject_unknown(
        ("enabled", "title", "intro", "topics", "ask_contact", "privacy", "thanks", "event_links")
    )
    defaults = FeedbackSettings()
    topics = settings.text_list("topics", '["Suggest a program", "Something else"]')
    return FeedbackSettings(
        enabled=settings.boolean("enabled", True),
        title=settings.text("title", defaults.title) or defaults.title,
        intro=settings.text("intro", defaults.intro),
        topics=topics or defaults.topics,
        ask_contact=settings.boolean("ask_contact", defaults.ask_contact),
        privacy=settings.text("privacy", defaults.privacy),
        thanks=settings.text("thanks", defaults.thanks) or defaults.thanks,
        event_links=settings.boolean("event_links", defaults.event_links),
    )


_REPO = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


def _editor(fields: FieldReader) -> EditorSettings:
    group = fields.mapping("editor")
    if group is None:
        return EditorSettings()
    settings = FieldReader(group, fields.path, fields.problems, "editor")
    settings.reject_unknown(("enabled", "backend", "repo", "branch", "review"))
    backend = settings.text("backend", "git-gateway")
    if backend not in EDITOR_BACKENDS:
        settings.problem(
            "backend",
            f'"backend" must be git-gateway or github, not {backend!r}.'
            + suggest(backend, EDITOR_BACKENDS),
            "backend: git-gateway   (staff sign in with Netlify Identity)",
        )
        backend = "git-gateway"
    repo = settings.text("repo")
    if repo and not _REPO.fullmatch(repo):
        settings.problem(
            "repo",
            f'"repo" must be the GitHub repository as owner/name ({repo!r}).',
            "repo: riverbend-library/website",
        )
    elif backend == "github" and not repo:
        settings.problem(
            "backend",
            'The github backend needs "repo": the repository staff edit.',
            "repo: riverbend-library/website",
        )
    return EditorSettings(
        enabled=settings.boolean("enabled", True),
        backend=backend,
        repo=repo,
        branch=settings.text("branch", "main") or "main",
        review=settings.boolean("review", True),
    )


def _check(fields: FieldReader) -> CheckSettings:
    group = fields.mapping("check")
    if group is None:
        return CheckSettings()
    settings = FieldReader(group, fields.path, fields.problems, "check")
    settings.reject_unknown(("pending_days",))
    return CheckSettings(pending_days=settings.integer("pending_days", 7, minimum=1))
