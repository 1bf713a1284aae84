"""A URL name and its arguments as a path, each shape of path reversed once per process.

A list prints an object's URL in every row, and its actions' URLs four or five times a row: Django's
`reverse()` (some 20 microseconds) would run a hundred times a page to print paths that differ
only by the object's id. `path()` reverses a URL once per shape (the URL name, the script prefix,
the id's shape: a UUID or Keystone's 32 hex digits, and the words after it) with a stand-in id,
keeps the text around it and puts the real id in. Anything else (no id first, a name reverse()
would quote) goes through reverse() each time. At most 1,024 shapes are kept (docs/caches.md).
"""

from __future__ import annotations

import functools
import re

from django.urls import NoReverseMatch, get_script_prefix, reverse

# ids that stand in a path as they are: UUIDs (Nova, Neutron, Cinder, Glance) and Keystone's hex ids
_PLAIN_ID = re.compile(
    r"^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32})$"
)
_STAND_INS = {"uuid": "00000000-0000-0000-0000-000000000000", "hex": "0" * 32}
_WORD = re.compile(r"^[a-z_]{1,40}$")  # an argument kept in the shape: an action's name, a tab's


def id_shape(value: str) -> str:
    """ "uuid" (Nova's, Neutron's, Cinder's, Glance's ids), "hex" (Keystone's) or "" (any other)."""
    if not _PLAIN_ID.match(value):
        return ""
    return "uuid" if "-" in value else "hex"


def path(url_name: str, *args) -> str:
    """reverse(url_name, args=args): the same path. When the first argument is a UUID or a Keystone
    id and any others are words (an action's name, a tab's), the path of that shape is reversed
    once, and the id put in its place."""
    args = tuple(str(a) for a in args)
    shape = id_shape(args[0]) if args else ""
    if not shape or not all(_WORD.match(a) for a in args[1:]):
        return reverse(url_name, args=args)
    around = _around(get_script_prefix(), url_name, shape, args[1:])
    if around is None:
        return reverse(url_name, args=args)
    return around[0] + args[0] + around[1]


@functools.lru_cache(maxsize=1024)
def _around(prefix: str, url_name: str, shape: str, words: tuple[str, ...]) -> tuple[str, str] | None:
    """The path of a stand-in id of `shape` and `words`, split around the stand-in; None when the
    pattern refuses them or the stand-in is not in the path once (reverse() then answers each time)."""
    stand_in = _STAND_INS[shape]
    try:
        reversed_path = reverse(url_name, args=(stand_in, *words))
    except NoReverseMatch:
        return None
    if reversed_path.count(stand_in) != 1:
        return None
    before, after = reversed_path.split(stand_in)
    return before, after
