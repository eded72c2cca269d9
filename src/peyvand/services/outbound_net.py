"""The network edge of outbound webhooks: which addresses a workspace may send to, and the POST itself.

A workspace admin chooses the address, so without a guard the server would send signed requests into its
own network (server-side request forgery: the database port, a cloud metadata service at 169.254.169.254,
an internal admin page), and the recorded status would let the admin map which ports answer. So, unless
the operator allows private targets (`PEYVAND_OUTBOUND_ALLOW_PRIVATE`, for a receiver on the same host or
network), an address is refused when its host is, or resolves to, a loopback, private, link-local,
site-local, shared, multicast, reserved or unspecified address (IPv4 inside IPv6 too: mapped, compatible,
NAT64 64:ff9b::/96 and 6to4 2002::/16 are judged by the IPv4 address they carry). The check runs when
the address is saved, and again at each delivery on the addresses the name resolves to then, before any
connection is opened (so a name that resolves inward later is caught, and a refused delivery tells
nothing about which internal ports are open); the connection goes to the address that was checked.
Redirects are not followed (a 3xx is a failed delivery) and proxies from the environment are not used
(a proxy would connect on our behalf where we cannot check).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from peyvand.settings import load_settings

TIMEOUT_SECONDS = 10.0


class BlockedAddress(OSError):
    """The target is an address outbound webhooks may not reach."""


def private_allowed() -> bool:
    return load_settings().outbound_allow_private


NAT64 = ipaddress.ip_network("64:ff9b::/96")
SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _carried_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries to reach it: mapped, compatible, NAT64 or 6to4."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in NAT64 or ip in IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in SIX_TO_FOUR:
        return ip.sixtofour
    return None


def is_public(address: str) -> bool:
    """Whether an IP address is one that outbound webhooks may reach (a global unicast address)."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.is_site_local:
            return False
        carried = _carried_ipv4(ip)
        if carried is not None:
            ip = carried
    return ip.is_global and not ip.is_multicast


def check_target(url: str) -> str | None:
    """Why `url` may not be an outbound webhook address (None when it may): its host is, or resolves
    to, an address that is not public. A name that does not resolve now is accepted (it may later)."""
    if private_allowed():
        return None
    host = urlsplit(url).hostname or ""
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)}
    except (OSError, UnicodeError):
        return None
    blocked = sorted(a for a in addresses if not is_public(a))
    if blocked:
        return (
            f"{host} is a private or local address ({blocked[0]}); replies go only to public addresses "
            "unless the operator sets PEYVAND_OUTBOUND_ALLOW_PRIVATE=1"
        )
    return None


def _checked_connection(
    address: tuple[str, int], timeout: float | None = None, source_address: tuple[str, int] | None = None
) -> socket.socket:
    """A TCP connection to `address` (host, port) opened only to addresses checked to be public (every
    address the name resolves to must be: one inward address refuses it), before any packet is sent."""
    host, port = address
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if not private_allowed() and any(not is_public(str(info[4][0])) for info in infos):
        raise BlockedAddress("refused: the address is not a public one")
    problem: OSError | None = None
    for family, kind, proto, _name, target in infos:
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not None:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(target)
            return sock
        except OSError as exc:
            sock.close()
            problem = exc
    raise problem or OSError(f"{host}: no address to connect to")


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _checked_connection


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _checked_connection  # TLS then wraps it, naming the host


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_HTTPSConnection, req)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises HTTPError with the 3xx status


_OPENER = urllib.request.build_opener(
    urllib.request.ProxyHandler({}), _HTTPHandler, _HTTPSHandler, _NoRedirect
)


def post_webhook(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST the body; returns the HTTP status (3xx included: redirects are not followed). Raises
    `BlockedAddress` (an OSError) when the connection reached an address that is not public."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, BlockedAddress):
            raise exc.reason from None
        raise
