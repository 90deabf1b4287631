"""A guarded HTTP client for feeds and images, on the standard library.

Takes a URL and limits, gives a Response or a FetchError that says, in plain words, why.
Guards: http(s) only; the host is resolved once per hop and every address checked (no
loopback, private, link-local, shared or metadata addresses unless allowed), then the
connection goes to that checked address, so DNS cannot change its answer in between;
at most `max_redirects` hops; connect and read timeouts plus a wall-clock deadline that a
slow drip cannot stretch; a size cap counted after gzip/deflate decoding; conditional GET.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from sitegen.fetch.addresses import AddressPolicy, IPAddress, Resolver, resolve

MB = 1024 * 1024
_CHUNK = 64 * 1024


class FetchError(Exception):
    """Why a URL could not be fetched, in words for the fetch report."""


@dataclass(frozen=True)
class Limits:
    """How long and how much: per connection, per source (all hops), per fetch."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    source_seconds: float = 60.0
    total_seconds: float = 300.0
    max_bytes: int = 10 * MB
    max_image_bytes: int = 3 * MB
    max_redirects: int = 5
    parallel: int = 8


@dataclass(frozen=True)
class Response:
    """A fetched document: its final URL (after redirects), status, headers and body."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


@dataclass(frozen=True)
class Client:
    """Fetches URLs within limits, from allowed addresses, naming the site in User-Agent."""

    user_agent: str
    limits: Limits = Limits()
    policy: AddressPolicy = field(default_factory=AddressPolicy)
    resolver: Resolver | None = None

    def get(
        self,
        url: str,
        *,
        deadline: float,
        accept: str = "*/*",
        max_bytes: int | None = None,
        etag: str = "",
        last_modified: str = "",
    ) -> Response:
        """GET `url`, following redirects; a 304 comes back as a Response too."""
        headers = {
            "User-Agent": self.user_agent,
            "Accept": accept,
            "Accept-Encoding": "gzip, deflate",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seen: set[str] = set()
        current = url
        for _hop in range(self.limits.max_redirects + 1):
            seen.add(current)
            response, location = self._request(current, headers, deadline, max_bytes)
            if location is None:
                return response
            target = urljoin(current, location)
            if target in seen:
                raise FetchError(f"the address redirects in a loop (back to {short(target)})")
            current = target
        raise FetchError(f"more than {self.limits.max_redirects} redirects")

    def _request(
        self, url: str, headers: dict[str, str], deadline: float, max_bytes: int | None
    ) -> tuple[Response, str | None]:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(f"only http and https addresses are fetched, not {short(url)}")
        if parts.username is not None or parts.password is not None:
            raise FetchError("addresses with a user name or password are not fetched")
        try:
            host = parts.hostname or ""
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            raise FetchError(f"the address is not valid ({short(url)})") from None
        if not host:
            raise FetchError(f"the address has no host name ({short(url)})")
        address = self._checked_address(host, port, deadline)
        connection = _PinnedConnection(
            scheme, host, port, address, self._timeout(self.limits.connect_timeout, deadline)
        )
        raw: http.client.HTTPResponse | None = None
        try:
            path = parts.path or "/"
            if parts.query:
                path += "?" + parts.query
            connection.request("GET", path, headers=headers)
            connection.sock_timeout(self._timeout(self.limits.read_timeout, deadline))
            raw = connection.getresponse()
            status = raw.status
            answer = {name.lower(): value for name, value in raw.getheaders()}
            if status in (301, 302, 303, 307, 308) and answer.get("location"):
                return Response(url, status, answer), answer["location"]
            if status == 304:
                return Response(url, status, answer), None
            if status != 200:
                reason = raw.reason.strip()[:60] if raw.reason else ""
                raise FetchError(f"the server answered {status} {reason}".strip())
            body = self._read_body(connection, raw, answer, deadline, max_bytes)
            return Response(url, status, answer, body), None
        except TimeoutError:
            raise FetchError(self._timeout_reason(deadline)) from None
        except ssl.SSLError as exc:
            raise FetchError(f"the secure connection failed ({exc.reason or exc})") from None
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            raise FetchError(f"the connection failed ({_describe(exc)})") from None
        finally:
            if raw is not None:
                raw.close()  # the response holds the socket when the server said "close"
            connection.close()

    def _timeout(self, limit: float, deadline: float) -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(self._timeout_reason(deadline))
        return min(limit, remaining)

    def _timeout_reason(self, deadline: float) -> str:
        if time.monotonic() >= deadline - 0.05:
            return f"it took longer than the {seconds(self.limits.source_seconds)} allowed"
        return f"the server did not answer within {seconds(self.limits.read_timeout)}"

    def _checked_address(self, host: str, port: int, deadline: float) -> IPAddress:
        try:
            addresses = (self.resolver or resolve)(host, port)
        except (OSError, UnicodeError, TimeoutError):
            raise FetchError(f"the host name {short(host)} could not be found") from None
        if not addresses:
            raise FetchError(f"the host name {short(host)} has no address")
        for address in addresses:
            why = self.policy.refusal(address)
            if why is not None:
                raise FetchError(
                    f"{short(host)} is {why} ({address}); fetch only reads the public "
                    "internet unless highlights.allow_private_addresses is true"
                )
        return addresses[0]

    def _read_body(
        self,
        connection: _PinnedConnection,
        raw: http.client.HTTPResponse,
        headers: dict[str, str],
        deadline: float,
        max_bytes: int | None,
    ) -> bytes:
        limit = max_bytes or self.limits.max_bytes
        too_big = f"it is larger than {size(limit)}"
        declared = headers.get("content-length", "")
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if declared.isdigit() and encoding == "identity" and int(declared) > limit:
            raise FetchError(too_big)
        decoder = _Decoder(encoding, limit)
        while True:
            if time.monotonic() > deadline:
                raise FetchError(self._timeout_reason(deadline))
            connection.sock_timeout(self._timeout(self.limits.read_timeout, deadline))
            chunk = raw.read1(_CHUNK) if hasattr(raw, "read1") else raw.read(_CHUNK)
            if not chunk:
                break
            if not decoder.feed(chunk):
                raise FetchError(too_big + " (after decompression)" if decoder.packed else too_big)
        body = decoder.finish()
        if body is None:
            raise FetchError(too_big + " (after decompression)")
        return body


class _Decoder:
    """Collects a body, undoing gzip or deflate, and stops as soon as it passes `limit`."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.total = 0
        self.packed = encoding in ("gzip", "x-gzip", "deflate")
        if encoding in ("gzip", "x-gzip"):
            self.inflater: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.inflater = None  # zlib-wrapped or raw: decided by the first bytes
        elif encoding in ("identity", ""):
            self.inflater = None
        else:
            raise FetchError(f"the server sent an encoding sitegen cannot read ({encoding[:20]})")
        self.deflate = encoding == "deflate"

    def feed(self, chunk: bytes) -> bool:
        if not self.packed:
            return self._keep(chunk)
        if self.inflater is None:
            zlib_wrapped = len(chunk) >= 2 and (chunk[0] * 256 + chunk[1]) % 31 == 0
            self.inflater = zlib.decompressobj(zlib.MAX_WBITS if zlib_wrapped else -zlib.MAX_WBITS)
        try:
            data = self.inflater.decompress(chunk, self.limit - self.total + 1)
            if not self._keep(data):
                return False
            while self.inflater.unconsumed_tail:
                data = self.inflater.decompress(
                    self.inflater.unconsumed_tail, self.limit - self.total + 1
                )
                if not self._keep(data):
                    return False
        except zlib.error:
            raise FetchError("the compressed response is damaged") from None
        return True

    def _keep(self, data: bytes) -> bool:
        self.total += len(data)
        self.parts.append(data)
        return self.total <= self.limit

    def finish(self) -> bytes | None:
        if self.packed and self.inflater is not None:
            try:
                if not self._keep(self.inflater.flush()):
                    return None
            except zlib.error:
                raise FetchError("the compressed response is damaged") from None
        return b"".join(self.parts)


class _PinnedConnection:
    """An HTTP(S) connection to an address checked beforehand, under the URL's host name.

    TLS still verifies the certificate against the host name, never against the address.
    """

    def __init__(
        self, scheme: str, host: str, port: int, address: IPAddress, timeout: float
    ) -> None:
        factory = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        self.connection = factory(host, port, timeout=timeout)
        target = (str(address), port)
        if scheme == "https":
            context = ssl.create_default_context()
            https = self.connection

            def connect_tls() -> None:
                sock = socket.create_connection(target, timeout)
                https.sock = context.wrap_socket(sock, server_hostname=host)

            https.connect = connect_tls  # type: ignore[method-assign]
        else:
            plain = self.connection

            def connect_plain() -> None:
                plain.sock = socket.create_connection(target, timeout)

            plain.connect = connect_plain  # type: ignore[method-assign]

    def request(self, method: str, path: str, headers: dict[str, str]) -> None:
        self.connection.request(method, path, headers=headers)

    def getresponse(self) -> http.client.HTTPResponse:
        return self.connection.getresponse()

    def sock_timeout(self, value: float) -> None:
        if self.connection.sock is not None:
            self.connection.sock.settimeout(value)

    def close(self) -> None:
        self.connection.close()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "nothing answers at that address"
    if isinstance(exc, http.client.IncompleteRead):
        return "the response was cut off"
    text = str(exc) or type(exc).__name__
    return text[:80]


def short(text: str, limit: int = 80) -> str:
    """A URL or host for a message: printable, and not the length of a page."""
    printable = "".join(char for char in text if char.isprintable())
    return printable if len(printable) <= limit else printable[: limit - 1] + "…"


def seconds(value: float) -> str:
    return f"{value:g} s"


def size(value: int) -> str:
    return f"{value / MB:g} MB" if value >= MB else f"{value / 1024:g} KB"
