"""Pages the preview server rendered in earlier builds, found again by what they were made from.

After an edit the server renders pages on demand and the rest in the background. Most of them
come out as they were: a page whose own values, whose noted parts of the Site (see recording)
and whose build digest are unchanged is taken from memory instead of being rendered again,
so the background pass after a one-post edit renders a handful of pages, not thousands. Pages
planned from the very same objects keep their files whole (KeptPlans, outputs.planner).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any, TypeVar

from sitegen import __version__
from sitegen.assemble.base_path import BasePathCopies
from sitegen.assemble.kept import KeptParts
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
    hasher.update(_package_versions())
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
def _package_versions() -> bytes:
    """The versions of the packages the bytes depend on, looked up once per process: the
    process runs the packages it imported (looking them up was a tenth of a preview plan)."""
    return "".join(f"{name} {package_version(name)}\n" for name in _PACKAGES).encode()


@cache
def _code_digest() -> bytes:
    """sitegen's own code: an installed copy being worked on changes without a new version.
    Read once per process, since the process runs the code it imported."""
    hasher = hashlib.blake2b(digest_size=16)
    for file in sorted(_PACKAGE.rglob("*.py")):
        hasher.update(file.read_bytes())
    return hasher.digest()


# Noted names and their digest (see NotedParts).
_Noted = tuple[tuple[str, ...], str]
_MAX_PAIRS = 10_000


@dataclass
class _Page:
    noted: tuple[str, ...]
    noted_digest: str
    data: bytes
    used: int  # the last build that used it


class PageMemory:
    """The pages of one preview server's builds; pages no recent build used are dropped.

    It also keeps how pages were planned (`plans`), the tags and archives assembled (`parts`)
    and the items given the base path (`copies`), for the next build's made from the very
    same items.
    """

    def __init__(self) -> None:
        self.pages: dict[bytes, _Page] = {}
        self.generation = 0
        self.plans = KeptPlans()
        self.parts = KeptParts()
        self.copies = BasePathCopies()
        self._last: BuildMemory | None = None
        self._salt: bytes | None = None
        self._assets_url = ""
        self._same_settings = False
        # One pair of noted names and digest for all pages that have them (see Rendered).
        self._pairs: dict[_Noted, _Noted] = {}

    def same_settings(self, same: bool) -> None:
        """Tell the next build whether the settings, the theme and the static files are
        those of the last (the preview server knows which files changed): if so, its build
        digest is the last build's, not taken again."""
        self._same_settings = same

    def for_build(
        self, site: Site, theme: Theme, assets_url: str, image_size: Callable[[str], Any]
    ) -> BuildMemory:
        self.generation += 1
        recent = self.generation - 2
        self.pages = {key: page for key, page in self.pages.items() if page.used >= recent}
        if self._salt is None or not self._same_settings or assets_url != self._assets_url:
            self._salt = build_digest(site.config, theme, assets_url).encode()
        self._same_settings, self._assets_url = False, assets_url
        if len(self._pairs) > _MAX_PAIRS:
            self._pairs = {}
        build = BuildMemory(self, site, self._salt, image_size)
        if self._last is not None:
            build.carry_digests(self._last)
        self._last = build
        return build

    def pair(self, names: tuple[str, ...], digest: str) -> _Noted:
        """The one (names, digest) pair equal to this one."""
        return self._pairs.setdefault((names, digest), (names, digest))


class BuildMemory:
    """PageMemory as one build sees it: digests taken against this build's Site.

    Pages of a build that was replaced may still be rendered on request; they go through
    their own build's BuildMemory, so what they remember is true of what they show.
    """

    def __init__(
        self, memory: PageMemory, site: Site, salt: bytes, image_size: Callable[[str], Any]
    ) -> None:
        self._memory = memory
        self._generation = memory.generation
        self.plans = memory.plans
        self._site = site
        # This build's digest of what every page depends on (see build_digest).
        self.salt = salt
        self._fingerprinter = Fingerprinter()
        self._noted = NotedParts(self._fingerprinter, partial(dependency, site, image_size))
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

    def recall(
        self, inputs: Any, rendered: Rendered | None = None
    ) -> tuple[bytes, tuple[str, ...]] | None:
        """The bytes of a page made from `inputs` and what its templates read, if known;
        noted in `rendered` too."""
        key = self._key(inputs)
        page = self._memory.pages.get(key) if key is not None else None
        if page is None or self._noted.digest(page.noted) != page.noted_digest:
            return None
        page.used = self._generation
        if rendered is not None:
            rendered.done = self._memory.pair(page.noted, page.noted_digest)
        return page.data, page.noted

    def remember(
        self, inputs: Any, noted: set[str], data: bytes, rendered: Rendered | None = None
    ) -> None:
        key = self._key(inputs)
        names = tuple(sorted(noted))
        digest = self._noted.digest(names)
        if digest is None:
            return
        if rendered is not None:
            rendered.done = self._memory.pair(names, digest)
        if key is not None:
            self._memory.pages[key] = _Page(names, digest, data, self._generation)

    def still_true(self, done: _Noted) -> bool:
        """Whether a page rendered in an earlier build, from the very objects this build plans
        it from, would come out the same in this build: what its templates read of the Site
        (`done`, see Rendered) is unchanged. (The build digest is compared before, see
        KeptPlans.start.)"""
        return self._noted.digest(done[0]) == done[1]

    def _key(self, inputs: Any) -> bytes | None:
        salt = self.salt
        if type(inputs) is not tuple:
            digest = self._digest(inputs)
            return None if digest is None else salt + digest
        identities = tuple(map(id, inputs))
        known = self._keys.get(identities) or self._earlier_keys.get(identities)
        if known is None or any(a is not b for a, b in zip(known[0], inputs, strict=True)):
            digest = self._digest(inputs)
            if digest is None:
                return None
            # Held with the objects, so their ids stand for no other objects while kept.
            known = (inputs, digest)
        self._keys[identities] = known
        return salt + known[1]

    def _digest(self, inputs: Any) -> bytes | None:
        try:
            return self._fingerprinter.digest(inputs)
        except Unfingerprintable:
            return None


def _content_items(site: Site) -> Iterator[Any]:
    yield from site.posts
    yield from site.tags  # the last build's own where made of the same posts (KeptParts)
    yield from site.years
    yield from site.pages
    yield from site.events.events
    yield from site.highlights.approved


class Rendered:
    """What a planned page's templates read of the Site, once the page is rendered: the noted
    names and their digest, one pair object for all pages with equal ones (PageMemory.pair),
    so a run of pages is checked once. Until then (or if it failed) `done` is None."""

    __slots__ = ("done",)

    def __init__(self) -> None:
        # Set in one assignment: another thread (the next build's plan) may read it.
        self.done: _Noted | None = None


_Plan = TypeVar("_Plan")


class KeptPlans:
    """What the last build planned from some objects, given back when planned from the very
    same objects again (identical, not merely equal: no digest to take).

    The preview server's read cache gives back the same frozen item for a file that has not
    changed, so after a one-post edit nearly every post page is planned from the objects it
    was planned from before. Entries are keyed by the ids of those objects and hold the objects
    themselves: no other object can take the id of one alive, so a key found is the very objects.
    A `key` of plain values (compared by equality) tells apart plans made from the same objects.
    """

    def __init__(self) -> None:
        self._settings: Any = None
        self._last: dict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] = {}
        self._used: dict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] = {}

    def start(self, settings: Any) -> None:
        """Begin a build's plan. `settings`: what else the plans are made from, compared by
        value; when they differ from the last build's, nothing is given back."""
        if settings != self._settings:
            self._settings, self._last = settings, {}
        self._used = {}

    def plan(
        self,
        sources: tuple[Any, ...],
        key: Hashable,
        make: Callable[..., _Plan],
        *args: Any,
    ) -> tuple[_Plan, bool]:
        """What was planned from `sources` and `key` last time, else `make(*args)`; kept for
        the next build either way. True with a plan of the last build."""
        identities = (key, *map(id, sources))
        entry = self._last.get(identities)
        kept = entry is not None
        if entry is None:
            entry = (sources, make(*args))
        self._used[identities] = entry
        return entry[1], kept

    def get(self, sources: tuple[Any, ...], key: Hashable) -> Any:
        """What was planned from `sources` and `key` last time (kept for the next build), or
        None: then `put` what is planned now."""
        identities = (key, *map(id, sources))
        entry = self._last.get(identities)
        if entry is None:
            return None
        self._used[identities] = entry
        return entry[1]

    def put(self, sources: tuple[Any, ...], key: Hashable, plan: Any) -> None:
        self._used[(key, *map(id, sources))] = (sources, plan)

    def unused(self, wanted: Callable[[Hashable], bool]) -> Iterator[Any]:
        """The plans of the last build with a `wanted` key that this build has not used (yet)."""
        for identities, entry in self._last.items():
            if wanted(identities[0]) and identities not in self._used:
                yield entry[1]

    def finish(self) -> None:
        """End the build's plan: only what it used is kept for the next one."""
        self._last, self._used = self._used, {}


_UNKNOWN: Any = object()


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
        digest = self._by_names.get(names, _UNKNOWN)
        if digest is _UNKNOWN:
            digest = self._by_names[names] = self._digest(names)
        return digest

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
