"""Site settings: site.yaml in, a frozen SiteConfig out.

Every key is declared here with its type; unknown keys, wrong types and bad time zones are
all collected and raised together as one SiteError, each with its line and a suggestion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sitegen.errors import Problem, SiteError
from sitegen.fields import FieldReader, load_zone, suggest
from sitegen.yaml_source import YamlMap, load_yaml

CONFIG_FILE = "site.yaml"
_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CLOCK = re.compile(r"([01]?\d|2[0-3]):[0-5]\d")
_HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
COLOR_KEYS = ("accent", "accent_dark", "link", "link_dark")


@dataclass(frozen=True)
class Address:
    street: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""

    @property
    def lines(self) -> tuple[str, ...]:
        """The address as a library would print it on a flyer."""
        locality = " ".join(part for part in (self.region, self.postal_code) if part)
        city_line = ", ".join(part for part in (self.city, locality) if part)
        return tuple(part for part in (self.street, city_line) if part)


@dataclass(frozen=True)
class OpeningHours:
    days: tuple[str, ...]
    opens: str = ""
    closes: str = ""
    closed: bool = False


@dataclass(frozen=True)
class Branch:
    id: str
    name: str
    address: Address = Address()
    phone: str = ""
    email: str = ""
    hours: tuple[OpeningHours, ...] = ()
    accessibility: str = ""
    map_url: str = ""


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str


@dataclass(frozen=True)
class SocialLink:
    """The library's account on a social network, linked from the footer."""

    name: str
    url: str


@dataclass(frozen=True)
class Colors:
    """Theme colours from site.yaml as #rrggbb ("" keeps the theme's), and their lines."""

    accent: str = ""
    accent_dark: str = ""
    link: str = ""
    link_dark: str = ""
    lines: dict[str, int] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class HighlightSource:
    id: str
    name: str
    url: str
    trust: str = "review"
    max_entries: int = 20
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class HighlightSettings:
    sources: tuple[HighlightSource, ...] = ()
    allow_private_addresses: bool = False


@dataclass(frozen=True)
class EventSettings:
    """How events are shown: the default length, and how far back and ahead listings reach."""

    default_duration: int = 60
    past_days: int = 365
    horizon_days: int = 365
    home_count: int = 5


FEEDBACK_TOPICS = (
    "Suggest a program or event",
    "Suggest a book or other item for the library",
    "Praise, a complaint or an idea",
    "A problem with this website",
    "Something else",
)
EDITOR_BACKENDS = ("git-gateway", "github")


@dataclass(frozen=True)
class FeedbackSettings:
    """The "Tell us what you think" form (Netlify Forms): its texts, topics and event links.

    On when site.yaml has a `feedback:` group, unless it says `enabled: false`.
    """

    enabled: bool = False
    title: str = "Tell us what you think"
    intro: str = (
        "Suggest a program, ask for a book, or tell us how we are doing. "
        "Library staff read every message."
    )
    topics: tuple[str, ...] = FEEDBACK_TOPICS
    ask_contact: bool = True
    privacy: str = (
        "We use what you send only to answer you and to improve the library; it is never published."
    )
    thanks: str = "Thank you! Your message has reached the library staff."
    event_links: bool = False


@dataclass(frozen=True)
class EditorSettings:
    """The web editor for staff at /admin/ (Decap CMS): how they sign in and how saving works.

    On when site.yaml has an `editor:` group, unless it says `enabled: false`.
    """

    enabled: bool = False
    backend: str = "git-gateway"
    repo: str = ""
    branch: str = "main"
    review: bool = True


@dataclass(frozen=True)
class CheckSettings:
    """What `sitegen check` holds the site to beyond the build's own rules."""

    pending_days: int = 7


@dataclass(frozen=True)
class SiteConfig:
    """Everything site.yaml says, checked and typed."""

    root: Path
    title: str
    url: str
    language: str = "en"
    timezone_name: str = "UTC"
    description: str = ""
    theme: str = "default"
    output: str = "public"
    per_page: int = 10
    allow_raw_html: bool = False
    menu: tuple[MenuItem, ...] = ()
    logo: str = ""
    logo_alt: str = ""
    colors: Colors = Colors()
    social: tuple[SocialLink, ...] = ()
    branches: dict[str, Branch] = field(default_factory=dict)
    audiences: dict[str, str] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)
    highlights: HighlightSettings = HighlightSettings()
    events: EventSettings = EventSettings()
    feedback: FeedbackSettings = FeedbackSettings()
    editor: EditorSettings = EditorSettings()
    check: CheckSettings = CheckSettings()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def timezone(self) -> ZoneInfo:
        return load_zone(self.timezone_name)

    @property
    def base_path(self) -> str:
        """The path part of `url` without its trailing slash: "" for a site at the root."""
        return urlsplit(self.url).path.rstrip("/")

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def static_dir(self) -> Path:
        return self.root / "static"

    @property
    def themes_dir(self) -> Path:
        return self.root / "themes"


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


def _branches(fields: FieldReader) -> dict[str, Branch]:
    branches = {}
    for branch_id, value, line in _children(fields, "branches"):
        if not isinstance(value, YamlMap):
            fields.problems.append(
                Problem(f'Branch "{branch_id}" needs settings: at least a name.', fields.path, line)
            )
            continue
        branch = FieldReader(value, fields.path, fields.problems, "branch")
        branch.reject_unknown(
            ("name", "address", "phone", "email", "hours", "accessibility", "map_url")
        )
        branch.require("name", "Central Library")
        branches[branch_id] = Branch(
            id=branch_id,
            name=branch.text("name", branch_id),
            address=_address(branch),
            phone=branch.text("phone"),
            email=branch.text("email"),
            hours=_hours(branch),
            accessibility=branch.text("accessibility"),
            map_url=branch.text("map_url"),
        )
    return branches


def _address(branch: FieldReader) -> Address:
    value = branch.data.get("address")
    if value is None:
        return Address()
    if isinstance(value, str):
        return Address(street=value)
    if not isinstance(value, YamlMap):
        branch.problem("address", '"address" must be text or street/city/region/postal_code.')
        return Address()
    parts = FieldReader(value, branch.path, branch.problems, "address")
    keys = ("street", "city", "region", "postal_code", "country")
    parts.reject_unknown(keys)
    return Address(**{key: parts.text(key) for key in keys})


def _hours(branch: FieldReader) -> tuple[OpeningHours, ...]:
    value = branch.data.get("hours")
    if value is None:
        return ()
    if not isinstance(value, list):
        branch.problem("hours", '"hours" must be a list.', _HOURS_HINT)
        return ()
    result = []
    for entry in value:
        if not isinstance(entry, YamlMap):
            branch.problem("hours", "Each opening hours entry needs days and times.", _HOURS_HINT)
            continue
        hours = FieldReader(entry, branch.path, branch.problems, "opening hours")
        hours.reject_unknown(("days", "opens", "closes", "closed"))
        days = tuple(day.lower() for day in hours.text_list("days", "[monday, tuesday]"))
        for day in days:
            if day not in _WEEKDAYS:
                hours.problem("days", f'"{day}" is not a day of the week.', _HOURS_HINT)
        closed = hours.boolean("closed")
        opens, closes = hours.text("opens"), hours.text("closes")
        for key, clock in (("opens", opens), ("closes", closes)):
            if not closed and not _CLOCK.fullmatch(clock):
                hours.problem(
                    key, f'"{key}" must be a 24-hour time in quotes ({clock!r}).', _HOURS_HINT
                )
        result.append(OpeningHours(days, opens, closes, closed))
    return tuple(result)


_HOURS_HINT = (
    "Write it like:\nhours:\n"
    '  - {days: [monday, tuesday], opens: "09:00", closes: "20:00"}\n'
    "  - {days: [sunday], closed: true}"
)


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
