"""Every file of the built site, planned before anything is written.

plan_outputs turns a Site into OutputFile values (bytes to write, or a file to copy) and
refuses two sources claiming one path. No disk writes happen here.
"""

from __future__ import annotations

from sitegen.errors import Problem, SiteError
from sitegen.model import Site
from sitegen.outputs.admin import plan_admin
from sitegen.outputs.assets import plan_assets
from sitegen.outputs.event_feed import plan_event_feed
from sitegen.outputs.feeds import plan_feeds
from sitegen.outputs.files import OutputFile
from sitegen.outputs.forms import listed_form_paths, plan_forms
from sitegen.outputs.highlight_feed import plan_highlight_feed
from sitegen.outputs.highlight_pages import plan_highlight_images
from sitegen.outputs.ics import plan_calendars
from sitegen.outputs.netlify import plan_netlify_files
from sitegen.outputs.pages import plan_pages
from sitegen.outputs.sitemap import plan_crawler_files
from sitegen.render.environment import Renderer
from sitegen.render.themes import Theme

__all__ = ["OutputFile", "plan_outputs"]


def plan_outputs(site: Site, renderer: Renderer, theme: Theme) -> list[OutputFile]:
    """All output files of the site; SiteError if two of them claim the same path."""
    pages = plan_pages(site, renderer)
    listed = [*pages.paths, *listed_form_paths(site)]
    # A preview's _headers and _redirects include the site's own (static/), which they replace.
    netlify = plan_netlify_files(site)
    replaced = {file.output_path for file in netlify}
    assets = plan_assets(site.config, theme, renderer.assets_url)
    others = [
        *plan_forms(site, renderer),
        *plan_feeds(site),
        *plan_event_feed(site),
        *plan_highlight_feed(site),
        *plan_highlight_images(site),
        *plan_calendars(site),
        *plan_crawler_files(site, listed),
        *(file for file in assets if file.output_path not in replaced),
        *plan_admin(site.config, renderer.asset("css/style.css")),
        *netlify,
    ]
    folded = [*pages.folded, *(file.output_path.casefold() for file in others)]
    files = [*pages.files, *others]
    check_unique_paths(files, folded)
    return files


def check_unique_paths(files: list[OutputFile], folded: list[str]) -> None:
    """Raise SiteError naming both sources of every path claimed twice (`folded`: the paths
    of `files` casefolded; pages keep theirs from build to build in the preview)."""
    # One file on case-insensitive disks. A set first: most builds have no path twice, and
    # this is quicker than the loop below (a preview's rebuild checks 5,000 paths or more).
    if len(set(folded)) == len(folded):
        return
    claimed: dict[str, OutputFile] = {}
    problems = []
    for file in files:
        key = file.output_path.casefold()  # one file on case-insensitive disks
        first = claimed.setdefault(key, file)
        if first is not file:
            problems.append(
                Problem(
                    f"This makes the page /{file.output_path} that {first.source} makes too.",
                    file.source,
                    hint="Give one of them another slug, like: slug: book-sale-2026",
                )
            )
    if problems:
        raise SiteError(problems)
