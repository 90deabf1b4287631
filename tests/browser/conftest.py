"""Fixtures for the checks of the built demo: the site (built once), a server on 127.0.0.1,
headless Chromium, axe-core and the Nu Html Checker.

The tools come from the system (chromium, java) and from `npm ci` in this folder (axe-core,
vnu-jar): `make browser-tools` installs them. On a developer's machine a missing tool skips
the tests that need it, saying how to install it; in CI (CI is set) it fails them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser.chromium import INSTALL_HINT, Chromium, find_chromium
from browser.demo_site import build_demo, page_kinds, serve

NODE_MODULES = Path(__file__).parent / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
NPM_HINT = "Install it with: make browser-tools (or: npm ci --prefix tests/browser)"


def missing(what: str, hint: str) -> None:
    """Skip the test on a developer's machine; fail it in CI, where every tool must be there."""
    message = f"{what} is not installed. {hint}"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def demo_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site built at the fixed clock into a temporary folder."""
    return build_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="session")
def kinds(demo_output: Path) -> dict[str, str]:
    return page_kinds(demo_output)


@pytest.fixture(scope="session")
def base_url(demo_output: Path) -> Iterator[str]:
    with serve(demo_output) as url:
        yield url


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    executable = find_chromium()
    if executable is None:
        missing("chromium", INSTALL_HINT)
    assert executable is not None
    chromium = Chromium(executable, tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        missing("axe-core", NPM_HINT)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None:
        missing("java", "Install it with: sudo apt-get install default-jre-headless")
    if not VNU.is_file():
        missing("The Nu Html Checker (vnu-jar)", NPM_HINT)
    return [str(java), "-jar", str(VNU)]
