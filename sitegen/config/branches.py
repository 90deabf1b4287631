"""Branches in site.yaml: name, address, contact details and opening hours."""

from __future__ import annotations

import re

from sitegen.config.sections import _children
from sitegen.config.settings import Address, Branch, OpeningHours
from sitegen.errors import Problem
from sitegen.fields import FieldReader
from sitegen.yaml_source import YamlMap

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CLOCK = re.compile(r"([01]?\d|2[0-3]):[0-5]\d")


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
