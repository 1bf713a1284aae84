"""API keys: scripts act as a user in one project without a browser and without a password.

A key is 256 random bits shown once at creation; Zenith keeps only its SHA-256 and, sealed, the
secret of a restricted Keystone application credential made for the user at the same time (bound to
the project and roles of the session that made it, expiring with the key). A request with the key
logs in with that credential and acts with the `Credentials` it gets (its project-scoped token
sealed), cached until shortly before the token expires. Revoking the key deletes the credential in
Keystone, which also revokes its tokens, and the row here.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.utils import timezone

from dashboard.cloud import SessionExpired, connection, identity, keystone
from dashboard.cloud.credentials import Credentials
from dashboard.cloud.secrets import Unsealable, open_sealed, seal

from .models import ApiKey

KEY_PREFIX = "zk_"
MAX_KEYS_PER_USER = 25  # each is a Keystone application credential: revoke old ones to make more
# a cached token is used until this long before Keystone's expiry
TOKEN_MARGIN = timedelta(minutes=5)


@dataclass
class NewKey:
    key: str  # the only time the key is known: shown once to its owner
    row: ApiKey


def hash_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_from_headers(request) -> str:
    """The API key a request presents (`Authorization: Bearer <key>` or `X-API-Key`), or ""."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    bearer = header[7:].strip() if header[:7].lower() == "bearer " else ""
    return bearer or request.META.get("HTTP_X_API_KEY", "").strip()


def keys_of(user: Credentials) -> list[ApiKey]:
    return list(ApiKey.objects.filter(keystone_user_id=user.user_id))


def create_key(request, name: str, expires_at: datetime) -> NewKey:
    """A new key for the session's user and current project (a CloudError when Keystone refuses)."""
    user = request.keystone
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    key_id = uuid.uuid4()
    cred = identity.create_application_credential(
        connection(request),
        user.user_id,
        name=f"zenith-{name[:40]}-{key_id.hex[:8]}",
        description=f"Zenith API key “{name}”",
        expires_at=expires_at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
        roles=user.roles,
    )
    row = ApiKey.objects.create(
        id=key_id,
        name=name,
        keystone_user_id=user.user_id,
        username=user.username,
        domain=user.domain,
        project_id=user.project_id,
        project_name=user.project_name,
        roles=list(user.roles),
        key_hash=hash_of(key),
        prefix=key[:10],
        credential_id=cred.id,
        sealed_secret=seal(cred.secret),
        region=user.region,
        expires_at=expires_at,
    )
    return NewKey(key=key, row=row)


def revoke_key(request, key_id) -> bool:
    """Delete one of the session user's keys and its application credential; False if not theirs."""
    row = ApiKey.objects.filter(id=key_id, keystone_user_id=request.keystone.user_id).first()
    if row is None:
        return False
    # the credential first: if Keystone refuses, the key stays listed (and the error is shown)
    identity.delete_application_credential(connection(request), row.keystone_user_id, row.credential_id)
    forget_token(row)
    row.delete()
    return True


def _cache_key(row: ApiKey) -> str:
    return f"apikey-credentials:{row.id}"


def forget_token(row: ApiKey) -> None:
    cache.delete(_cache_key(row))


def find_key(key: str) -> ApiKey | None:
    """The live key row for a presented key; None when unknown, revoked or expired."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    row = ApiKey.objects.filter(key_hash=hash_of(key)).first()
    if row is None or row.expires_at <= timezone.now():
        return None
    return row


def credentials_of(row: ApiKey) -> Credentials:
    """The key's user acting in the key's project, from the cache or from a fresh
    application-credential login. SessionExpired when Keystone refuses."""
    cached = Credentials.from_dict(cache.get(_cache_key(row)))
    if cached.token and not keystone.is_expired((datetime.fromisoformat(cached.expires_at) - TOKEN_MARGIN).isoformat()):
        return cached
    try:
        secret = open_sealed(row.sealed_secret)
    except Unsealable:
        raise SessionExpired() from None
    auth_ref = keystone.application_credential_login(row.credential_id, secret)
    user = Credentials(
        user_id=row.keystone_user_id,
        username=row.username,
        domain=row.domain,
        projects=({"id": row.project_id, "name": row.project_name},),
    )
    credentials = user.in_project(auth_ref, row.region)
    ttl = (auth_ref.expires - timezone.now() - TOKEN_MARGIN).total_seconds()
    if ttl > 0:
        cache.set(_cache_key(row), credentials.to_dict(), timeout=int(ttl))
    return credentials
