"""Tokens of the write API: an entity's own system acts as one Vigía user, with that user's role
and entity (the same permission rules as the user's pages).

A token is 32 random bytes, shown once when created; only its SHA-256 digest is stored, so a
copy of the database does not reveal usable tokens. Tokens are revoked, never deleted (the
audit trail names the token of each call), and carry the time of their last use.
"""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from . import permissions as perms
from .models import ApiCall, ApiToken

PREFIX = "vigia_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(user) -> str:
    """A new token for ``user`` (who must have a role); the only time its text exists."""
    perms.require(perms.can_view_internal(user), "El usuario no tiene un rol en Vigía: asígnele uno antes de crear su token.")
    token = PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=digest(token), prefix=token[: len(PREFIX) + 4])
    return token


def revoke(user) -> int:
    """Revoke every active token of ``user``; how many there were."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def active(user):
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def authenticate(raw: str) -> ApiToken | None:
    """The active token whose text is ``raw`` (of an active user with a role), marking its use."""
    if not raw or len(raw) > 200 or not raw.isascii():
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest(raw), revoked_at__isnull=True).first()
    if token is None or not perms.can_view_internal(token.user):
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def record(token: ApiToken, method: str, path: str, status: int, detail: str = "") -> None:
    """Every call of the write API goes to the audit trail."""
    ApiCall.objects.create(token=token, user=token.user, method=method, path=path[:300], status=status, detail=detail[:5000])


__all__ = ["active", "authenticate", "create", "digest", "record", "revoke"]
