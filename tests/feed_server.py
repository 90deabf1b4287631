"""A real HTTP server on 127.0.0.1 that serves fixture feeds and misbehaves on request.

Each path gets a Route: a body (fixture files have {BASE} replaced by the server's own
address), a status, headers, an ETag for conditional GET, a delay before answering, a slow
drip of one byte at a time, gzip, or a redirect. Every request is logged, so tests can say
"fetch never asked for the external DTD" or "no page ever requested /pwned".
"""

from __future__ import annotations

import gzip
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sitegen.config import load_config
from sitegen.fetch import FetchReport, Limits, fetch_highlights, make_client

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"


def _png(width: int = 2, height: int = 1) -> bytes:
    """A real PNG image (grey pixels), made here so no binary fixture is needed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = _png()
SVG_AS_PNG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="document.documentElement.dataset.pwned='
    b"'svgfile'\"><script>document.documentElement.dataset.pwned='svgfile'</script></svg>"
)


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/xml; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str = ""
    delay: float = 0.0
    drip: float = 0.0
    gzip: bool = False
    location: str = ""


@dataclass
class Request:
    path: str
    headers: dict[str, str]


class FeedServer:
    """Serves routes on 127.0.0.1 on a free port; use as a context manager."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.handle(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False  # a dripping handler must not hold up the test
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, route: Route | None = None, **options: object) -> str:
        """Serve `route` (or a Route made of `options`) at `path`; gives the full URL."""
        self.routes[path] = route or Route(**options)  # type: ignore[arg-type]
        return self.url(path)

    def serve_fixture(self, path: str, name: str, **options: object) -> str:
        """Serve tests/fixtures/feeds/NAME at `path`, with {BASE} made this server's address."""
        body = (FIXTURES / name).read_bytes().replace(b"{BASE}", self.base.encode())
        if name.endswith(".json"):
            options.setdefault("content_type", "application/feed+json")
        elif name.endswith(".html"):
            options.setdefault("content_type", "text/html; charset=utf-8")
        return self.serve(path, body=body, **options)

    def requested(self, path_prefix: str) -> list[Request]:
        return [r for r in self.requests if r.path.startswith(path_prefix)]

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        self.requests.append(Request(handler.path, dict(handler.headers.items())))
        route = self.routes.get(handler.path.split("?")[0])
        if route is None:
            handler.send_error(404, "Not Found")
            return
        if route.delay and self.stopping.wait(route.delay):
            return
        if route.location:
            handler.send_response(route.status if route.status != 200 else 302)
            handler.send_header("Location", route.location)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if route.etag and handler.headers.get("If-None-Match") == route.etag:
            handler.send_response(304)
            handler.send_header("ETag", route.etag)
            handler.end_headers()
            return
        body = gzip.compress(route.body) if route.gzip else route.body
        try:
            handler.send_response(route.status)
            handler.send_header("Content-Type", route.content_type)
            if route.etag:
                handler.send_header("ETag", route.etag)
            if route.gzip:
                handler.send_header("Content-Encoding", "gzip")
            for name, value in route.headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            if route.drip:
                for index in range(len(body)):
                    if self.stopping.wait(route.drip):
                        return
                    handler.wfile.write(body[index : index + 1])
                    handler.wfile.flush()
            else:
                handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@contextmanager
def running() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def wait_until(condition: object, seconds: float = 2.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.02)
    return False


# --- a site with highlight sources, fetched against the server ---

FAST = Limits(
    connect_timeout=1.0,
    read_timeout=0.5,
    source_seconds=2.0,
    total_seconds=20.0,
    max_bytes=256 * 1024,
    max_image_bytes=16 * 1024,
    max_redirects=3,
)
FETCHED_AT = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Source:
    id: str
    url: str
    trust: str = "auto"
    extra: str = ""


def site_with_sources(
    root: Path, sources: list[Source], allow_private: bool = True, more: str = ""
) -> Path:
    """A site folder whose site.yaml lists `sources`; `more` is appended to site.yaml."""
    lines = [
        "title: Riverbend Public Library",
        "url: https://library.example.org/",
        "timezone: America/Chicago",
        "per_page: 4",
        "highlights:",
        f"  allow_private_addresses: {'true' if allow_private else 'false'}",
        "  sources:",
    ]
    for source in sources:
        lines.append(f"    - id: {source.id}")
        lines.append(f"      name: {source.id.replace('-', ' ').title()}")
        lines.append(f'      url: "{source.url}"')
        lines.append(f"      trust: {source.trust}")
        lines.extend(f"      {line}" for line in source.extra.splitlines() if line.strip())
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text("\n".join(lines) + "\n" + more, encoding="utf-8")
    return root


def fetch(
    root: Path, now: datetime = FETCHED_AT, limits: Limits = FAST, only: tuple[str, ...] = ()
) -> FetchReport:
    config = load_config(root)
    return fetch_highlights(config, only=only, now=now, client=make_client(config, limits))


def highlight_files(root: Path, source_id: str = "") -> dict[str, str]:
    """Every highlight file of the site (or of one source): relative path → text."""
    folder = root / "content" / "highlights" / source_id
    return {
        file.relative_to(root / "content" / "highlights").as_posix(): file.read_text("utf-8")
        for file in sorted(folder.rglob("*.md"))
    }


def front_value(text: str, key: str) -> str:
    """A value of a highlight file's front matter, as written (quotes removed)."""
    for line in text.split("\n---", 1)[0].splitlines():
        if line.startswith(f"{key}:"):
            return line.split(":", 1)[1].strip().strip('"')
    return ""


HOSTILE_FEEDS = ("hostile-rss.xml", "hostile-atom.xml", "hostile.json")
REFUSED_FEEDS = ("billion-laughs.xml", "xxe-file.xml", "xxe-url.xml")


def hostile_site(root: Path, server: FeedServer) -> Path:
    """A site whose sources are the hostile corpus, all trusted (`auto`, so every entry is
    published without review: the cleaning alone must make it safe), fetched. The entity
    bombs and external-entity feeds among them are refused, and the rest still arrives."""
    server.serve("/images/evil.png", body=SVG_AS_PNG, content_type="image/png")
    server.serve("/images/ducks.png", body=PNG, content_type="image/png")
    sources = [
        Source(f"hostile-{n}", server.serve_fixture(f"/{name}", name))
        for n, name in enumerate(HOSTILE_FEEDS)
    ]
    sources.append(Source("library", server.serve_fixture("/rss2.xml", "rss2.xml")))
    refused = [
        Source(f"refused-{n}", server.serve_fixture(f"/{name}", name))
        for n, name in enumerate(REFUSED_FEEDS)
    ]
    site_with_sources(root, sources + refused)
    report = fetch(root)
    assert [s.result for s in report.sources] == ["fetched"] * 4 + ["failed"] * 3, report.table()
    assert server.requested("/xxe/") == []
    return root
