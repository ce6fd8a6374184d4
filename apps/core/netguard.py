"""Outbound requests to addresses a user typed: http(s) only, public addresses only.

A URL the server itself calls (a webhook) could otherwise point at the server's own network:
a database on 127.0.0.1, a cloud metadata service on 169.254.169.254, an admin page on 10.x.
The host is resolved once and the request connects to the addresses checked here (never a second
resolution a DNS answer could change in between).
"""

import ipaddress
import socket
from urllib.parse import SplitResult, urlsplit

ALLOWED_SCHEMES = ("http", "https")


class UnsafeAddress(ValueError):
    """A URL the server refuses to call, with a message for the user."""


def parse_url(url: str) -> SplitResult:
    """The URL split, when it is an absolute http(s) URL with a host; else UnsafeAddress."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a port out of range
    except ValueError as exc:
        raise UnsafeAddress("Enter a valid address.") from exc
    if parts.scheme not in ALLOWED_SCHEMES:
        raise UnsafeAddress("Use an http:// or https:// address.")
    if not parts.hostname:
        raise UnsafeAddress("The address needs a host name.")
    if parts.username or parts.password:
        raise UnsafeAddress("Leave user names and passwords out of the address.")
    return parts


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    # is_global is False for private, loopback, link-local, shared (100.64/10), reserved and
    # documentation ranges alike; multicast is refused on its own.
    return ip.is_global and not ip.is_multicast


def resolve(url: str, *, allow_private: bool) -> list[str]:
    """The addresses to connect to for `url`, every one of them checked. Raises UnsafeAddress
    for a bad scheme, a host that does not resolve, or (unless `allow_private`) any address
    that is not public: one private answer among public ones is refused as a whole."""
    parts = parse_url(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeAddress(f"The host “{parts.hostname}” could not be found.") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not allow_private and not all(is_public(a) for a in addresses):
        raise UnsafeAddress(
            f"“{parts.hostname}” points at a private or local network address; "
            "use a public address."
        )
    return addresses
