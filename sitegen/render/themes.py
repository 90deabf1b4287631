"""Finding a theme and its parents: the folders templates and static files come from.

A theme is a folder with templates/, static/ and theme.yaml (which may name a parent under
`extends`). The site's own themes/NAME/ comes first, so a library overrides one template
by copying that file; everything else falls through to the packaged theme, then its parent.
Beside its files, a theme gets css/colors.css, made from the palette and site.yaml's colors.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sitegen.config import SiteConfig
from sitegen.errors import Problem, SiteError
from sitegen.fields import FieldReader
from sitegen.render.colors import COLORS_CSS, colors_css
from sitegen.yaml_source import YamlMap, load_yaml

THEME_FILE = "theme.yaml"


def packaged_themes_dir() -> Path:
    """Themes shipped with sitegen: inside the installed package, or the source checkout."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "themes"
    return installed if installed.is_dir() else package.parent / "themes"


@dataclass(frozen=True)
class Theme:
    """A resolved theme chain, highest priority first."""

    names: tuple[str, ...]
    folders: tuple[Path, ...]
    generated: tuple[tuple[str, bytes], ...] = ()  # static files made from site.yaml

    @property
    def template_dirs(self) -> list[Path]:
        return [folder / "templates" for folder in self.folders if (folder / "templates").is_dir()]

    def static_files(self) -> dict[str, Path]:
        """Every static file of the chain by its path in static/; the first folder wins."""
        files: dict[str, Path] = {}
        for folder in reversed(self.folders):
            static = folder / "static"
            if static.is_dir():
                for file in sorted(static.rglob("*")):
                    if file.is_file() and not file.name.startswith("."):
                        files[file.relative_to(static).as_posix()] = file
        return files

    def static_version(self) -> str:
        """A short hash of every static file, so asset URLs change whenever a file does."""
        digest = hashlib.sha256()
        files = {name: file.read_bytes() for name, file in self.static_files().items()}
        for name, content in sorted({**files, **dict(self.generated)}.items()):
            digest.update(name.encode() + b"\0" + content + b"\0")
        return digest.hexdigest()[:10]


def load_theme(config: SiteConfig) -> Theme:
    """The chain for the site's theme; SiteError if a theme is missing or loops."""
    names: list[str] = []
    folders: list[Path] = []
    name: str | None = config.theme
    named_in = ("site.yaml", 0)  # where the author wrote the name, for the error
    while name is not None:
        if name in names:
            raise SiteError(
                Problem(
                    f'The theme "{name}" extends itself (through {" → ".join(names)}).',
                    f"themes/{names[-1]}/{THEME_FILE}",
                )
            )
        found = _theme_folders(config, name)
        if not found:
            key = "extends" if names else "theme"
            raise SiteError(
                Problem(
                    f'There is no theme called "{name}".',
                    *named_in,
                    hint=f"Put the theme in themes/{name}/, or use {key}: default",
                )
            )
        names.append(name)
        folders.extend(found)
        name, named_in = _parent_of(found, config.root)
    generated = ((COLORS_CSS, colors_css(config).encode()),)
    return Theme(tuple(names), tuple(folders), generated)


def _theme_folders(config: SiteConfig, name: str) -> list[Path]:
    candidates = [config.themes_dir / name, packaged_themes_dir() / name]
    found: list[Path] = []
    for folder in candidates:
        if folder.is_dir() and folder.resolve() not in [f.resolve() for f in found]:
            found.append(folder)
    return found


def _parent_of(folders: list[Path], root: Path) -> tuple[str | None, tuple[str, int]]:
    """The theme named by `extends` in the first theme.yaml, and that file and line."""
    for folder in folders:
        settings_file = folder / THEME_FILE
        if settings_file.is_file():
            path = display_path(settings_file, root)
            data = load_yaml(settings_file.read_text(encoding="utf-8"), path)
            if not isinstance(data, YamlMap):
                return None, (path, 0)
            problems: list[Problem] = []
            fields = FieldReader(data, path, problems, "theme.yaml")
            fields.reject_unknown(("name", "description", "extends", "license", "author"))
            parent = fields.text("extends") or None
            if problems:
                raise SiteError(problems)
            return parent, (path, data.line_of("extends"))
    return None, ("", 0)


def display_path(file: Path, root: Path) -> str:
    """A path as an author would look for it: relative to the site, or to sitegen's themes."""
    resolved = file.resolve()
    for base in (root.resolve(), packaged_themes_dir().resolve().parent):
        if resolved.is_relative_to(base):
            return resolved.relative_to(base).as_posix()
    return str(file)
