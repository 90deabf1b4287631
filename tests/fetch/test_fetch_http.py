"""The guarded HTTP client against a real server on 127.0.0.1: what it fetches, what it
refuses, and the words it uses to say why.

The client under test allows 127.0.0.1 (the test server) and nothing else private, so the
refusals are the ones a production fetch makes.
"""

from __future__ import annotations

import gzip
import ipaddress
import time
from collections.abc import Iterator

import pytest
from feed_server import FeedServer

from sitegen.fetch.addresses import AddressPolicy, blocked_reason
from sitegen.fetch.http import Client, FetchError, Limits

FAST = Limits(
    connect_timeout=1.0,
    read_timeout=0.5,
    source_seconds=2.0,
    total_seconds=20.0,
    max_bytes=64 * 1024,
    max_image_bytes=16 * 1024,
    max_redirects=3,
)
ONLY_THE_TEST_SERVER = AddressPolicy(allow_private=False, also_allowed=frozenset({"127.0.0.1"}))


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture
def client() -> Client:
    return Client("sitegen-test (+https://library.example.org/)", FAST, ONLY_THE_TEST_SERVER)


def get(client: Client, url: str, **options: object):
    return client.get(url, deadline=time.monotonic() + FAST.source_seconds, **options)


def failure(client: Client, url: str, **options: object) -> str:
    with pytest.raises(FetchError) as caught:
        get(client, url, **options)
    return str(caught.value)


def test_a_feed_is_fetched_with_an_honest_user_agent(server: FeedServer, client: Client) -> None:
    url = server.serve_fixture("/feed.xml", "rss2.xml")
    response = get(client, url)
    assert response.status == 200
    assert b"Riverbend Public Library" in response.body
    assert response.content_type.startswith("application/xml")
    sent = server.requested("/feed.xml")[0].headers
    assert sent["User-Agent"] == "sitegen-test (+https://library.example.org/)"
    assert "gzip" in sent["Accept-Encoding"]


def test_gzip_is_decoded(server: FeedServer, client: Client) -> None:
    url = server.serve("/feed.xml", body=b"<rss>" + b"x" * 5000 + b"</rss>", gzip=True)
    assert get(client, url).body == b"<rss>" + b"x" * 5000 + b"</rss>"


def test_conditional_get_with_etag_gives_304(server: FeedServer, client: Client) -> None:
    url = server.serve("/feed.xml", body=b"<rss/>", etag='"v1"')
    first = get(client, url)
    assert first.headers["etag"] == '"v1"'
    second = get(client, url, etag='"v1"', last_modified="Tue, 24 Nov 2026 10:00:00 GMT")
    assert second.not_modified and second.body == b""
    sent = server.requested("/feed.xml")[1].headers
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Tue, 24 Nov 2026 10:00:00 GMT"


def test_a_missing_feed_is_a_failure(server: FeedServer, client: Client) -> None:
    assert failure(client, server.url("/missing.xml")) == "the server answered 404 Not Found"


def test_a_server_error_is_a_failure(server: FeedServer, client: Client) -> None:
    url = server.serve("/feed.xml", body=b"oops", status=500)
    assert failure(client, url) == "the server answered 500 Internal Server Error"


def test_a_server_that_never_answers_times_out(server: FeedServer, client: Client) -> None:
    url = server.serve("/feed.xml", body=b"<rss/>", delay=5)
    started = time.monotonic()
    assert failure(client, url) == "the server did not answer within 0.5 s"
    assert time.monotonic() - started < 1.5


def test_a_slow_drip_is_stopped_by_the_deadline(server: FeedServer, client: Client) -> None:
    # Every byte arrives well within the read timeout; only the wall-clock deadline ends it.
    url = server.serve("/feed.xml", body=b"<rss>" + b" " * 1000 + b"</rss>", drip=0.1)
    started = time.monotonic()
    assert failure(client, url) == "it took longer than the 2 s allowed"
    assert time.monotonic() - started < 3


def test_an_oversized_body_is_refused(server: FeedServer, client: Client) -> None:
    url = server.serve("/big.xml", body=b"x" * (65 * 1024))
    assert failure(client, url) == "it is larger than 64 KB"


def test_the_size_cap_counts_bytes_after_decompression(server: FeedServer, client: Client) -> None:
    bomb = b"<rss>" + b"\0" * (10 * 1024 * 1024)
    url = server.serve("/bomb.xml", body=bomb, gzip=True)
    assert len(gzip.compress(bomb)) < 64 * 1024  # small on the wire
    assert failure(client, url) == "it is larger than 64 KB (after decompression)"


def test_the_image_cap_is_smaller(server: FeedServer, client: Client) -> None:
    url = server.serve("/big.png", body=b"x" * (20 * 1024), content_type="image/png")
    message = failure(client, url, max_bytes=FAST.max_image_bytes)
    assert message == "it is larger than 16 KB"


def test_redirects_are_followed(server: FeedServer, client: Client) -> None:
    server.serve("/old.xml", location="/middle.xml", status=301)
    server.serve("/middle.xml", location=server.url("/new.xml"), status=307)
    server.serve("/new.xml", body=b"<rss/>")
    response = get(client, server.url("/old.xml"))
    assert response.body == b"<rss/>"
    assert response.url == server.url("/new.xml")


def test_a_redirect_loop_is_reported(server: FeedServer, client: Client) -> None:
    server.serve("/a.xml", location="/b.xml")
    server.serve("/b.xml", location="/a.xml")
    assert failure(client, server.url("/a.xml")).startswith("the address redirects in a loop")


def test_too_many_redirects(server: FeedServer, client: Client) -> None:
    for hop in range(6):
        server.serve(f"/{hop}", location=f"/{hop + 1}")
    assert failure(client, server.url("/0")) == "more than 3 redirects"


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("http://127.0.0.2:{port}/feed.xml", "this computer (loopback)"),
        ("http://0x7f000002:{port}/feed.xml", "this computer (loopback)"),
        ("http://2130706434:{port}/feed.xml", "this computer (loopback)"),
        ("http://169.254.169.254/latest/meta-data/", "a link-local address"),
        ("http://10.1.2.3/feed.xml", "a private network address"),
        ("http://[::ffff:192.168.0.1]/feed.xml", "a private network address"),
        ("http://[fd00:ec2::254]/latest/meta-data/", "a private network address"),
    ],
)
def test_a_redirect_to_a_private_address_is_refused(
    server: FeedServer, client: Client, target: str, why: str
) -> None:
    server.serve("/feed.xml", location=target.format(port=server.port))
    message = failure(client, server.url("/feed.xml"))
    assert why in message
    assert "allow_private_addresses" in message


def test_private_addresses_are_refused_by_default(server: FeedServer) -> None:
    url = server.serve("/feed.xml", body=b"<rss/>")
    default = Client("sitegen-test", FAST)
    assert "this computer (loopback)" in failure(default, url)
    assert server.requested("/feed.xml") == []  # refused before connecting


def test_the_setting_allows_private_addresses(server: FeedServer) -> None:
    url = server.serve("/feed.xml", body=b"<rss/>")
    allowed = Client("sitegen-test", FAST, AddressPolicy(allow_private=True))
    assert get(allowed, url).body == b"<rss/>"


@pytest.mark.parametrize(
    ("location", "words"),
    [
        ("file:///etc/passwd", "only http and https addresses are fetched"),
        ("ftp://files.example.org/feed.xml", "only http and https addresses are fetched"),
        ("http://user:secret@127.0.0.1/feed.xml", "user name or password"),
    ],
)
def test_other_schemes_and_credentials_are_refused(
    server: FeedServer, client: Client, location: str, words: str
) -> None:
    server.serve("/feed.xml", location=location)
    assert words in failure(client, server.url("/feed.xml"))


def test_every_resolved_address_is_checked() -> None:
    # A host name that resolves to a public and a private address is refused outright.
    def resolver(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        return [ipaddress.ip_address("93.184.215.14"), ipaddress.ip_address("10.0.0.7")]

    mixed = Client("sitegen-test", FAST, resolver=resolver)
    message = failure(mixed, "https://feeds.example.org/rss")
    assert message.startswith("feeds.example.org is a private network address (10.0.0.7)")


def test_an_unknown_host_name() -> None:
    def resolver(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        raise OSError("Name or service not known")

    missing = Client("sitegen-test", FAST, resolver=resolver)
    assert failure(missing, "https://nowhere.example/feed") == (
        "the host name nowhere.example could not be found"
    )


def test_nothing_listening(client: Client) -> None:
    with FeedServer() as gone:
        url = gone.url("/feed.xml")
    assert failure(client, url) == "the connection failed (nothing answers at that address)"


@pytest.mark.parametrize(
    "address",
    [
        "0.0.0.0",
        "10.0.0.1",
        "100.100.100.200",
        "127.0.0.1",
        "127.1.2.3",
        "169.254.169.254",
        "172.16.0.1",
        "192.168.1.1",
        "224.0.0.1",
        "255.255.255.255",
        "::",
        "::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "64:ff9b::a9fe:a9fe",
        "2002:7f00:1::",
        "fc00::1",
        "fd00:ec2::254",
        "fe80::1",
        "ff02::1",
    ],
)
def test_non_public_addresses_are_blocked(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are_not(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) is None
