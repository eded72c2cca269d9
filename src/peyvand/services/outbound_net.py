"""The network edge of outbound webhooks: which addresses a workspace may send to, and the POST itself.

A workspace admin chooses the address, so without a guard the server would send signed requests into its
own network (server-side request forgery: the database port, a cloud metadata service at 169.254.169.254,
an internal admin page), and the recorded status would let the admin map which ports answer. So, unless
the operator allows private targets (`PEYVAND_OUTBOUND_ALLOW_PRIVATE`, for a receiver on the same host or
network), an address is refused when its host is, or resolves to, a loopback, private, link-local,
shared, multicast, reserved or unspecified address. The check runs when the address is saved and again
on the connected socket's peer address before anything is sent, so a name that resolves elsewhere later
(DNS rebinding) is caught too. Redirects are not followed: a 3xx is a failed delivery.
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


def is_public(address: str) -> bool:
    """Whether an IP address is one that outbound webhooks may reach (a global unicast address)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
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


def _check_peer(sock: socket.socket | None) -> None:
    if sock is None or private_allowed():
        return
    peer = sock.getpeername()[0]
    if not is_public(peer):
        sock.close()
        raise BlockedAddress(f"refused: {peer} is not a public address")


class _HTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _check_peer(self.sock)


class _HTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        super().connect()  # TCP and the TLS handshake; nothing of the request is sent yet
        _check_peer(self.sock)


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_HTTPSConnection, req)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises HTTPError with the 3xx status


_OPENER = urllib.request.build_opener(_HTTPHandler, _HTTPSHandler, _NoRedirect)


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
