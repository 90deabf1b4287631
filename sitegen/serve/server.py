"""The preview HTTP server: the last good build, served from memory, with live reload.

Only files the build produced can be served (a dictionary lookup, never a path on disk), so
no request can reach outside the site. Requests whose path is ambiguous (dot segments,
backslashes, NUL bytes, double encoding, `//host`) are refused before any lookup, and the Host
header must name this server, which stops DNS-rebinding pages from reading the preview.
"""

from __future__ import annotations

import json
import mimetypes
import re
import threading
from dataclasses import dataclass, field
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote

from sitegen.build import BuildResult
from sitegen.errors import Problem, Severity, SiteError
from sitegen.outputs import OutputFile

PREVIEW_PREFIX = "/_sitegen/"
LONG_POLL_SECONDS = 20.0
_ASSETS = Path(__file__).parent / "assets"
_ENCODED_SPECIAL = re.compile(r"%[0-9a-fA-F]{2}")
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class Snapshot:
    """What the server shows: the last good files, and the latest build's errors if it failed."""

    build: int = 0
    files: dict[str, OutputFile] = field(default_factory=dict)
    errors: str = ""
    base_path: str = ""
    # Where each copied file led when it was built: one replaced since by a link is not served.
    copied: dict[str, Path] = field(default_factory=dict)
    # The last good build's files, served while this build's pages are still unchecked and
    # one of them fails to render.
    fallback: dict[str, OutputFile] = field(default_factory=dict)


class PreviewState:
    """The current Snapshot, swapped whole after each build; waiters are woken on a change."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.snapshot = Snapshot()

    def publish(self, result: BuildResult) -> Snapshot:
        errors = [p for p in result.problems if p.severity is Severity.ERROR]
        with self._changed:
            previous = self.snapshot
            if errors or result.site is None:
                text = "\n".join(problem.format() for problem in errors)
                snapshot = Snapshot(
                    previous.build + 1, previous.files, text, previous.base_path, previous.copied
                )
            else:
                files = {file.output_path: file for file in result.files}
                copied = {
                    file.output_path: Path(file.copy_from).resolve()
                    for file in result.files
                    if file.copy_from is not None
                }
                base = result.site.config.base_path
                snapshot = Snapshot(previous.build + 1, files, "", base, copied, previous.files)
            self.snapshot = snapshot
            self._changed.notify_all()
        return snapshot

    def reject(self, build: int, problems: list[Problem]) -> bool:
        """Build `build` failed after all (a page did not render): back to the last good one."""
        with self._changed:
            current = self.snapshot
            if current.build != build:
                return False  # a newer build replaced it already
            text = "\n".join(problem.format() for problem in problems)
            self.snapshot = Snapshot(
                build + 1,
                current.fallback,
                text,
                current.base_path,
                current.copied,
                current.fallback,
            )
            self._changed.notify_all()
            return True

    def wait_for_build_after(self, build: int, timeout: float) -> Snapshot:
        with self._changed:
            self._changed.wait_for(lambda: self.snapshot.build != build, timeout)
            return self.snapshot


class RefusedRequest(Exception):
    def __init__(self, status: HTTPStatus) -> None:
        self.status = status


def request_path(raw: str) -> str:
    """The decoded path of a request target; RefusedRequest if it is not plainly a site path."""
    target = raw.split("?", 1)[0].split("#", 1)[0]
    if not target.startswith("/") or target.startswith("//"):
        raise RefusedRequest(HTTPStatus.BAD_REQUEST)
    try:
        path = unquote(target, errors="strict")
    except UnicodeDecodeError:
        raise RefusedRequest(HTTPStatus.BAD_REQUEST) from None
    if (
        "\\" in target
        or "\\" in path
        or "\0" in path
        or _ENCODED_SPECIAL.search(path)  # encoded twice: %252e%252e
        or path.startswith("//")
        or any(segment in (".", "..") for segment in path.split("/"))
    ):
        raise RefusedRequest(HTTPStatus.BAD_REQUEST)
    return path


def find_file(snapshot: Snapshot, path: str) -> tuple[OutputFile | None, str | None]:
    """The file for a decoded request path, or a URL to redirect to (a folder without "/")."""
    base = snapshot.base_path
    if base and not (path == base or path.startswith(base + "/")):
        return None, (base + "/" if path == "/" else None)
    relative = path[len(base) :].lstrip("/")
    if relative == "" or relative.endswith("/"):
        return snapshot.files.get(relative + "index.html"), None
    found = snapshot.files.get(relative)
    if found is None and relative + "/index.html" in snapshot.files:
        return None, quote(path) + "/"  # encoded: a header holds only ASCII
    return found, None


def file_bytes(file: OutputFile, snapshot: Snapshot) -> bytes | None:
    """The bytes to serve; None if a copied file has gone or no longer leads where it did."""
    if file.copy_from is None:
        try:
            return file.data()
        except SiteError:
            # This build's page does not render: show the last good one until the check of
            # the whole build (PreviewServer) puts the error overlay up.
            fallback = snapshot.fallback.get(file.output_path)
            return None if fallback is None else file_bytes(fallback, snapshot)
    try:
        copied = Path(file.copy_from)
        if copied.resolve() != snapshot.copied.get(file.output_path):
            return None  # replaced by a link since the build, perhaps one leading out of the site
        return copied.read_bytes()
    except OSError:
        return None


def with_preview_tools(html: bytes, snapshot: Snapshot) -> bytes:
    """The page with the reload script and, after a failed build, the error overlay."""
    text = html.decode("utf-8", errors="replace")
    text = text.replace("<html", f'<html data-sitegen-build="{snapshot.build}"', 1)
    tools = (
        f'<link rel="stylesheet" href="{PREVIEW_PREFIX}preview.css">'
        f'<script src="{PREVIEW_PREFIX}reload.js" defer></script>'
    )
    if snapshot.errors:
        tools += (
            '<aside id="sitegen-errors" role="alert" aria-labelledby="sitegen-errors-title">'
            '<h2 id="sitegen-errors-title">The site could not be rebuilt</h2>'
            f"<pre>{escape(snapshot.errors)}</pre>"
            "<p>This page shows the last version that built. Fix the file and save it: "
            "the page reloads by itself.</p></aside>"
        )
    head, marker, tail = text.rpartition("</body>")
    text = head + tools + marker + tail if marker else text + tools
    return text.encode("utf-8")


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewHTTPServer
    server_version = "sitegen-preview"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _refuse_method(self) -> None:
        self._send(
            HTTPStatus.METHOD_NOT_ALLOWED,
            b"Only GET and HEAD.",
            "text/plain",
            True,
            {"Allow": "GET, HEAD"},
        )

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse_method

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal shows builds, not every request

    def _respond(self, send_body: bool) -> None:
        try:
            if not self._host_allowed():
                raise RefusedRequest(HTTPStatus.FORBIDDEN)
            path = request_path(self.path)
            if path.startswith(PREVIEW_PREFIX):
                self._preview_endpoint(path, send_body)
                return
            self._site_file(path, send_body)
        except RefusedRequest as refused:
            message = refused.status.phrase.encode()
            self._send(refused.status, message, "text/plain", send_body)

    def _host_allowed(self) -> bool:
        host = (self.headers.get("Host") or "").lower()
        return host in self.server.allowed_hosts

    def _site_file(self, path: str, send_body: bool) -> None:
        snapshot = self.server.state.snapshot
        file, redirect = find_file(snapshot, path)
        if redirect is not None:
            self._send(
                HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", send_body, {"Location": redirect}
            )
            return
        status = HTTPStatus.OK
        body = None if file is None else file_bytes(file, snapshot)
        if file is None or body is None:
            status = HTTPStatus.NOT_FOUND
            file = snapshot.files.get("404.html")
            body = None if file is None else file_bytes(file, snapshot)
            if file is None or body is None:
                self._send(status, b"Not found.", "text/plain", send_body)
                return
        suffix = Path(file.output_path).suffix
        if suffix == ".html":
            body = with_preview_tools(body, snapshot)
        content_type = _TYPES.get(suffix) or mimetypes.guess_type(file.output_path)[0]
        self._send(status, body, content_type or "application/octet-stream", send_body)

    def _preview_endpoint(self, path: str, send_body: bool) -> None:
        name = path[len(PREVIEW_PREFIX) :]
        if name == "wait":
            query = parse_qs(self.path.partition("?")[2])
            try:
                build = int(query.get("build", ["-1"])[0])
            except ValueError:
                raise RefusedRequest(HTTPStatus.BAD_REQUEST) from None
            snapshot = self.server.state.wait_for_build_after(build, self.server.long_poll)
            body = json.dumps({"build": snapshot.build, "ok": not snapshot.errors}).encode()
            self._send(HTTPStatus.OK, body, "application/json", send_body)
        elif name in ("reload.js", "preview.css"):
            body = (_ASSETS / name).read_bytes()
            self._send(HTTPStatus.OK, body, _TYPES[Path(name).suffix], send_body)
        else:
            raise RefusedRequest(HTTPStatus.NOT_FOUND)

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        content_type: str,
        send_body: bool,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class PreviewHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: PreviewState) -> None:
        super().__init__(address, PreviewHandler)
        self.state = state
        self.long_poll = LONG_POLL_SECONDS
        port = self.server_address[1]
        names = {"127.0.0.1", "localhost", "[::1]", address[0].lower()}
        self.allowed_hosts = {f"{name}:{port}" for name in names}
        if port == 80:
            self.allowed_hosts |= names

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # one broken request or closed connection must not disturb the others
