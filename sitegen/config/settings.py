"""The settings of a site as frozen dataclasses: what site.yaml says, checked and typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sitegen.fields import load_zone

CONFIG_FILE = "site.yaml"
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
