"""The signature every webhook POST carries, Stripe-like:

    X-Followthrough-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>

The timestamp is inside what is signed, so a receiver that also refuses old timestamps cannot
be fed a recorded request again later. Each attempt is signed afresh (its own t).
"""

import hashlib
import hmac
import time

HEADER = "X-Followthrough-Signature"
EVENT_ID_HEADER = "X-Followthrough-Event-Id"
EVENT_TYPE_HEADER = "X-Followthrough-Event"
DELIVERY_HEADER = "X-Followthrough-Delivery"
TOLERANCE_SECONDS = 300


def digest(secret: str, timestamp: int, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={digest(secret, timestamp, body)}"


def verify(
    secret: str, body: bytes, header: str, *, tolerance: int = TOLERANCE_SECONDS, now=None
) -> bool:
    """What a receiver does (the README shows the same in a few lines)."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(digest(secret, timestamp, body), fields.get("v1", ""))
