"""Debian's chromium, headless, driven over the Chrome DevTools Protocol (a websocket).

Chromium(profile) starts the browser on a free port, opens one tab and gives `send` (a
command, waiting for its answer) and `wait_for` (an event). Used by the browser tests and by
bench/screenshots.py. Nothing is downloaded: the browser is the system's.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import websocket

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--font-render-hinting=none",
    "--remote-debugging-port=0",
)
INSTALL_HINT = "Install it with: sudo apt-get install chromium (Debian/Ubuntu)"


def find_chromium() -> str | None:
    """The system's Chromium: $CHROMIUM, else chromium or chromium-browser on the PATH."""
    named = os.environ.get("CHROMIUM")
    if named:
        return shutil.which(named)
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


class CDPError(RuntimeError):
    pass


class Chromium:
    """One headless browser with one tab; close() ends it."""

    def __init__(self, executable: str, profile: Path, timeout: float = 30) -> None:
        self.timeout = timeout
        profile.mkdir(parents=True, exist_ok=True)
        port_file = profile / "DevToolsActivePort"
        port_file.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its helpers (crash reporter, renderers) end with it
        )
        try:
            port, path = self._wait_for_port(port_file)
            self.socket = websocket.create_connection(
                f"ws://127.0.0.1:{port}{path}", timeout=timeout, suppress_origin=True
            )
            self._next_id = 0
            self.events: list[dict[str, Any]] = []
            target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
            attached = self.send(
                "Target.attachToTarget",
                {"targetId": target["targetId"], "flatten": True},
                session=False,
            )
            self.session = attached["sessionId"]
        except BaseException:
            self._end()
            raise

    def _wait_for_port(self, port_file: Path) -> tuple[str, str]:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CDPError(f"chromium exited with code {self.process.returncode}")
            lines = port_file.read_text().split() if port_file.exists() else []
            if len(lines) == 2:
                return lines[0], lines[1]
            time.sleep(0.05)
        raise CDPError("chromium did not open its DevTools port")

    def send(self, method: str, params: dict[str, Any] | None = None, session: bool = True) -> Any:
        """Send a command and wait for its result; events that arrive meanwhile are kept."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        self.socket.send(json.dumps(message))
        while True:
            reply = self._receive(time.monotonic() + self.timeout)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def _receive(self, deadline: float) -> dict[str, Any]:
        self.socket.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            message: dict[str, Any] = json.loads(self.socket.recv())
        except websocket.WebSocketTimeoutException:
            raise CDPError("chromium did not answer in time") from None
        if "method" in message:
            self.events.append(message)
        return message

    def wait_for(self, method: str, since: int = 0) -> dict[str, Any]:
        """The first event called `method` among those after index `since`, waiting for it."""
        deadline = time.monotonic() + self.timeout
        while True:
            for event in self.events[since:]:
                if event["method"] == method:
                    return event
            since = len(self.events)
            self._receive(deadline)

    def open(self, url: str) -> None:
        """Load `url` in the tab and wait until its load event."""
        self.send("Page.enable")
        mark = len(self.events)
        result = self.send("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise CDPError(f"{url}: {result['errorText']}")
        self.wait_for("Page.loadEventFired", mark)

    def evaluate(self, expression: str, await_promise: bool = False) -> Any:
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": await_promise},
        )
        if "exceptionDetails" in result:
            raise CDPError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def viewport(self, width: int, height: int = 900) -> None:
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )

    def color_scheme(self, scheme: str) -> None:
        self.send(
            "Emulation.setEmulatedMedia",
            {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
        )

    def press_tab(self) -> None:
        for kind in ("keyDown", "keyUp"):
            self.send(
                "Input.dispatchKeyEvent",
                {"type": kind, "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9},
            )

    def screenshot(self, file: Path, width: int) -> None:
        """A PNG of the whole page at `width` CSS pixels."""
        self.viewport(width)
        height = self.evaluate("Math.ceil(document.documentElement.scrollHeight)")
        self.viewport(width, int(height))
        shot = self.send("Page.captureScreenshot", {"format": "png"})
        file.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        try:
            self.socket.close()
        finally:
            self._end()

    def _end(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
