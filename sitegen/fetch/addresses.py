"""Which addresses fetch may connect to, and looking host names up with a time limit.

Loopback, private, link-local (where cloud servers keep their metadata), shared, multicast and
reserved addresses are refused unless the site allows private ones; IPv6 forms that carry an
IPv4 address inside (mapped, 6to4, NAT64) are judged by that address.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# Addresses that are not on the public internet, with the words a librarian reads.
_BLOCKED_NETWORKS: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/8", "a reserved address"),
    ("10.0.0.0/8", "a private network address"),
    ("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
    ("127.0.0.0/8", "this computer (loopback)"),
    ("169.254.0.0/16", "a link-local address (where cloud servers keep their secrets)"),
    ("172.16.0.0/12", "a private network address"),
    ("192.0.0.0/24", "a reserved address"),
    ("192.168.0.0/16", "a private network address"),
    ("198.18.0.0/15", "a reserved address"),
    ("224.0.0.0/3", "a multicast or reserved address"),
    ("::/128", "a reserved address"),
    ("::1/128", "this computer (loopback)"),
    ("fc00::/7", "a private network address"),
    ("fe80::/10", "a link-local address"),
    ("ff00::/8", "a multicast address"),
)
_NETWORKS = tuple((ipaddress.ip_network(net), why) for net, why in _BLOCKED_NETWORKS)
# IPv6 forms that carry an IPv4 address inside: NAT64 and the IPv4-compatible prefix.
_EMBEDS_IPV4 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("::/96"))


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses fetch may connect to: public ones, unless private ones are allowed.

    `also_allowed` lets a test server on 127.0.0.1 through while everything else private
    stays refused, so the refusal itself can be tested.
    """

    allow_private: bool = False
    also_allowed: frozenset[str] = frozenset()

    def refusal(self, address: IPAddress) -> str | None:
        if self.allow_private or str(address) in self.also_allowed:
            return None
        return blocked_reason(address)


def blocked_reason(address: IPAddress) -> str | None:
    """Why fetch refuses to connect to `address` (a non-public one), or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour or _embedded_ipv4(address)
        if mapped is not None:
            return blocked_reason(mapped)
        if address.teredo:
            return "a tunnelled (Teredo) address"
    for network, why in _NETWORKS:
        if address.version == network.version and address in network:
            return why
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    for network in _EMBEDS_IPV4:
        if address in network and address != ipaddress.IPv6Address("::1"):
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


Resolver = Callable[[str, int], list[IPAddress]]


_DNS_SECONDS = 10.0


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address of `host`; getaddrinfo has no timeout, so it runs in a daemon thread."""
    found: list[IPAddress] = []
    failure: list[BaseException] = []

    def lookup() -> None:
        try:
            for *_, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
                address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
                if address not in found:
                    found.append(address)
        except (OSError, UnicodeError, ValueError) as exc:
            failure.append(exc)

    worker = threading.Thread(target=lookup, daemon=True, name=f"resolve {host}")
    worker.start()
    worker.join(_DNS_SECONDS)
    if worker.is_alive():
        raise TimeoutError(host)
    if failure:
        raise OSError(str(failure[0]))
    return found
