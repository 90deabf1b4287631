"""Every kind of page of the demo in headless Chromium: axe-core finds no WCAG 2.0/2.1 A or AA
violation at 320 px and 1280 px, in light and dark; the page loads nothing from another host
and breaks no rule of the Content-Security-Policy; the keyboard reaches the skip link first.

Each page is opened once (`visit`) and the findings are shared by the tests of that page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest

from browser.chromium import Chromium
from browser.demo_site import content_pages

KINDS = (
    "home",
    "listing page 2",
    "post",
    "page",
    "topics",
    "tag",
    "archives",
    "archive",
    "404",
    "events",
    "events by branch",
    "past events",
    "events month",
    "event",
    "highlights",
    "feedback",
)
WIDTHS = (320, 1280)
SCHEMES = ("light", "dark")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """
axe.run(document, {runOnly: {type: "tag", values: TAGS}, resultTypes: ["violations"]})
  .then(results => JSON.stringify(results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ") + ": " + n.failureSummary)
  }))))
""".replace("TAGS", json.dumps(WCAG_TAGS))


@dataclass
class Visit:
    """What one page did in the browser."""

    url: str
    violations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def visit_page(
    browser: Chromium, url: str, axe_source: str, views: tuple[tuple[int, str], ...] = ()
) -> Visit:
    """Open `url`, record its requests and errors, and run axe in each width and scheme."""
    found = Visit(url)
    browser.send("Network.enable")
    browser.send("Log.enable")
    browser.send("Runtime.enable")
    browser.viewport(WIDTHS[0])
    browser.color_scheme("light")
    mark = len(browser.events)
    browser.open(url)
    browser.evaluate("document.fonts.ready.then(() => true)", await_promise=True)
    browser.evaluate(axe_source)
    for width, scheme in views or [(w, s) for w in WIDTHS for s in SCHEMES]:
        browser.viewport(width)
        browser.color_scheme(scheme)
        result = browser.evaluate(RUN_AXE, await_promise=True)
        found.violations[f"{width}px {scheme}"] = json.loads(result)
    for event in browser.events[mark:]:
        params = event.get("params", {})
        if event["method"] == "Network.requestWillBeSent":
            found.requests.append(params["request"]["url"])
        elif event["method"] == "Log.entryAdded" and params["entry"]["level"] == "error":
            entry = params["entry"]
            found.errors.append(f"{entry['source']}: {entry['text']} {entry.get('url', '')}")
        elif event["method"] == "Runtime.exceptionThrown":
            found.errors.append(str(params["exceptionDetails"].get("text")))
    del browser.events[mark:]
    browser.color_scheme("light")
    return found


@pytest.fixture(scope="session")
def visits() -> dict[str, Visit]:
    return {}


@pytest.fixture
def visit(request, visits, kinds, base_url, browser, axe_source) -> Visit:
    kind = request.param
    if kind not in kinds:
        pytest.skip(f"the demo has no {kind} page (yet)")
    if kind not in visits:
        visits[kind] = visit_page(browser, base_url + kinds[kind], axe_source)
    return visits[kind]


def describe(violations: dict[str, list[dict[str, Any]]]) -> str:
    lines = []
    for where, found in violations.items():
        for violation in found:
            lines.append(f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.extend(f"    {node}" for node in violation["nodes"])
    return "\n".join(lines)


@pytest.mark.parametrize("visit", KINDS, indirect=True)
def test_axe_finds_no_wcag_a_or_aa_violations(visit: Visit):
    assert set(visit.violations) == {f"{w}px {s}" for w in WIDTHS for s in SCHEMES}
    assert not any(visit.violations.values()), f"{visit.url}\n{describe(visit.violations)}"


@pytest.mark.parametrize("visit", KINDS, indirect=True)
def test_the_page_loads_nothing_from_another_host(visit: Visit):
    origin = urlsplit(visit.url).netloc
    assert visit.requests, "no request was recorded"
    others = [url for url in visit.requests if urlsplit(url).netloc != origin]
    assert others == []


@pytest.mark.parametrize("visit", KINDS, indirect=True)
def test_the_page_keeps_the_content_security_policy_and_has_no_errors(visit: Visit):
    assert visit.errors == []


def test_every_post_and_page_passes_axe_narrow_and_light_wide_and_dark(
    demo_output, base_url, browser, axe_source
):
    """Staff write these in Markdown: a table or a long word must not break the layout."""
    paths = content_pages(demo_output)
    assert len(paths) > 20
    problems = []
    for path in paths:
        found = visit_page(
            browser, base_url + path, axe_source, views=((320, "light"), (1280, "dark"))
        )
        if any(found.violations.values()) or found.errors:
            problems.append(f"{path}\n{describe(found.violations)}\n{found.errors}")
    assert problems == [], "\n".join(problems)


def focused(browser: Chromium) -> dict[str, Any]:
    script = """(() => {
      const e = document.activeElement, r = e.getBoundingClientRect(), s = getComputedStyle(e);
      return {tag: e.tagName.toLowerCase(), id: e.id, text: e.textContent.trim(),
              className: e.className, href: e.getAttribute("href"),
              inMenu: !!e.closest('nav[aria-label="Main"]'), inHeader: !!e.closest("header"),
              top: r.top, left: r.left, width: r.width, outline: s.outlineStyle};
    })()"""
    return browser.evaluate(script)


def settled(browser: Chromium) -> dict[str, Any]:
    """The focused element once its transition (the skip link slides in) has ended."""
    browser.evaluate(
        "Promise.all(document.activeElement.getAnimations().map(a => a.finished))",
        await_promise=True,
    )
    return focused(browser)


@pytest.mark.parametrize("kind", ["home", "post"])
def test_the_keyboard_reaches_the_skip_link_first_then_the_header_menu(
    kind, kinds, base_url, browser
):
    browser.viewport(1280)
    browser.send("Emulation.setFocusEmulationEnabled", {"enabled": True})
    browser.open(base_url + kinds[kind])
    menu_links = browser.evaluate(
        """[...document.querySelectorAll('nav[aria-label="Main"] a')].map(a => a.textContent)"""
    )
    assert menu_links, "the demo has a menu"

    browser.press_tab()
    skip = settled(browser)
    assert (skip["className"], skip["href"]) == ("skip-link", "#main")
    assert skip["top"] >= 0 and skip["left"] >= 0 and skip["width"] > 0, "visible when focused"
    assert skip["outline"] != "none", "focus is visible"

    browser.press_tab()
    home = focused(browser)
    assert home["inHeader"] and home["href"] == "/", "next: the library's name, a link home"
    reached = []
    for _ in menu_links:
        browser.press_tab()
        stop = focused(browser)
        assert stop["inMenu"], f"the menu comes next, not {stop}"
        assert stop["outline"] != "none"
        reached.append(stop["text"])
    assert reached == menu_links


def test_the_skip_link_moves_focus_to_the_main_content(kinds, base_url, browser):
    browser.viewport(320)
    browser.open(base_url + kinds["post"])
    browser.press_tab()
    for kind in ("rawKeyDown", "char", "keyUp"):
        params = {"type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
        if kind == "char":
            params["text"] = "\r"
        browser.send("Input.dispatchKeyEvent", params)
    assert focused(browser)["id"] == "main"


def test_reduced_motion_turns_transitions_off(kinds, base_url, browser):
    browser.open(base_url + kinds["home"])
    duration = "getComputedStyle(document.querySelector('.skip-link')).transitionDuration"
    browser.send(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-reduced-motion", "value": "no-preference"}]},
    )
    assert browser.evaluate(duration) != "0s"
    browser.send(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]},
    )
    assert browser.evaluate(duration) == "0s"
    browser.color_scheme("light")


def test_images_keep_their_space_while_loading(kinds, base_url, browser):
    browser.viewport(320)
    browser.open(base_url + kinds["home"])
    images = browser.evaluate(
        """[...document.images].map(i => ({src: i.getAttribute("src"),
            sized: !!(i.getAttribute("width") && i.getAttribute("height")),
            ratio: getComputedStyle(i).aspectRatio,
            overflow: i.getBoundingClientRect().right > document.documentElement.clientWidth}))"""
    )
    assert images
    for image in images:
        # Its width and height, or a ratio from the CSS (pictures from other sites in cards).
        assert image["sized"] or image["ratio"] != "auto", image
        assert not image["overflow"], image
    assert browser.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), "nothing is wider than a 320 px screen"
