"""The demo site as the browser tests see it: built at a fixed clock into a folder, served on
127.0.0.1 with the security headers of netlify.toml, and one address for each kind of page.

When the demo has no events or community highlights, a few from fixtures/ are added to the copy
of it, so those templates are checked too.
"""

from __future__ import annotations

import shutil
import threading
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sitegen.build import build_site

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime.fromisoformat("2026-12-01T09:00:00-06:00")
SITE_PARTS = ("site.yaml", "content", "static", "themes", "netlify.toml")


def build_demo(folder: Path) -> Path:
    """Copy the demo into `folder`, build it at NOW, and return the output folder."""
    site = folder / "site"
    site.mkdir(parents=True)
    for name in SITE_PARTS:
        source = REPO / name
        if source.is_dir() and name != "themes":
            shutil.copytree(source, site / name)
        elif source.is_file():
            shutil.copy2(source, site / name)
    for kind in ("events", "highlights"):
        if not (site / "content" / kind).is_dir():
            shutil.copytree(FIXTURES / kind, site / "content" / kind)
    result = build_site(site, now=NOW, out=folder / "public")
    problems = [problem.format() for problem in result.problems]
    assert result.written, problems
    assert result.output_dir is not None
    return result.output_dir


def content_security_policy() -> str:
    headers = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))["headers"]
    (policy,) = [h["values"]["Content-Security-Policy"] for h in headers if h["for"] == "/*"]
    return str(policy).replace("upgrade-insecure-requests", "").strip("; ")


class _Handler(SimpleHTTPRequestHandler):
    policy = ""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", self.policy)
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free port of 127.0.0.1; yields the base URL."""
    handler = type("Handler", (_Handler,), {"policy": content_security_policy()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def page_kinds(out: Path) -> dict[str, str]:
    """One URL of every kind of page the build made: kind → site path."""
    candidates = {
        "home": "/",
        "listing page 2": "/posts/page/2/",
        "post": _first(out, "posts/*/index.html", exclude="page"),
        "page": "/visit/" if (out / "visit/index.html").exists() else "/about/",
        "topics": "/tags/",
        "tag": _first(out, "tags/*/index.html"),
        "archives": "/archive/",
        "archive": _first(out, "archive/*/index.html"),
        "404": "/404.html",
        "events": "/events/",
        "events by branch": _first(out, "events/branch/*/index.html"),
        "past events": "/events/past/",
        "events month": "/events/2026/12/",
        "event": "/events/preschool-storytime/"
        if (out / "events/preschool-storytime/index.html").exists()
        else _first(out, "events/*/index.html", exclude="past"),
        "highlights": "/highlights/",
        "feedback": "/feedback/",
    }
    return {kind: path for kind, path in candidates.items() if path and _exists(out, path)}


def _exists(out: Path, path: str) -> bool:
    file = out / path.lstrip("/")
    return (file / "index.html").is_file() if path.endswith("/") else file.is_file()


def _first(out: Path, pattern: str, exclude: str = "") -> str:
    for file in sorted(out.glob(pattern)):
        folder = file.parent.relative_to(out).as_posix()
        if exclude and folder.split("/")[-1] == exclude:
            continue
        if folder.split("/")[-1].isdigit() and pattern.startswith("events"):
            continue
        return f"/{folder}/"
    return ""


def content_pages(out: Path) -> list[str]:
    """Every post and page: where Markdown written by staff (tables, images, lists) shows."""
    # admin/ is the web editor (Decap CMS, its own page loaded from unpkg.com): not staff text.
    listings = ("tags", "archive", "events", "highlights", "admin")
    found = []
    for file in sorted(out.rglob("index.html")):
        parts = file.parent.relative_to(out).parts
        if (
            parts
            and parts[0] not in listings
            and parts[:2] != ("posts", "page")
            and parts != ("posts",)
        ):
            found.append("/" + "/".join(parts) + "/")
    return found
