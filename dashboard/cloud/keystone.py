"""Keystone: password login, the user's projects, re-scoping, revocation.

Tokens are kept server-side only (in the Django session); nothing here logs them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.utils.translation import gettext as _
from keystoneauth1 import access
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1.identity import v3

from .errors import CloudError, SessionExpired, translate
from .sessions import keystone_session


@dataclass
class LoginFailed(Exception):
    message: str


def auth_url() -> str:
    return settings.OPENSTACK_AUTH_URL.rstrip("/")


def _keystone_message(exc: ks_exc.HttpError) -> str:
    """Keystone's own words for a refused login (its JSON error body)."""
    response = getattr(exc, "response", None)
    try:
        body = response.json() if response is not None else {}
        text = body.get("error", {}).get("message", "")
    except ValueError:
        text = ""
    return text or exc.message or _("Keystone refused the login.")


def password_login(username: str, password: str, domain: str) -> access.AccessInfo:
    """An unscoped token for the user, or LoginFailed with Keystone's explanation."""
    plugin = v3.Password(
        auth_url=auth_url(),
        username=username,
        password=password,
        user_domain_name=domain,
        unscoped=True,
    )
    try:
        return plugin.get_access(keystone_session())
    except ks_exc.Unauthorized as exc:
        text = _keystone_message(exc)
        if "could not find" in text.lower() or "requires authentication" in text.lower() or not text:
            # Keystone gives one answer for all of these on purpose (no hint to attackers)
            text = _("Wrong user name or password, or the account is disabled or locked.")
        raise LoginFailed(text) from None
    except ks_exc.HttpError as exc:
        raise LoginFailed(_keystone_message(exc)) from None
    except ks_exc.ClientException as exc:
        error = translate(exc, service="identity")
        raise LoginFailed(getattr(error, "message", _("Keystone is not reachable."))) from None


def login(username: str, password: str, domain: str) -> tuple[access.AccessInfo, list[dict]]:
    """An unscoped token for the user and their projects, or LoginFailed.

    Keystone's revocations (a password change, a role removed) are by the second, and a Fernet
    token's time is in whole seconds: a token issued in the same second as such a change is
    refused the first time it is used. It is asked for again once that second has passed.
    """
    unscoped = password_login(username, password, domain)
    try:
        return unscoped, user_projects(unscoped.auth_token)
    except SessionExpired:
        time.sleep(1.0)
    unscoped = password_login(username, password, domain)
    try:
        return unscoped, user_projects(unscoped.auth_token)
    except SessionExpired:
        raise LoginFailed(_("Keystone refused the token it has just issued. Try again in a moment.")) from None


def user_projects(token: str) -> list[dict]:
    """Projects the token's user has a role in (enabled ones), sorted by name."""
    try:
        resp = keystone_session().get(
            auth_url() + "/auth/projects", headers={"X-Auth-Token": token}, authenticated=False
        )
    except ks_exc.ClientException as exc:
        raise translate(exc, service="identity") from None
    projects = [
        {"id": p["id"], "name": p["name"], "domain_id": p.get("domain_id", "")}
        for p in resp.json().get("projects", [])
        if p.get("enabled", True)
    ]
    return sorted(projects, key=lambda p: p["name"].lower())


def scope_to_project(token: str, project_id: str) -> access.AccessInfo:
    plugin = v3.Token(auth_url=auth_url(), token=token, project_id=project_id, reauthenticate=False)
    try:
        return plugin.get_access(keystone_session())
    except ks_exc.ClientException as exc:
        raise translate(exc, service="identity") from None


def revoke(token: str) -> None:
    """Revoke a token with itself; failures are ignored (the session is cleared anyway)."""
    try:
        keystone_session().delete(
            auth_url() + "/auth/tokens",
            headers={"X-Auth-Token": token, "X-Subject-Token": token},
            authenticated=False,
        )
    except (ks_exc.ClientException, CloudError):
        pass


def expires_at(auth_ref: access.AccessInfo) -> str:
    return auth_ref.expires.astimezone(UTC).isoformat()


def is_expired(iso: str | None) -> bool:
    if not iso:
        return True
    return datetime.fromisoformat(iso) <= datetime.now(UTC)


def application_credential_login(credential_id: str, secret: str) -> access.AccessInfo:
    """A project-scoped token from an application credential (what an API key acts with).

    Keystone's refusal (the credential expired: 401; it was deleted: 404) raises SessionExpired."""
    plugin = v3.ApplicationCredential(
        auth_url=auth_url(), application_credential_id=credential_id, application_credential_secret=secret
    )
    try:
        return plugin.get_access(keystone_session())
    except (ks_exc.Unauthorized, ks_exc.NotFound):
        raise SessionExpired() from None
    except ks_exc.ClientException as exc:
        raise translate(exc, service="identity") from None
