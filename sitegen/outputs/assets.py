"""Static files: the theme's (under a content-hashed folder) and the site's static/."""

from __future__ import annotations

from pathlib import Path

from sitegen.config import SiteConfig
from sitegen.outputs.files import OutputFile
from sitegen.render.themes import Theme


def plan_assets(config: SiteConfig, theme: Theme, assets_url: str) -> list[OutputFile]:
    made = dict(theme.generated)
    files = [
        OutputFile(assets_url.lstrip("/") + name, copy_from=file, source=f"theme file {name}")
        for name, file in theme.static_files().items()
        if name not in made
    ]
    files.extend(
        OutputFile(assets_url.lstrip("/") + name, content, source=f"theme file {name}")
        for name, content in made.items()
    )
    files.extend(_site_static(config))
    return files


def _site_static(config: SiteConfig) -> list[OutputFile]:
    static = config.static_dir
    if not static.is_dir():
        return []
    root = config.root.resolve()
    files = []
    for file in sorted(static.rglob("*")):
        relative = file.relative_to(static)
        if any(part.startswith(".") for part in relative.parts) or not file.is_file():
            continue
        if not file.resolve().is_relative_to(root):
            continue  # a link leading out of the site is never published
        files.append(
            OutputFile(relative.as_posix(), copy_from=file, source=_source(file, config.root))
        )
    return files


def _source(file: Path, root: Path) -> str:
    return file.relative_to(root).as_posix()
