"""The fields of an operation-log line that take working out: pure functions, no request needed.

- `action_name`: a stable name for what a request did, from its URL: a page's URL name with its
  namespaces (`volumes:create` -> "volumes.create"; the panel kit's action routes take the verb
  from the URL, `volumes:action` + delete -> "volumes.delete"; its bulk routes from the posted
  `action`), an API route's path and method (`DELETE api/v1/volumes/<id>/` -> "volumes.delete",
  the same name as the page's).
- `targets`: the ids the URL names (its keyword arguments), and a bulk action's posted `ids`.
- `redacted`: nothing that looks like a secret is ever written, whatever a URL calls its parts.
"""

from __future__ import annotations

import re

MAX_IDS = 100  # a bulk action's ids (dashboard.ui.actions.MAX_BULK)
MAX_VALUE = 255  # characters kept of any one value
MAX_PATH = 1024  # characters kept of a path
REDACTED = "[redacted]"

_VERB = re.compile(r"[a-z][a-z0-9_]{0,39}")
_ID = re.compile(r"[0-9A-Za-z._:-]{1,255}")  # as the panel kit accepts them (dashboard.ui.actions)
# parameter names that could hold a secret; "key_id" (an API key's row) and "keypair" do not
_SECRET_NAME = re.compile(r"pass(word|wd|phrase)?|secret|token|credential|signature|auth|(^|_)key$", re.I)
_SECRET_VALUE = re.compile(r"^(zk_|gAAAAA)")  # a Zenith API key; a Fernet token (sealed secrets)

API_PREFIX = "api/v1/"


def verb(text: object) -> str:
    """`text` if it can be a verb of an action name (lower case, digits, _), else ""."""
    text = str(text or "")
    return text if _VERB.fullmatch(text) else ""


def page_action(view_name: str, url_action: str = "", posted_action: str = "") -> str:
    """A named route's action: its namespaces and name joined with dots, the name replaced by the
    verb for the kit's action routes (`<ns>:action`, the verb in the URL) and bulk routes
    (`<ns>:bulk`, the verb posted)."""
    *namespaces, name = view_name.split(":")
    if name == "action" and verb(url_action):
        name = url_action
    elif name == "bulk" and verb(posted_action):
        name = posted_action
    return ".".join([*namespaces, name])


def route_action(route: str, method: str, body_action: str = "") -> str:
    """An unnamed route's action (the JSON API's), from its pattern's fixed parts and the method:
    DELETE "<parts>.delete", PUT/PATCH "<parts>.update", POST to a collection "<parts>.create",
    POST to a part under an object (`backups/<id>/restore/`) that part: "backups.restore";
    `/action/` takes the verb of the body's "action" (`volumes/<id>/action/` {"action": "extend"}
    -> "volumes.extend")."""
    parts = [part for part in route.removeprefix("^").removeprefix(API_PREFIX).strip("$/").split("/") if part]
    variable = [part.startswith(("<", "(")) for part in parts]
    fixed = [part.replace("-", "_") for part, var in zip(parts, variable, strict=True) if not var]
    method = method.upper()
    if method == "DELETE":
        name = "delete"
    elif method in ("PUT", "PATCH"):
        name = "update"
    elif parts and not variable[-1] and any(variable[:-1]):
        name = fixed.pop()
        if name == "action":
            name = verb(body_action) or "action"
    else:
        name = "create"
    return ".".join([*fixed, name]) if fixed else name


def _clean(name: str, value: object) -> object:
    if _SECRET_NAME.search(name):
        return REDACTED
    text = str(value)
    if _SECRET_VALUE.match(text):
        return REDACTED
    return text[:MAX_VALUE]


def redacted(fields: dict) -> dict:
    """`fields` with every value whose name or shape could be a secret replaced by "[redacted]",
    and each value cut to MAX_VALUE characters."""
    return {name: _clean(name, value) for name, value in fields.items()}


def targets(url_kwargs: dict, posted_ids: list[str] | None = None) -> dict:
    """The ids a request acts on: the URL's keyword arguments (the action verb apart, it is in the
    action's name) and a bulk action's posted `ids` (only well-formed ones, at most MAX_IDS)."""
    found = redacted({name: value for name, value in url_kwargs.items() if name != "action"})
    if posted_ids:
        ids = [i for i in dict.fromkeys(posted_ids) if _ID.fullmatch(i) and not _SECRET_VALUE.match(i)]
        found["ids"] = ids[:MAX_IDS]
    return found


def created_id(body: object) -> str:
    """The id a JSON answer names for what it created: `{"id": ...}` or `{"<kind>": {"id": ...}}`
    (nothing else of the answer is read); "" when it names none."""
    if not isinstance(body, dict):
        return ""
    candidates = [body.get("id")] + [value.get("id") for value in body.values() if isinstance(value, dict)]
    for candidate in candidates:
        if isinstance(candidate, str) and _ID.fullmatch(candidate) and not _SECRET_VALUE.match(candidate):
            return candidate
    return ""


# every line has every field, in this order (docs/operation-log.md); None where it has no value
FIELDS = (
    "time",
    "request_id",
    "user",
    "user_id",
    "domain",
    "project",
    "project_id",
    "auth",
    "api_key_id",
    "client",
    "method",
    "route",
    "path",
    "action",
    "targets",
    "created_id",
    "status",
    "ok",
    "cloud_errors",
    "duration_ms",
)


def line(**values) -> dict:
    """A line's fields: the given values, every other field None ("targets" {}, "cloud_errors" [])."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"not operation-log fields: {sorted(unknown)}")
    empty = {"targets": {}, "cloud_errors": []}
    return {name: values.get(name, empty.get(name)) for name in FIELDS}


def cloud_error(error: BaseException) -> dict:
    """What the line says of a cloud failure: its kind, the HTTP status the service answered
    (None: it did not answer, or the refusal was Zenith's) and the service's type."""
    kind = getattr(error, "kind", None)
    if kind is None:  # SessionExpired: Keystone no longer takes the token
        return {"kind": "session_expired", "status": 401, "service": "identity"}
    return {"kind": kind, "status": getattr(error, "cloud_status", None), "service": getattr(error, "service", None)}
