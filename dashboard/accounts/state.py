"""The logged-in user as the Django session keeps them: their `Credentials`, read and written here.

Session key "keystone" holds `Credentials.to_dict()` (dashboard.cloud.credentials: user, projects,
the two tokens sealed, token document, expiry, project, roles, region, chosen language). It never
leaves the server, and the session ends when its token does. `keep(request, credentials)` writes
it and puts the same object on `request.keystone`, which the rest of a request reads.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from dashboard.cloud.credentials import Credentials
from dashboard.cloud.sessions import forget_connection

SESSION_KEY = "keystone"
ANONYMOUS = Credentials()


def credentials_of(session) -> Credentials:
    """The session's user (ANONYMOUS when nobody is logged in)."""
    credentials = Credentials.from_dict(session.get(SESSION_KEY))
    return credentials if credentials.user_id else ANONYMOUS


def credentials_in_store(session_key: str | None) -> Credentials:
    """The user of a session named by its cookie, read fresh from the session store: for what runs
    outside a Django request (the websocket, the upload route)."""
    if not session_key:
        return ANONYMOUS
    return credentials_of(import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key))


def keep(request, credentials: Credentials) -> None:
    """The session now holds these credentials, and so does the request."""
    request.session[SESSION_KEY] = credentials.to_dict()
    request.keystone = credentials


def store_login(request, unscoped, username: str, domain: str, projects: list) -> None:
    credentials = Credentials.at_login(unscoped, username, domain, projects)
    keep(request, credentials)
    end_with_token(request.session, credentials.unscoped_expires)


def store_project(request, scoped, region: str = "") -> None:
    credentials = request.keystone.in_project(scoped, region)
    keep(request, credentials)
    end_with_token(request.session, credentials.expires_at)


def end_with_token(session, expires_at: str) -> None:
    """The session (tokens, catalog) is not kept past its token's expiry, nor past SESSION_AGE."""
    limit = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    session.set_expiry(min(datetime.fromisoformat(expires_at), limit))


def forget_tokens(request) -> None:
    """Drop the tokens (keeps nothing that could act on the cloud)."""
    if SESSION_KEY in request.session:
        forget_connection(credentials_of(request.session))
        del request.session[SESSION_KEY]
    request.keystone = ANONYMOUS
