"""The logged-in user's credentials: one typed object, written and read in this one place.

`Credentials` is what Zenith holds for a Keystone user: who they are (id, name, domain), the
projects they may enter with their unscoped token, and, once in a project, the project-scoped
token, Keystone's token document (its service catalog names the regions), its expiry, the project,
the roles and the region chosen. Built at login (`at_login`, then `in_project`), from an API key's
application credential (dashboard.accounts.apikeys), or read back with `from_dict`.

`to_dict()` is the one stored form: the Django session keeps it under "keystone" (with the same
keys as before this object existed, so a session made by an older Zenith still works), the cache
keeps an API key's, and a live poller's Redis key keeps `project_scoped()` of a watcher's (no
unscoped token there: it could enter the user's other projects).

Both tokens are only ever held sealed (dashboard.cloud.secrets): `opened_token()` opens the
project-scoped one where a call needs it. repr() shows neither token nor the token document, so a
log line or an error page that prints the object shows no secret.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

from keystoneauth1 import access

from .keystone import expires_at, is_expired
from .secrets import Unsealable, open_sealed, seal

ADMIN_ROLES = frozenset({"admin"})


@dataclass(frozen=True)
class Credentials:
    user_id: str = ""
    username: str = ""
    domain: str = ""
    projects: tuple[dict, ...] = field(default=(), hash=False)  # {"id", "name", "domain_id"} each: may enter
    unscoped_token: str = field(default="", repr=False)  # sealed; can scope to any of `projects`
    unscoped_expires: str = ""
    token: str = field(default="", repr=False)  # sealed; acts in `project_id` only
    token_body: dict = field(default_factory=dict, repr=False, hash=False)  # Keystone's token document
    expires_at: str = ""  # the project-scoped token's expiry (ISO 8601, UTC)
    project_id: str = ""
    project_name: str = ""
    roles: tuple[str, ...] = ()
    region: str = ""
    language: str = ""  # the user's chosen language ("": their browser's), kept beside the tokens

    # --- built ---------------------------------------------------------------------------------
    @classmethod
    def at_login(cls, unscoped: access.AccessInfo, username: str, domain: str, projects: list) -> Credentials:
        """A user just logged in: their unscoped token and the projects it may enter; no project yet."""
        return cls(
            user_id=unscoped.user_id,
            username=username,
            domain=domain,
            projects=tuple(projects),
            unscoped_token=seal(unscoped.auth_token),
            unscoped_expires=expires_at(unscoped),
        )

    def in_project(self, scoped: access.AccessInfo, region: str = "") -> Credentials:
        """The same user acting with a project-scoped token, in `region` if its catalog has it
        (else the catalog's first region)."""
        entered = dataclasses.replace(
            self,
            token=seal(scoped.auth_token),
            token_body=scoped._data,
            expires_at=expires_at(scoped),
            project_id=scoped.project_id,
            project_name=scoped.project_name,
            roles=tuple(sorted(scoped.role_names)),
            region="",
        )
        regions = entered.regions
        return entered.in_region(region if region in regions else (regions[0] if regions else ""))

    def in_region(self, region: str) -> Credentials:
        return dataclasses.replace(self, region=region)

    def with_language(self, language: str) -> Credentials:
        return dataclasses.replace(self, language=language)

    def project_scoped(self) -> Credentials:
        """Only what acts in the current project (what a live poller may hold for a watcher)."""
        return Credentials(
            user_id=self.user_id,
            token=self.token,
            token_body=self.token_body,
            expires_at=self.expires_at,
            project_id=self.project_id,
            project_name=self.project_name,
            roles=self.roles,
            region=self.region,
        )

    # --- stored --------------------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping | None) -> Credentials:
        """Read back what `to_dict` stored; keys it does not know (a Redis key's owner) are ignored,
        keys it misses take their empty default."""
        data = data or {}
        names = {f.name for f in dataclasses.fields(cls)}
        values = {name: value for name, value in data.items() if name in names and value is not None}
        for name in ("projects", "roles"):
            if name in values:
                values[name] = tuple(values[name])
        return cls(**values)

    def to_dict(self) -> dict:
        """The stored form (JSON-ready): only the fields that hold something, lists for tuples."""
        stored = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value:
                stored[f.name] = list(value) if isinstance(value, tuple) else value
        return stored

    # --- read ----------------------------------------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        """A logged-in user (the name Django REST framework reads on `request.user`)."""
        return bool(self.user_id)

    @property
    def has_project(self) -> bool:
        return bool(self.project_id)

    @property
    def is_admin(self) -> bool:
        return bool(ADMIN_ROLES & set(self.roles))

    @property
    def is_expired(self) -> bool:
        """The token the user acts with has expired: the project-scoped one, or the unscoped one
        while no project is chosen."""
        return is_expired(self.expires_at or self.unscoped_expires)

    @property
    def has_live_token(self) -> bool:
        """A project-scoped token not yet expired: what a call to the cloud needs."""
        return bool(self.token and self.project_id) and not is_expired(self.expires_at)

    @property
    def catalog(self) -> list[dict]:
        """The service catalog of the project-scoped token ([] before a project is chosen)."""
        return (self.token_body.get("token") or {}).get("catalog") or []

    @functools.cached_property
    def regions(self) -> list[str]:
        """The regions the catalog has an endpoint in, sorted."""
        found = {ep.get("region_id") or ep.get("region") for svc in self.catalog for ep in svc.get("endpoints", [])}
        return sorted(r for r in found if r)

    def opened_token(self) -> str:
        """The project-scoped token opened for use; "" when there is none or it cannot be opened
        (sealed under another SECRET_KEY, or from a session made before sealing)."""
        return _opened(self.token)

    def opened_unscoped_token(self) -> str:
        return _opened(self.unscoped_token)

    def opened_tokens(self) -> list[str]:
        """Every token these credentials hold, opened (what logging out revokes)."""
        return [t for t in (self.opened_token(), self.opened_unscoped_token()) if t]


def _opened(sealed: str) -> str:
    try:
        return open_sealed(sealed) if sealed else ""
    except Unsealable:
        return ""
