"""Writes for personal access tokens: make one (its secret returned once), revoke, check."""

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from apps.api.models import ApiToken, Scope

SECRET_PREFIX = "ft_"
# Recording every use would be a write per API call; once a minute is precise enough to read.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_token(*, owner, name: str, scope: str = Scope.READ) -> tuple[ApiToken, str]:
    """A new token and its secret (32 random bytes). The secret is never stored."""
    if scope not in Scope.values:
        raise ValueError(f"Unknown scope {scope!r}.")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        owner=owner,
        name=" ".join(name.split())[:100] or "API token",
        scope=scope,
        prefix=secret[: len(SECRET_PREFIX) + 6],
        digest=digest_of(secret),
    )
    return token, secret


@transaction.atomic
def revoke_token(*, owner, token: ApiToken) -> None:
    ApiToken.objects.owned_by(owner).filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def authenticate(secret: str) -> ApiToken | None:
    """The live token with this secret (its owner loaded and active), or None."""
    if not secret or not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("owner")
        .filter(digest=digest_of(secret), revoked_at__isnull=True, owner__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
