"""The browser oracle: Debian's Chromium, headless, opens every page of a site built from the
hostile-feed corpus. Every payload in the corpus would mark the page it runs in
(`document.documentElement.dataset.pwned`) or ask the feed server for /pwned; after loading
and after every inline-handler event is fired at every element, no mark may be set.

Two control pages, served beside the site and not part of it, carry live payloads: they must
come out marked, or the oracle proves nothing. The site is served without a
Content-Security-Policy on purpose: the cleaning alone has to hold.

Without chromium the test is skipped on a workstation and fails when CI is set.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import NOW
from feed_server import FeedServer, hostile_site

from sitegen.build import build_site

CONTROL_ERROR = (
    b"<!DOCTYPE html><html><body><p>control</p><img src=x "
    b"onerror=\"document.documentElement.dataset.pwned='control-error'\"></body></html>"
)
CONTROL_EVENT = (
    b"<!DOCTYPE html><html><body><p onmouseover="
    b"\"document.documentElement.dataset.pwned='control-event'\">hover</p></body></html>"
)
HARNESS = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<pre id="result">pending</pre>
{frames}
<script>
var EVENTS = ["mouseover", "mouseenter", "mousedown", "focus", "blur", "toggle", "error",
              "load", "input", "change", "animationstart", "animationend", "pointerover"];
function marks() {{
  var out = [];
  for (var i = 0; i < frames.length; i++) {{
    var path = "?", mark = "unreadable";
    try {{
      path = frames[i].location.pathname;
      mark = frames[i].document.documentElement.dataset.pwned || "";
    }} catch (e) {{ mark = "navigated away: " + e; }}
    out.push(path + " " + mark);
  }}
  out.push("harness " + (document.documentElement.dataset.pwned || ""));
  return out.join("\\n");
}}
setTimeout(function () {{
  for (var i = 0; i < frames.length; i++) {{
    var all = frames[i].document.querySelectorAll("*");
    for (var j = 0; j < all.length; j++) {{
      for (var k = 0; k < EVENTS.length; k++) {{
        all[j].dispatchEvent(new Event(EVENTS[k]));
      }}
    }}
  }}
  setTimeout(function () {{ document.getElementById("result").textContent = marks(); }}, 500);
}}, 2500);
</script></body></html>
"""
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".css": "text/css",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".txt": "text/plain",
    ".ics": "text/calendar",
    ".js": "text/javascript",
    ".woff2": "font/woff2",
}


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is needed for the browser test in CI (apt install chromium)")
        pytest.skip("chromium is not installed")
    return found


def serve_site(server: FeedServer, out: Path) -> list[str]:
    """Serve the built site at the server's root; gives the URL path of every page."""
    pages = []
    for file in sorted(out.rglob("*")):
        if not file.is_file():
            continue
        path = "/" + file.relative_to(out).as_posix()
        kind = CONTENT_TYPES.get(file.suffix, "application/octet-stream")
        server.serve(path, body=file.read_bytes(), content_type=kind)
        if file.name == "index.html":
            path = path.removesuffix("index.html")
            server.serve(path, body=file.read_bytes(), content_type=kind)
        if file.suffix == ".html":
            pages.append(path)
    return pages


def test_no_script_from_any_feed_runs_in_chromium(tmp_path: Path) -> None:
    browser = chromium()
    with FeedServer() as feeds, FeedServer() as site_server:
        root = hostile_site(tmp_path / "site", feeds)
        result = build_site(root, now=NOW)
        assert result.written and result.output_dir is not None
        pages = serve_site(site_server, result.output_dir)
        assert any(page.startswith("/highlights/") for page in pages)
        site_server.serve("/control-error.html", body=CONTROL_ERROR, content_type="text/html")
        site_server.serve("/control-event.html", body=CONTROL_EVENT, content_type="text/html")
        frames = "\n".join(
            f'<iframe src="{page}"></iframe>'
            for page in ["/control-error.html", "/control-event.html", *pages]
        )
        site_server.serve(
            "/harness.html",
            body=HARNESS.format(frames=frames).encode(),
            content_type="text/html; charset=utf-8",
        )
        requests_before = len(feeds.requests)
        run = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={tmp_path / 'chromium'}",
                "--virtual-time-budget=15000",
                "--dump-dom",
                site_server.url("/harness.html"),
            ],
            capture_output=True,
            timeout=120,
            check=False,
        )
        feed_requests = feeds.requests[requests_before:]
    result_text = BeautifulSoup(run.stdout, "html.parser").select_one("#result")
    assert result_text is not None, run.stderr.decode(errors="replace")[-2000:]
    marks = dict(line.split(" ", 1) for line in result_text.get_text().splitlines())
    # The oracle works: live payloads in the control pages did mark them.
    assert marks.pop("/control-error.html") == "control-error"
    assert marks.pop("/control-event.html") == "control-event"
    # Every page of the site was loaded where it should be, and none was marked.
    assert set(marks) == {*pages, "harness"}
    assert {path: mark for path, mark in marks.items() if mark} == {}
    # Nothing on the site asked the feed server for anything: no /pwned, no hot-linked image.
    assert [r.path for r in feed_requests] == []
