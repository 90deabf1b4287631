"""Pages the preview server rendered in earlier builds, found again by what they were made from.

After an edit the server renders pages on demand and the rest in the background. Most of them
come out as they were: a page whose own values, whose noted parts of the Site (see recording)
and whose build digest are unchanged is taken from memory instead of being rendered again,
so the background pass after a one-post edit renders a handful of pages, not thousands.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

from sitegen import __version__
from sitegen.config import SiteConfig
from sitegen.fingerprint import Fingerprinter, Unfingerprintable, digest_of, package_version
from sitegen.model import Site
from sitegen.render.recording import dependency
from sitegen.render.themes import Theme

# What the bytes of a page or feed can depend on besides sitegen itself.
_PACKAGES = ("jinja2", "markupsafe", "feedgen", "lxml", "icalendar", "python-dateutil")
_PACKAGE = Path(__file__).parent.parent
_FORMAT = 1


def build_digest(config: SiteConfig, theme: Theme, assets_url: str) -> str:
    """What every page and feed depends on besides its own values: sitegen's code and its
    packages' versions, the settings, every theme file."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(f"format {_FORMAT}\nsitegen {__version__}\n{assets_url}\n".encode())
    for name in _PACKAGES:
        hasher.update(f"{name} {package_version(name)}\n".encode())
    hasher.update(Fingerprinter().digest(config))
    hasher.update(_code_digest())
    for folder in theme.template_dirs:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                hasher.update(f"\0{file.relative_to(folder).as_posix()}\0".encode())
                hasher.update(file.read_bytes())
        hasher.update(b"\0theme folder\0")
    return hasher.hexdigest()


@cache
def _code_digest() -> bytes:
    """sitegen's own code: an installed copy being worked on changes without a new version.
    Read once per process, since the process runs the code it imported."""
    hasher = hashlib.blake2b(digest_size=16)
    for file in sorted(_PACKAGE.rglob("*.py")):
        hasher.update(file.read_bytes())
    return hasher.digest()


@dataclass
class _Page:
    noted: tuple[str, ...]
    noted_digest: str
    data: bytes
    used: int  # the last build that used it


class PageMemory:
    """The pages of one preview server's builds; pages no recent build used are dropped.

    It also keeps how pages were planned (`plans`), for the pages of the next build that are
    planned from the very same items.
    """

    def __init__(self) -> None:
        self.pages: dict[bytes, _Page] = {}
        self.generation = 0
        self.plans = KeptPlans()
        self._last: BuildMemory | None = None

    def for_build(
        self, site: Site, theme: Theme, assets_url: str, image_size: Callable[[str], Any]
    ) -> BuildMemory:
        self.generation += 1
        recent = self.generation - 2
        self.pages = {key: page for key, page in self.pages.items() if page.used >= recent}
        build = BuildMemory(self, site, theme, assets_url, image_size)
        if self._last is not None:
            build.carry_digests(self._last)
        self._last = build
        return build


class BuildMemory:
    """PageMemory as one build sees it: digests taken against this build's Site.

    Pages of a build that was replaced may still be rendered on request; they go through
    their own build's BuildMemory, so what they remember is true of what they show.
    """

    def __init__(
        self,
        memory: PageMemory,
        site: Site,
        theme: Theme,
        assets_url: str,
        image_size: Callable[[str], Any],
    ) -> None:
        self._memory = memory
        self._generation = memory.generation
        self.plans = memory.plans
        self._site, self._theme, self._assets_url = site, theme, assets_url
        self._fingerprinter = Fingerprinter()
        self._noted = NotedParts(self._fingerprinter, partial(dependency, site, image_size))
        self._salt: bytes | None = None
        # Page keys by the very objects a page's inputs hold: this build's, and the last one's.
        self._keys: dict[tuple[int, ...], tuple[tuple[Any, ...], bytes]] = {}
        self._earlier_keys: dict[tuple[int, ...], tuple[tuple[Any, ...], bytes]] = {}

    def carry_digests(self, earlier: BuildMemory) -> None:
        """Take the digests the earlier build took of content items this build has too, the
        very objects: after a one-post edit, 3,999 of 4,000 posts need no digest again (it
        was the slowest part of the render pass that follows each save)."""
        for item in _content_items(self._site):
            self._fingerprinter.carry(item, earlier._fingerprinter)
        # A page planned as before (see KeptPlans) has inputs of the very same objects.
        self._earlier_keys, earlier._earlier_keys = earlier._keys, {}

    def recall(self, inputs: Any) -> tuple[bytes, tuple[str, ...]] | None:
        """The bytes of a page made from `inputs` and what its templates read, if known."""
        key = self._key(inputs)
        page = self._memory.pages.get(key) if key is not None else None
        if page is None or self._noted.digest(page.noted) != page.noted_digest:
            return None
        page.used = self._generation
        return page.data, page.noted

    def remember(self, inputs: Any, noted: set[str], data: bytes) -> None:
        key = self._key(inputs)
        names = tuple(sorted(noted))
        digest = self._noted.digest(names)
        if key is not None and digest is not None:
            self._memory.pages[key] = _Page(names, digest, data, self._generation)

    def _key(self, inputs: Any) -> bytes | None:
        if self._salt is None:
            config = self._site.config
            self._salt = build_digest(config, self._theme, self._assets_url).encode()
        if type(inputs) is not tuple:
            digest = self._digest(inputs)
            return None if digest is None else self._salt + digest
        identities = tuple(map(id, inputs))
        known = self._keys.get(identities) or self._earlier_keys.get(identities)
        if known is None or any(a is not b for a, b in zip(known[0], inputs, strict=True)):
            digest = self._digest(inputs)
            if digest is None:
                return None
            # Held with the objects, so their ids stand for no other objects while kept.
            known = (inputs, digest)
        self._keys[identities] = known
        return self._salt + known[1]

    def _digest(self, inputs: Any) -> bytes | None:
        try:
            return self._fingerprinter.digest(inputs)
        except Unfingerprintable:
            return None


def _content_items(site: Site) -> Iterator[Any]:
    yield from site.posts
    yield from site.pages
    yield from site.events.events
    yield from site.highlights.approved


class KeptPlans:
    """What the last build planned from some objects, given back when planned from the very
    same objects again (identical, not merely equal: no digest to take).

    The preview server's read cache gives back the same frozen item for a file that has not
    changed, so after a one-post edit nearly every post page is planned from the objects it
    was planned from before. Entries are keyed by the ids of those objects and hold the objects
    themselves: no other object can take the id of one alive, so a key found is the very objects.
    """

    def __init__(self) -> None:
        self._settings: Any = None
        self._last: dict[tuple[int, ...], tuple[tuple[Any, ...], Any]] = {}
        self._used: dict[tuple[int, ...], tuple[tuple[Any, ...], Any]] = {}

    def start(self, settings: Any) -> None:
        """Begin a build's plan. `settings`: what else the plans are made from, compared by
        value; when they differ from the last build's, nothing is given back."""
        if settings != self._settings:
            self._settings, self._last = settings, {}
        self._used = {}

    def get(self, sources: tuple[Any, ...]) -> Any:
        """What was planned from `sources` (the very objects) last time; None if not that."""
        key = tuple(map(id, sources))
        entry = self._last.get(key)
        if entry is None:
            return None
        self._used[key] = entry
        return entry[1]

    def put(self, sources: tuple[Any, ...], plan: Any) -> None:
        """Keep what was planned from `sources` for the next build."""
        self._used[tuple(map(id, sources))] = (sources, plan)

    def finish(self) -> None:
        """End the build's plan: only what it used is kept for the next one."""
        self._last, self._used = self._used, {}


class NotedParts:
    """Digests of the parts of one build's Site that templates noted, each taken once."""

    def __init__(self, fingerprinter: Fingerprinter, resolve: Callable[[str], Any]) -> None:
        self._fingerprinter = fingerprinter
        self._resolve = resolve
        self._digests: dict[str, bytes | None] = {}
        self._by_names: dict[tuple[str, ...], str | None] = {}

    def digest(self, names: tuple[str, ...]) -> str | None:
        """One digest for the current values of `names`; None if one cannot be digested."""
        # Most pages of a kind read the same names: their digest is taken once a build.
        if names not in self._by_names:
            self._by_names[names] = self._digest(names)
        return self._by_names[names]

    def _digest(self, names: tuple[str, ...]) -> str | None:
        parts = []
        for name in names:
            if name not in self._digests:
                try:
                    self._digests[name] = self._fingerprinter.digest(self._resolve(name))
                except (Unfingerprintable, AttributeError, TypeError, ValueError):
                    self._digests[name] = None
            digest = self._digests[name]
            if digest is None:
                return None
            parts.append((name, digest))
        return digest_of(parts)
