"""Signing outbound webhooks the Standard Webhooks way (https://www.standardwebhooks.com/).

Each request carries `webhook-id` (the message id, the same on every retry), `webhook-timestamp` (Unix
seconds) and `webhook-signature`: `v1,` followed by the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`
keyed with the secret. A secret is `whsec_` followed by the base64 of 32 random bytes; the key is those
bytes. A receiver recomputes the signature and compares it in constant time (`verify` does exactly that).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping

SECRET_PREFIX = "whsec_"
TOLERANCE_SECONDS = 5 * 60


class SignatureError(ValueError):
    """A webhook whose signature, timestamp or secret is not right."""


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def _key(secret: str) -> bytes:
    if not secret.startswith(SECRET_PREFIX):
        raise SignatureError("a signing secret starts with whsec_")
    try:
        return base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except ValueError as exc:
        raise SignatureError("the signing secret is not valid base64") from exc


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header value for one message."""
    content = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signed_headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id, timestamp, body),
        "content-type": "application/json",
    }


def verify(
    secret: str, headers: Mapping[str, str], body: bytes, *, now: int, tolerance: int = TOLERANCE_SECONDS
) -> None:
    """Raise `SignatureError` unless the headers carry a valid, fresh signature of `body`."""
    lowered = {k.lower(): v for k, v in headers.items()}
    message_id, stamp = lowered.get("webhook-id"), lowered.get("webhook-timestamp", "")
    if not message_id or not stamp:
        raise SignatureError("missing webhook-id or webhook-timestamp")
    if not (stamp.isascii() and stamp.isdigit()) or len(stamp) > 12:
        raise SignatureError("webhook-timestamp must be whole seconds since 1970 (Unix time)")
    if abs(now - int(stamp)) > tolerance:
        raise SignatureError("timestamp outside the tolerance")
    expected = sign(secret, message_id, int(stamp), body)
    offered = lowered.get("webhook-signature", "").split()
    if not any(hmac.compare_digest(expected, candidate) for candidate in offered):
        raise SignatureError("no matching signature")
