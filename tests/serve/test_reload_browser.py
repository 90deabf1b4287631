"""Live reload in a real browser: Debian's chromium, headless, on a page from PreviewServer.

The test drives chromium over the DevTools protocol on a pipe (--remote-debugging-pipe: JSON
messages ending in a NUL byte, read from fd 4 and written to fd 3), so it needs nothing
beyond the standard library. It edits the post on disk and watches the open tab reload.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import write_files
from preview_client import BOOK_CLUB, SITE, post_text, running

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",
    "--remote-debugging-pipe",
]
# Puts the pipe ends on the fds chromium expects (3: it reads, 4: it writes), then runs it.
ON_FDS_3_AND_4 = (
    "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); "
    "os.execv(sys.argv[3], sys.argv[3:])"
)


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing, and CI must run the browser test")
    pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")


class Browser:
    """Headless chromium and one DevTools session with a page, over a pipe."""

    def __init__(self, profile: Path, log: Path) -> None:
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()
        fds = [str(to_browser_read), str(from_browser_write)]
        command = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}"]
        with log.open("wb") as log_file:
            self.process = subprocess.Popen(
                [sys.executable, "-c", ON_FDS_3_AND_4, *fds, *command],
                pass_fds=(to_browser_read, from_browser_write),
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=log_file,
            )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        self.session = ""

    def call(self, method: str, timeout: float = 10.0, **params: Any) -> dict[str, Any]:
        """Send one command and return its reply (events in between are skipped)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if self.session:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next_id:
                return reply

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise EOFError("chromium closed the DevTools pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def open(self, url: str) -> None:
        target = self.call("Target.createTarget", url=url)["result"]["targetId"]
        attached = self.call("Target.attachToTarget", targetId=target, flatten=True)
        self.session = attached["result"]["sessionId"]

    def evaluate(self, expression: str) -> Any:
        """The JSON value of `expression` in the page; None while the page is (re)loading."""
        reply = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        result = reply.get("result", {})
        if "error" in reply or "exceptionDetails" in result:
            return None
        return result["result"].get("value")

    def close(self) -> None:
        try:
            self.session = ""
            self.call("Browser.close", timeout=3)
        except (OSError, TimeoutError, EOFError):
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


PAGE_STATE = """JSON.stringify({
  ready: document.readyState,
  h1: (document.querySelector("h1") || {}).textContent || null,
  title: document.title,
  build: document.documentElement.getAttribute("data-sitegen-build"),
  marker: window.sitegenTestMarker || null,
})"""


def wait_for_page(browser: Browser, wanted: str, timeout: float) -> dict[str, Any]:
    """Poll the tab until its h1 reads `wanted` and it has finished loading."""
    deadline = time.monotonic() + timeout
    state: dict[str, Any] = {}
    while time.monotonic() < deadline:
        value = browser.evaluate(PAGE_STATE)
        if value is not None:
            state = json.loads(value)
            if state["ready"] == "complete" and (state["h1"] or "").strip() == wanted:
                return state
        time.sleep(0.1)
    raise AssertionError(f"the tab never showed {wanted!r}; last seen: {state}")


@pytest.mark.slow
def test_an_open_tab_reloads_by_itself_when_the_post_is_saved(tmp_path: Path) -> None:
    require_chromium()
    root = write_files(tmp_path / "site", SITE)
    with running(root) as server:
        browser = Browser(tmp_path / "profile", tmp_path / "chromium.log")
        try:
            browser.open(f"http://127.0.0.1:{server.port}/posts/book-club/")
            before = wait_for_page(browser, "Book Club Returns", timeout=15)
            # Survives anything but a reload of the page.
            assert browser.evaluate("window.sitegenTestMarker = 'set before the edit'") is not None

            (root / BOOK_CLUB).write_text(post_text("Book Club Is Back"), encoding="utf-8")
            after = wait_for_page(browser, "Book Club Is Back", timeout=10)
        finally:
            browser.close()

    assert before["marker"] is None
    assert after["marker"] is None  # a new page, not the old one patched
    assert int(after["build"]) == int(before["build"]) + 1
    assert after["title"].startswith("Book Club Is Back")
    assert not before["title"].startswith("Book Club Is Back")
