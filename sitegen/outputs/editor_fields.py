"""The web editor's fields: every front matter key → its Decap CMS widget, in one table.

Takes a kind of content (post, page, event, highlight, or an event's change to one date) and
its keys, as the readers declare them; gives Decap field settings. Lists to choose from
(branches, audiences, categories, statuses) are filled in from site.yaml and the model.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from sitegen.config import SiteConfig
from sitegen.event_model import STATUS_LABELS, STATUSES
from sitegen.highlight_model import STATUSES as HIGHLIGHT_STATUSES
from sitegen.readers.events import CHANGE_KEYS

# The keys every file of a kind must have: the readers refuse a file without them.
REQUIRED = {
    "post": ("title", "date"),
    "page": ("title",),
    "event": ("title", "start"),
    "highlight": ("title", "url"),
    "change": ("date",),
}
_DATE_TIME = {"format": "YYYY-MM-DD HH:mm", "date_format": "YYYY-MM-DD", "time_format": "HH:mm"}
_DATE_ONLY = {"format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
_WEB_ADDRESS = ["^https?://", "A full web address, starting with https://"]
_SLUG = ["^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$", "Only letters, digits and hyphens, like: book-sale"]
_ANY = "*"
# Option lists filled in from site.yaml or the model when the config is made.
_FROM_BRANCHES, _FROM_AUDIENCES, _FROM_CATEGORIES = "branches", "audiences", "categories"
_FROM_EVENT_STATUS, _FROM_HIGHLIGHT_STATUS = "event-status", "highlight-status"

# Every front matter key → its Decap field, by (kind, key); (_ANY, key) serves every kind.
# Decap makes a field required unless told otherwise: `required` is set from REQUIRED.
WIDGETS: dict[tuple[str, str], dict[str, Any]] = {
    (_ANY, "title"): {"label": "Title", "widget": "string"},
    (_ANY, "summary"): {
        "label": "Summary",
        "widget": "text",
        "hint": "One or two sentences for listings and search engines (plain text).",
    },
    (_ANY, "slug"): {
        "label": "Web address (slug)",
        "widget": "string",
        "pattern": _SLUG,
        "hint": "Leave empty: the address is made from the file name.",
    },
    (_ANY, "image"): {
        "label": "Picture",
        "widget": "image",
        "choose_url": False,
        "hint": "Needs a description below.",
    },
    (_ANY, "image_alt"): {
        "label": "Picture description (alt text)",
        "widget": "string",
        "hint": "Required when there is a picture: say what it shows, for people who cannot "
        "see it. Example: Children reading on a rug with a librarian.",
    },
    (_ANY, "tags"): {
        "label": "Tags",
        "widget": "list",
        "hint": "Words separated by commas, like: storytime, kids",
    },
    (_ANY, "toc"): {"label": "Show a table of contents", "widget": "boolean", "default": False},
    (_ANY, "extra"): {"label": "Extra theme settings", "widget": "hidden"},
    (_ANY, "body"): {"label": "Text", "widget": "markdown"},
    ("post", "date"): {
        "label": "Publication date",
        "widget": "datetime",
        **_DATE_TIME,
        "hint": "A date in the future schedules the post: it appears on the first rebuild "
        "after that moment.",
    },
    ("post", "updated"): {
        "label": "Last important change",
        "widget": "datetime",
        **_DATE_TIME,
        "default": "",
    },
    ("post", "draft"): {
        "label": "Draft (not on the site yet)",
        "widget": "boolean",
        "default": False,
    },
    ("post", "authors"): {
        "label": "Authors",
        "widget": "list",
        "hint": "Names separated by commas.",
    },
    ("page", "menu"): {
        "label": "Position in the main menu",
        "widget": "number",
        "value_type": "int",
        "min": 1,
        "hint": "A number puts the page in the menu at that place; leave empty to keep it out.",
    },
    ("event", "start"): {"label": "Starts", "widget": "datetime", **_DATE_TIME},
    ("event", "end"): {
        "label": "Ends",
        "widget": "datetime",
        **_DATE_TIME,
        "default": "",
        "hint": "Leave empty for the usual length (events.default_duration in site.yaml).",
    },
    ("event", "all_day"): {"label": "All day", "widget": "boolean", "default": False},
    ("event", "timezone"): {
        "label": "Time zone",
        "widget": "string",
        "hint": "Only for an event held in another time zone, like: America/New_York",
    },
    ("event", "branch"): {"label": "Branch", "widget": "select", "options": _FROM_BRANCHES},
    ("event", "location"): {
        "label": "Room or address",
        "widget": "string",
        "hint": "Where in the branch, like: Community Room",
    },
    ("event", "online_url"): {
        "label": "Online link",
        "widget": "string",
        "pattern": _WEB_ADDRESS,
        "hint": "The address people join with, for online or hybrid events.",
    },
    ("event", "audiences"): {
        "label": "For whom",
        "widget": "select",
        "multiple": True,
        "options": _FROM_AUDIENCES,
    },
    ("event", "categories"): {
        "label": "Categories",
        "widget": "select",
        "multiple": True,
        "options": _FROM_CATEGORIES,
    },
    ("event", "registration_url"): {
        "label": "Registration link",
        "widget": "string",
        "pattern": _WEB_ADDRESS,
    },
    ("event", "registration_required"): {
        "label": "Registration required",
        "widget": "boolean",
        "default": False,
        "hint": "Then give the registration link above.",
    },
    ("event", "cost"): {"label": "Cost", "widget": "string", "hint": "Leave empty if free."},
    ("event", "status"): {
        "label": "Status",
        "widget": "select",
        "options": _FROM_EVENT_STATUS,
        "default": "scheduled",
    },
    ("event", "status_note"): {
        "label": "Note about the status",
        "widget": "string",
        "hint": "Shown with a cancelled or moved event, like: The author is ill.",
    },
    ("event", "previous_start"): {
        "label": "Was planned for",
        "widget": "datetime",
        **_DATE_TIME,
        "default": "",
        "hint": "For a rescheduled event: when it was planned before.",
    },
    ("event", "repeat"): {
        "label": "Repeats",
        "widget": "string",
        "hint": "A rule like FREQ=WEEKLY;BYDAY=TU;UNTIL=20270601 (every Tuesday until "
        "June 1, 2027). Leave empty for a one-off event.",
    },
    ("event", "except"): {
        "label": "Skipped dates",
        "widget": "list",
        "field": {"label": "Date", "name": "date", "widget": "datetime", **_DATE_ONLY},
        "default": [],
        "hint": "Dates of a series on which the event does not take place.",
    },
    ("event", "changes"): {
        "label": "Changes to single dates",
        "widget": "list",
        "fields": "change",
        "default": [],
        "hint": "One date of a series cancelled, moved or held elsewhere.",
    },
    ("event", "sequence"): {"label": "Calendar revision", "widget": "hidden"},
    ("change", "date"): {"label": "Date of the series", "widget": "datetime", **_DATE_ONLY},
    ("change", "status"): {"label": "Status", "widget": "select", "options": _FROM_EVENT_STATUS},
    ("change", "start"): {
        "label": "Moved to",
        "widget": "datetime",
        **_DATE_TIME,
        "default": "",
    },
    ("change", "end"): {"label": "Ends", "widget": "datetime", **_DATE_TIME, "default": ""},
    ("change", "location"): {"label": "Room or address", "widget": "string"},
    ("change", "note"): {"label": "Note", "widget": "string"},
    ("highlight", "url"): {
        "label": "Link to the original",
        "widget": "string",
        "pattern": _WEB_ADDRESS,
    },
    ("highlight", "source"): {
        "label": "Source",
        "widget": "string",
        "hint": "An id from highlights.sources in site.yaml, or the name of the source.",
    },
    ("highlight", "author"): {"label": "Author", "widget": "string"},
    ("highlight", "author_url"): {
        "label": "Author's page",
        "widget": "string",
        "pattern": _WEB_ADDRESS,
    },
    ("highlight", "date"): {
        "label": "Date of the original",
        "widget": "datetime",
        **_DATE_TIME,
        "default": "",
    },
    ("highlight", "status"): {
        "label": "Review",
        "widget": "select",
        "options": _FROM_HIGHLIGHT_STATUS,
        "default": "approved",
    },
    ("highlight", "pinned"): {
        "label": "Pinned to the top",
        "widget": "boolean",
        "default": False,
    },
}
HIGHLIGHT_STATUS_LABELS = {
    "pending": "Waiting for review",
    "approved": "Approved: shown on the site",
    "hidden": "Hidden",
}


def fields_for(kind: str, keys: Iterable[str], config: SiteConfig) -> list[dict[str, Any]]:
    """The Decap fields of `keys` for content of `kind`, from the WIDGETS table."""
    return [_field(kind, key, config) for key in keys]


def widget_for(kind: str, key: str) -> dict[str, Any]:
    """The table entry for `key`; KeyError names a key the table does not know yet."""
    found = WIDGETS.get((kind, key)) or WIDGETS.get((_ANY, key))
    if found is None:
        raise KeyError(f"no Decap widget for the {kind} key {key!r}: add it to WIDGETS")
    return found


def _field(kind: str, key: str, config: SiteConfig) -> dict[str, Any]:
    field = {"name": key, **copy.deepcopy(widget_for(kind, key))}
    field["required"] = key in REQUIRED.get(kind, ())
    if field["widget"] == "hidden":
        field.pop("required")
    options = field.get("options")
    if isinstance(options, str):
        field["options"] = _options(options, config)
    if field.get("fields") == "change":
        field["fields"] = fields_for("change", CHANGE_KEYS, config)
    if field["widget"] == "select" and not field["options"]:
        # Decap refuses a select without options; a text field keeps the key editable.
        field = {"name": key, "label": field["label"], "widget": "string", "required": False}
        field["hint"] = f"Add {options} to site.yaml to choose from a list here."
    return field


def _options(source: str, config: SiteConfig) -> list[dict[str, str]]:
    pairs: Iterable[tuple[str, str]]
    if source == _FROM_BRANCHES:
        pairs = ((branch_id, branch.name) for branch_id, branch in config.branches.items())
    elif source == _FROM_AUDIENCES:
        pairs = config.audiences.items()
    elif source == _FROM_CATEGORIES:
        pairs = config.categories.items()
    elif source == _FROM_EVENT_STATUS:
        pairs = ((status, STATUS_LABELS.get(status) or "Going ahead") for status in STATUSES)
    elif source == _FROM_HIGHLIGHT_STATUS:
        pairs = ((s, HIGHLIGHT_STATUS_LABELS.get(s, s)) for s in HIGHLIGHT_STATUSES)
    else:
        raise ValueError(f"unknown option list {source!r}")
    return [{"label": label, "value": value} for value, label in pairs]
