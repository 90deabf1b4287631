"""The Jinja environment for a theme, and template errors an author can act on.

Autoescape is on for every template and StrictUndefined makes a misspelled variable an error.
A template error names the template file and line and the content file being rendered.
"""

from __future__ import annotations

import hashlib
import json
import re
import traceback
from collections.abc import Mapping, MutableMapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from sitegen import urls
from sitegen.config import SiteConfig
from sitegen.errors import Problem, SiteError
from sitegen.model import Post
from sitegen.render import filters, structured_data
from sitegen.render.images import Size, image_size
from sitegen.render.memory import BuildMemory
from sitegen.render.recording import IMAGE, note
from sitegen.render.themes import Theme, display_path

_IMG = re.compile(r"<img\b([^>]*?)\s*/?>")
_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)
_SRC = re.compile(r"""\ssrc=(["'])(/[^"'/][^"']*)\1""")


_COMPILED_STORE: dict[str, bytes] = {}
_JSON = json.JSONEncoder(sort_keys=True)


def _json_text(value: Any, **options: Any) -> str:
    """json.dumps for the tojson filter, which always passes sort_keys: json.dumps makes a new
    encoder for every call with an option, this one is made once (the same text)."""
    if options == {"sort_keys": True}:
        return _JSON.encode(value)
    return json.dumps(value, **options)


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process (the preview server's rebuilds).

    Jinja checks each entry against the template's source, so an edited template is compiled
    again. Jinja also bakes filters applied to constants (`'/' | url`) into the compiled code,
    so entries are kept apart for each value the filters depend on (`salt`).
    """

    def __init__(self, salt: str) -> None:
        self.salt = hashlib.sha1(salt.encode()).hexdigest()

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return self.salt + super().get_cache_key(name, filename)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = _COMPILED_STORE.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        _COMPILED_STORE[bucket.key] = bucket.bytecode_to_string()


class _BuildEnvironment(jinja2.Environment):
    """A Jinja Environment whose templates and globals stay as they are while it lives.

    Jinja copies a template's globals into every context it makes (each page and each include)
    and keeps them as a ChainMap over the environment's, whose copying is a Python loop: a
    plain dict, taken once all globals are set, gives the same names for less.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


class Renderer:
    """Renders the templates of one theme for one site."""

    def __init__(self, theme: Theme, config: SiteConfig, assets_url: str) -> None:
        self.config = config
        self.root = config.root
        self.assets_url = assets_url
        self.env = _BuildEnvironment(
            loader=jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
            # Every template, whatever its name (select_autoescape with default=True and
            # default_for_string=True gave True for all, at a call for every include).
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # One Renderer per build: templates cannot change during it, so skip the stat calls.
            auto_reload=False,
            # Every template is looked up on each include; a plain dict (no eviction) skips
            # the locking and reordering of Jinja's LRU cache. A theme has few templates.
            cache_size=-1,
            bytecode_cache=_CompiledTemplates(
                f"{config.url}|{assets_url}|{config.timezone_name}|{config.language}"
            ),
        )
        self.env.filters.update(
            url=self.url,
            absolute_url=self.absolute_url,
            date=filters.short_date,
            long_date=filters.long_date,
            time=filters.clock,
            isodate=self.iso_date,
            when=lambda occurrence: filters.event_when(occurrence, config.timezone_name),
            times=lambda occurrence: filters.event_times(occurrence, config.timezone_name),
            webcal=self.webcal_url,
            hour=filters.clock_text,
            opening_hours=filters.opening_hours,
            responsive=self.responsive,
        )
        self.env.policies["json.dumps_function"] = _json_text
        self.env.globals.update(
            asset=self.asset,
            config=config,
            image_size=self.image_size,
            library_data=lambda full=False: structured_data.library_data(
                config, self.absolute_url, full
            ),
            post_data=self.post_data,
        )
        self._sizes: dict[str, Size | None] = {}
        # A property that parses the URL; every link on every page asks for it.
        self._base_path = config.base_path
        self._absolute: dict[str, str] = {}
        self._iso_dates: dict[int, tuple[Any, str]] = {}
        # Pages of earlier builds, found again by their inputs (the preview server's).
        self.memory: BuildMemory | None = None

    def url(self, path: str) -> str:
        """A site URL as a link: with the site's base path when it lives in a folder."""
        if not path.startswith("/") or path.startswith("//"):
            return path
        return self._base_path + path

    def absolute_url(self, path: str) -> str:
        # Remembered for plain strings only: Markup is equal to its text but joins as Markup.
        if type(path) is str:
            found = self._absolute.get(path)
            if found is None:
                found = self._absolute[path] = self._joined(path)
            return found
        return self._joined(path)

    def _joined(self, path: str) -> str:
        return urls.absolute(self.config.url, path.lstrip("/"))

    def iso_date(self, value: date | datetime) -> str:
        """value.isoformat(), made once for each date: a post's date shows on many pages, and
        a date with a zone asks it for its offset every time. Kept by the object itself (held,
        so its id is not reused): two equal times can still be written with other offsets."""
        found = self._iso_dates.get(id(value))
        if found is None or found[0] is not value:
            found = self._iso_dates[id(value)] = (value, value.isoformat())
        return found[1]

    def webcal_url(self, path: str) -> str:
        """A calendar feed's address for "subscribe" links: webcal:// opens calendar apps."""
        return "webcal://" + self.absolute_url(path).split("://", 1)[1]

    def asset(self, name: str) -> str:
        """The URL of a theme's static file, in a folder named by the theme's content hash."""
        return self.url(f"{self.assets_url}{name}")

    def image_size(self, src: str) -> Size | None:
        """(width, height) of an image in the site's static/ ("/images/x.jpg"), or None."""
        note(IMAGE + src)
        if src not in self._sizes:
            path = src.removeprefix(self._base_path)
            inside = path.startswith("/") and not path.startswith("//") and ".." not in path
            file = self.config.static_dir / path.lstrip("/")
            self._sizes[src] = image_size(file) if inside and file.is_file() else None
        return self._sizes[src]

    def responsive(self, html: str) -> Markup:
        """Content HTML ready for any screen: local images say their size and load lazily (no
        layout shift); a table sits in a region that scrolls sideways and takes keyboard focus.
        """

        text = html if type(html) in (str, Markup) else str(html)
        if "<img" not in text and "<table" not in text:
            # Most summaries: nothing for the expressions below to find, and Markup as it is
            # (a post's text is long, and each copy of it costs).
            return text if type(text) is Markup else Markup(text)

        def sized(match: re.Match[str]) -> str:
            attributes = match.group(1)
            src = _SRC.search(attributes)
            size = self.image_size(src.group(2)) if src else None
            if size and " width=" not in attributes and " height=" not in attributes:
                attributes += f' width="{size[0]}" height="{size[1]}"'
            if " loading=" not in attributes:
                attributes += ' loading="lazy"'
            return f"<img{attributes}>"

        def scrolling(match: re.Match[str]) -> str:
            return (
                '<div class="table-scroll" role="region" aria-label="Table" tabindex="0">'
                f"{match.group(0)}</div>"
            )

        return Markup(_TABLE.sub(scrolling, _IMG.sub(sized, str(text))))

    def post_data(self, post: Post) -> dict[str, Any]:
        return structured_data.post_data(post, self.config, self.absolute_url)

    def has_template(self, name: str) -> bool:
        try:
            self.env.get_template(name)
        except jinja2.TemplateNotFound:
            return False
        return True

    def render(self, template: str, context: Mapping[str, Any], source: str = "") -> str:
        """Render `template`; SiteError naming the template line and `source` if it fails."""
        try:
            return self.env.get_template(template).render(context)
        except jinja2.TemplateSyntaxError as exc:
            path = display_path(Path(exc.filename), self.root) if exc.filename else template
            raise SiteError(
                Problem(f"Template error: {exc.message}.", path, exc.lineno or 0, _hint(source))
            ) from None
        except jinja2.TemplateNotFound as exc:
            raise SiteError(
                Problem(f'The theme has no template "{exc.name}".', source or template)
            ) from None
        except Exception as exc:
            path, line = self._template_frame(exc, template)
            raise SiteError(
                Problem(f"Template error: {_describe(exc)}.", path, line, _hint(source))
            ) from exc

    def _template_frame(self, exc: BaseException, template: str) -> tuple[str, int]:
        """The innermost template file and line in the traceback (Jinja rewrites frames)."""
        found = (template, 0)
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename.endswith((".html", ".xml", ".txt", ".json")):
                found = (display_path(Path(frame.filename), self.root), frame.lineno or 0)
        return found


def _describe(exc: Exception) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return exc.message or "a variable is not defined"
    return f"{type(exc).__name__}: {exc}"


def _hint(source: str) -> str:
    return f"(while rendering {source})" if source else ""


def mark_safe(html: str) -> Markup:
    return Markup(html)
