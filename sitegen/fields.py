"""Typed values out of YAML mappings, for site.yaml and front matter alike.

A FieldReader reads one mapping and turns each key into the type the model wants. It never
raises: every problem (wrong type, YAML trap, unknown key) is collected with its file and line
and an example of a value that works, and a safe default is returned instead.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, tzinfo
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sitegen.errors import Problem
from sitegen.yaml_source import YamlMap

_DATETIME = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)
_ZONE_ABBREVIATIONS = {
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "ET": "America/New_York",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "CT": "America/Chicago",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "MT": "America/Denver",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "PT": "America/Los_Angeles",
    "AKST": "America/Anchorage",
    "HST": "Pacific/Honolulu",
    "GMT": "Europe/London",
    "BST": "Europe/London",
    "CET": "Europe/Berlin",
    "CEST": "Europe/Berlin",
    "AEST": "Australia/Sydney",
}
_TRUE_WORDS = {"true", "yes", "on"}
_FALSE_WORDS = {"false", "no", "off"}


def suggest(word: str, choices: Iterable[str]) -> str:
    """' Did you mean "x"?' for the closest choice, or an empty string."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' Did you mean "{matches[0]}"?' if matches else ""


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def zone_problem(name: str) -> tuple[str, str] | None:
    """Why `name` is not a usable IANA time zone name (message, hint), or None if it is."""
    example = "America/Chicago"
    if name.upper() in _ZONE_ABBREVIATIONS:
        example = _ZONE_ABBREVIATIONS[name.upper()]
        return (
            f'"{name}" is an abbreviation, not a time zone name; it does not say when '
            "daylight saving time starts.",
            f"Use the place name, like: timezone: {example}",
        )
    if name not in _known_zones() or ("/" not in name and name != "UTC"):
        # Old names without a "/" (EST5EDT, Cuba) are known zones too; never suggest those.
        close = suggest(name, (zone for zone in _known_zones() if "/" in zone))
        return (
            f'"{name}" is not a time zone name.{close}',
            f"Use an IANA name (a continent and a city), like: timezone: {example}",
        )
    return None


def load_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


class FieldReader:
    """Reads typed fields from one YAML mapping, collecting problems instead of raising."""

    def __init__(self, data: YamlMap, path: str, problems: list[Problem], what: str) -> None:
        self.data = data
        self.path = path
        self.problems = problems
        self.what = what

    def line(self, key: str) -> int:
        return self.data.line_of(key)

    def problem(self, key: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(message, self.path, self.line(key), hint))

    def warn(self, key: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(message, self.path, self.line(key), hint).warning())

    def reject_unknown(self, known: Iterable[str]) -> None:
        known = list(known)
        for key in self.data:
            if key not in known:
                self.problem(
                    key,
                    f'"{key}" is not {_article(self.what)} {self.what} setting.'
                    + suggest(key, known),
                    "Known settings: " + ", ".join(known),
                )

    def written(self, key: str) -> str:
        """The value as the author wrote it, for messages (not datetime.date(2026, 1, 5))."""
        value = self.data.get(key)
        if isinstance(value, str):
            return repr(value)
        if isinstance(value, (list, dict)):
            return "a list or group"
        return self.data.raw.get(key, str(value))

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def require(self, key: str, example: str) -> bool:
        if self.has(key):
            return True
        self.problems.append(
            Problem(
                f'"{key}" is missing: every {self.what} needs one.',
                self.path,
                self.data.line,
                f"Add a line like: {key}: {example}",
            )
        )
        return False

    def text(self, key: str, default: str = "", example: str = "Book Sale") -> str:
        value = self.data.get(key)
        if value is None:
            return default
        raw = self.data.raw.get(key)
        if isinstance(value, bool):
            self.problem(
                key,
                f'"{key}" is {raw}, which YAML reads as {str(value).lower()} (yes/no), '
                "not as text.",
                f'Put it in quotes: {key}: "{raw}"',
            )
            return default
        if key in self.data.cut_by_comment:
            self.problem(
                key,
                f'"{key}" stops at a "#": YAML reads the rest of the line as a comment.',
                f'Put the whole {key} in double quotes, like: {key}: "Teens #1 Book Club"',
            )
            return str(value)
        if isinstance(value, str):
            return value.strip()
        if raw is not None and not isinstance(value, (list, dict)):
            return raw  # a number or date written as plain text: keep what the author wrote
        self.problem(key, f'"{key}" must be text.', f"Write it like: {key}: {example}")
        return default

    def choice(
        self,
        key: str,
        choices: Sequence[str],
        *,
        default: str,
        fallback: str,
        hint: str,
        aliases: Mapping[str, str] | None = None,
        listed: str = "",
    ) -> str:
        """One of `choices` (case and `aliases` forgiven); `fallback` after reporting others."""
        written = self.text(key, default).strip().lower()
        if written == default:
            return default
        value = (aliases or {}).get(written, written)
        if value in choices:
            return value
        allowed = listed or "one of " + ", ".join(choices)
        self.problem(
            key, f'"{key}" must be {allowed} ({written!r}).' + suggest(written, choices), hint
        )
        return fallback

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE_WORDS | _FALSE_WORDS:
            return value.strip().lower() in _TRUE_WORDS
        self.problem(
            key,
            f'"{key}" must be true or false, not {self.written(key)}.',
            f"Write it like: {key}: true",
        )
        return default

    def integer(self, key: str, default: int, minimum: int = 0) -> int:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, str) and value.strip().isdecimal():
            value = int(value)  # "7" in quotes is still the number the author means
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.problem(
                key,
                f'"{key}" must be a whole number of at least {minimum}, not {self.written(key)}.',
                f"Write it like: {key}: {max(minimum, default)}",
            )
            return default
        return value

    def text_list(self, key: str, example: str = "[storytime, kids]") -> tuple[str, ...]:
        """A list of short texts; a single text, or one with commas, is accepted too."""
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            items: list[Any] = [part for part in value.split(",")]
        elif isinstance(value, list):
            items = value
        else:
            self.problem(key, f'"{key}" must be a list.', f"Write it like: {key}: {example}")
            return ()
        result = []
        for item in items:
            if isinstance(item, (dict, list, bool)) or item is None:
                self.problem(
                    key,
                    f'"{key}" must be a list of short texts; {item!r} is not one.',
                    f"Write it like: {key}: {example}",
                )
                continue
            text = str(item).strip()
            if text:
                result.append(text)
        return tuple(result)

    def mapping(self, key: str) -> YamlMap | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, YamlMap):
            self.problem(key, f'"{key}" must be a group of settings (key: value lines).')
            return None
        return value

    def zone(self, key: str, default: str) -> str:
        name = self.text(key, default)
        found = zone_problem(name)
        if found:
            self.problem(key, *found)
            return default
        return name

    def moment(self, key: str, zone: tzinfo) -> datetime | date | None:
        """A date, or a date and time (aware, in `zone` unless an offset is written)."""
        value = self.data.get(key)
        if value is None:
            return None
        example = f"{key}: 2026-12-01 10:30"
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=zone)
        if isinstance(value, date):
            return value
        raw = self.data.raw.get(key, str(value))
        if isinstance(value, int) and ":" in raw:
            self.problem(
                key, f'"{key}" is {raw}: a time without a date.', f"Write it like: {example}"
            )
            return None
        parsed = parse_moment(str(value), zone) if isinstance(value, str) else None
        if parsed is None:
            self.problem(
                key,
                f'"{key}" is not a date or a date and time ({raw!r}).',
                f"Write it like: {example} (or just the date: {key}: 2026-12-01)",
            )
        return parsed


def parse_moment(text: str, zone: tzinfo) -> datetime | date | None:
    """Parse `2026-12-01`, `2026-12-01 10:30`, `2026-12-01T10:30:00-06:00`; None if invalid."""
    match = _DATETIME.fullmatch(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        day_value = date(int(year), int(month), int(day))
        if hour is None:
            return None if offset else day_value
        clock = time(int(hour), int(minute), int(second or 0))
    except ValueError:
        return None
    moment = datetime.combine(day_value, clock)
    if offset:
        iso = "+00:00" if offset == "Z" else offset
        if ":" not in iso:
            iso = iso[:3] + ":" + iso[3:]
        return datetime.fromisoformat(moment.isoformat() + iso)
    return moment.replace(tzinfo=zone)


def as_datetime(moment: datetime | date, zone: tzinfo) -> datetime:
    """A date becomes midnight at its start in `zone`; a datetime stays as it is."""
    if isinstance(moment, datetime):
        return moment
    return datetime.combine(moment, time(0), tzinfo=zone)


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
