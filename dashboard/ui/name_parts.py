"""A list's names part: the names a list page does not wait for.

The page renders its rows with short ids and loads the part (htmx, hx-trigger="load") at a URL
whose query names the rows: `<kind>=<row id>:<id to name>` per kind (`row`, `pool`, `image`...).
The part checks what it is asked for (`asked_rows`), makes a fixed number of cloud calls at once,
and answers each named cell out of band, by element id (see docs/adding-a-panel.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse

UUID = re.compile(r"^[0-9a-fA-F-]{36}$")


def names_query(**kinds: Iterable[tuple[str, str]]) -> str:
    """A names part's query for a page's rows to name, per kind (`row`, `pool`...):
    `<kind>=<row id>:<id to name>` each ("" when there is none: the page then loads no part)."""
    query = [(kind, f"{row_id}:{named_id}") for kind, rows in kinds.items() for row_id, named_id in rows]
    return "?" + urlencode(query) if query else ""


def names_part(url_name: str, **kinds: Iterable[tuple[str, str]]) -> dict:
    """The list page's context for its names part (`url_name`): `names_url`, the part's address
    with the rows to name (see names_query), and `names_pending`; both empty when no row needs a
    name (the page then loads no part)."""
    query = names_query(**kinds)
    return {"names_pending": bool(query), "names_url": reverse(url_name) + query if query else ""}


def part_of(page_url_name: str) -> Callable:
    """For the view of a part a page loads with htmx: asked without htmx (a bookmark, a link
    opened on its own), it answers with a redirect to the page."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def part(request, *args, **kwargs):
            if not request.headers.get("HX-Request"):
                return HttpResponseRedirect(reverse(page_url_name))
            return view(request, *args, **kwargs)

        return part

    return decorate


def asked_rows(values: list[str], limit: int) -> list[tuple[str, str]]:
    """The (row id, id to name) pairs a names part is asked for: well-formed ids only, each pair
    once, at most `limit` (a page's worth)."""
    rows: list[tuple[str, str]] = []
    for value in values:
        row_id, _sep, named_id = value.partition(":")
        pair = (row_id, named_id)
        if UUID.match(row_id) and UUID.match(named_id) and pair not in rows:
            rows.append(pair)
    return rows[:limit]
