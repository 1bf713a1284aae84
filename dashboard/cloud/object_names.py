"""Swift's rules for container and object names, and what a name says (its folder, its last part).

Pure functions, no cloud call: the forms, the pages and the API check a name (or a metadata key)
here before Swift is asked, and `swift_path` quotes one into a request path (names may hold any
character, "." and ".." segments included: every object call builds its path there).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.utils.translation import gettext as _

from .errors import CloudError

# Swift's own limits (constraints in /info; these are its defaults)
MAX_CONTAINER_NAME_BYTES = 256
MAX_OBJECT_NAME_BYTES = 1024
# a metadata key Zenith accepts (Swift's header names are stricter than its names)
META_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")


def container_name_problem(name: str) -> str:
    """Why Swift would refuse this container name ("" when it would not)."""
    if not name:
        return _("Enter a container name.")
    if "/" in name:
        return _("A container name cannot contain “/”.")
    if len(name.encode("utf-8")) > MAX_CONTAINER_NAME_BYTES:
        return _("A container name is at most %(n)d bytes long.") % {"n": MAX_CONTAINER_NAME_BYTES}
    if "\x00" in name or name in (".", ".."):
        return _("This is not a valid container name.")
    return ""


def object_name_problem(name: str) -> str:
    """Why Swift would refuse this object name ("" when it would not)."""
    if not name:
        return _("Enter an object name.")
    if len(name.encode("utf-8")) > MAX_OBJECT_NAME_BYTES:
        return _("An object name is at most %(n)d bytes long.") % {"n": MAX_OBJECT_NAME_BYTES}
    if "\x00" in name:
        return _("This is not a valid object name.")
    return ""


def refuse_bad_name(problem: str) -> None:
    """A name's problem (from the checks above) as a CloudError, before any call; "" passes."""
    if problem:
        raise CloudError("bad_request", problem)


# a name's "." and ".." segments, as they must appear in a path to reach Swift as they are
DOT_SEGMENTS = {".": "%2E", "..": "%2E%2E"}


def _quoted_segment(part: str) -> str:
    return DOT_SEGMENTS.get(part) or quote(part, safe="")


def swift_path(container: str, name: str = "") -> str:
    """The request path of a container or an object: every part of the name between "/" quoted,
    and a part that is "." or ".." written %2E or %2E%2E.

    Swift stores a name such as "x/../../other/victim.txt" as it is. Left bare in a URL, its dot
    segments would be removed before the request leaves (requests/urllib3 tidy a URL's path as
    RFC 3986 says), and the request would act on "other/victim.txt", another container's object.
    Quoted, they pass that step; requests then decodes the %2E back, so the request line carries
    the literal dots, which Swift reads as part of the name. The same path serves X-Copy-From,
    bulk-delete lines and temporary URLs (Swift unquotes them all)."""
    path = "/" + _quoted_segment(container)
    if not name:
        return path
    return path + "/" + "/".join(_quoted_segment(part) for part in name.split("/"))


def has_dot_segment(name: str) -> bool:
    """Whether a name has a "." or ".." part (between "/"): its path holds %2E, which browsers
    read as a dot segment too (a temporary URL of it works with curl, wget, Swift clients)."""
    return any(part in DOT_SEGMENTS for part in name.split("/"))


def segments_container(container: str) -> str:
    """Where a container's large objects keep their segments (python-swiftclient's convention)."""
    return f"{container}_segments"


def parent_of(name: str) -> str:
    """The folder holding a name: "a/b/c.txt" -> "a/b/", "a/" -> ""."""
    stripped = name[:-1] if name.endswith("/") else name
    return stripped.rsplit("/", 1)[0] + "/" if "/" in stripped else ""


def basename_of(name: str) -> str:
    """The last part of a name: "a/b/c.txt" -> "c.txt", "a/b/" -> "b/"."""
    folder = name.endswith("/")
    stripped = name[:-1] if folder else name
    return stripped.rsplit("/", 1)[-1] + ("/" if folder else "")


def breadcrumbs(prefix: str) -> list[tuple[str, str]]:
    """(label, prefix) of every folder down to `prefix`: "a/b/" -> [("a", "a/"), ("b", "a/b/")]."""
    crumbs, path = [], ""
    for part in prefix.split("/")[:-1]:  # a folder's prefix ends with "/": its last part is ""
        path += part + "/"
        crumbs.append((part, path))
    return crumbs
