"""The logged-in user as Zenith knows them: what the Django session holds, read as an object.

Session key "keystone" holds: user_id, username, domain, unscoped_token, token (project-scoped),
token_body (Keystone's token document, for the catalog), expires_at, project_id, project_name,
projects, roles, region. It never leaves the server; the two tokens are kept sealed
(dashboard.cloud.secrets: `token_of` opens them), and the session ends when its token does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from dashboard.cloud import keystone
from dashboard.cloud.secrets import Unsealable, open_sealed, seal
from dashboard.cloud.sessions import forget_connection, regions_of

SESSION_KEY = "keystone"
ADMIN_ROLES = {"admin"}


@dataclass
class KeystoneUser:
    user_id: str = ""
    username: str = ""
    domain: str = ""
    project_id: str = ""
    project_name: str = ""
    projects: list = field(default_factory=list)
    roles: list = field(default_factory=list)
    region: str = ""
    regions: list = field(default_factory=list)
    expires_at: str = ""

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user_id)

    @property
    def has_project(self) -> bool:
        return bool(self.project_id)

    @property
    def is_admin(self) -> bool:
        return bool(ADMIN_ROLES & set(self.roles))


ANONYMOUS = KeystoneUser()


def current_user(session) -> KeystoneUser:
    stored = session.get(SESSION_KEY)
    if not stored or not stored.get("user_id"):
        return ANONYMOUS
    return KeystoneUser(
        user_id=stored["user_id"],
        username=stored.get("username", ""),
        domain=stored.get("domain", ""),
        project_id=stored.get("project_id", ""),
        project_name=stored.get("project_name", ""),
        projects=stored.get("projects", []),
        roles=stored.get("roles", []),
        region=stored.get("region", ""),
        regions=regions_of(stored) if stored.get("token_body") else [],
        expires_at=stored.get("expires_at", ""),
    )


def store_login(session, unscoped, username: str, domain: str, projects: list) -> None:
    session[SESSION_KEY] = {
        "user_id": unscoped.user_id,
        "username": username,
        "domain": domain,
        "unscoped_token": seal(unscoped.auth_token),
        "unscoped_expires": keystone.expires_at(unscoped),
        "projects": projects,
    }
    end_with_token(session, session[SESSION_KEY]["unscoped_expires"])


def store_project(session, scoped, region: str = "") -> None:
    stored = dict(session[SESSION_KEY])
    stored.update(
        token=seal(scoped.auth_token),
        token_body=scoped._data,
        expires_at=keystone.expires_at(scoped),
        project_id=scoped.project_id,
        project_name=scoped.project_name,
        roles=sorted(scoped.role_names),
    )
    regions = regions_of(stored)
    stored["region"] = region if region in regions else (regions[0] if regions else "")
    session[SESSION_KEY] = stored
    end_with_token(session, stored["expires_at"])


def end_with_token(session, expires_at: str) -> None:
    """The session (tokens, catalog) is not kept past its token's expiry, nor past SESSION_AGE."""
    limit = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    session.set_expiry(min(datetime.fromisoformat(expires_at), limit))


def token_of(stored: dict, name: str = "token") -> str:
    """A token of the session opened for use ("token": project-scoped, or "unscoped_token"); ""
    when there is none or it cannot be opened (sealed under another key, or from before sealing)."""
    try:
        return open_sealed(stored.get(name) or "")
    except Unsealable:
        return ""


def forget_tokens(request) -> None:
    """Drop the tokens (keeps nothing that could act on the cloud)."""
    if SESSION_KEY in request.session:
        forget_connection(request.session[SESSION_KEY])
        del request.session[SESSION_KEY]
    request.keystone = ANONYMOUS


def all_tokens(session) -> list[str]:
    stored = session.get(SESSION_KEY) or {}
    return [t for t in (token_of(stored, "token"), token_of(stored, "unscoped_token")) if t]
