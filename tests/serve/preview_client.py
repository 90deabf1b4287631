"""Shared by the serve tests: a tiny inline site, a running PreviewServer, and a small client.

`running(root)` starts a PreviewServer on a free port and always stops it; `get` and
`wait_for_build` talk to it over real HTTP on 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from conftest import NOW

from sitegen.serve import PreviewServer

SITE = """
-- content/posts/2026-03-01-book-club.md --
---
title: Book Club Returns
date: 2026-03-01
---
The book club meets again on Tuesdays.
-- content/posts/2026-11-30-unfinished.md --
---
title: Unfinished Draft
date: 2026-11-30
draft: true
---
Not ready.
-- content/posts/2026-12-24-holiday-hours.md --
---
title: Holiday Hours
date: 2026-12-24
---
Closed on the 25th.
-- content/pages/about.md --
---
title: About
---
Who we are.
-- static/files/hours.txt --
Open daily from nine.
"""

BOOK_CLUB = "content/posts/2026-03-01-book-club.md"


def post_text(title: str, body: str = "The book club meets again on Tuesdays.") -> str:
    return f"---\ntitle: {title}\ndate: 2026-03-01\n---\n{body}\n"


@contextmanager
def running(root: Path, **options: Any) -> Iterator[PreviewServer]:
    """A started PreviewServer on a free port, built at NOW unless a clock is given."""
    options.setdefault("clock", lambda: NOW)
    server = PreviewServer(root, port=0, **options)
    server.start()
    server.http.long_poll = 5.0  # a test waiting for a build that never comes fails sooner
    try:
        yield server
    finally:
        server.stop()


class Response:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def html(self) -> BeautifulSoup:
        return BeautifulSoup(self.body, "html.parser")

    def json(self) -> Any:
        return json.loads(self.body)


def get(server: PreviewServer, path: str, method: str = "GET", **headers: str) -> Response:
    """One request on a fresh connection; headers are given as Python names (X_Thing)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=15)
    try:
        connection.request(
            method, path, headers={k.replace("_", "-"): v for k, v in headers.items()}
        )
        response = connection.getresponse()
        return Response(response.status, dict(response.getheaders()), response.read())
    finally:
        connection.close()


def current_build(server: PreviewServer) -> int:
    return int(get(server, "/_sitegen/wait?build=-1").json()["build"])


def wait_for_build(server: PreviewServer, after: int, timeout: float = 10.0) -> dict[str, Any]:
    """Long-poll until the server reports a build other than `after`; its JSON status."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = get(server, f"/_sitegen/wait?build={after}").json()
        if status["build"] != after:
            return status
    raise AssertionError(f"no build after {after} within {timeout} s")
