"""A list's names part: the names a list page does not wait for.

The page renders its rows with short ids and loads the part (htmx, hx-trigger="load") at a URL
whose query names the rows: `<kind>=<row id>:<id to name>` per kind (`row`, `pool`, `image`...).
The part checks what it is asked for (`asked_rows`), makes a fixed number of cloud calls at once,
and answers each named cell out of band, by element id (see docs/adding-a-panel.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlencode

UUID = re.compile(r"^[0-9a-fA-F-]{36}$")


def names_query(**kinds: Iterable[tuple[str, str]]) -> str:
    """A names part's query for a page's rows to name, per kind (`row`, `pool`...):
    `<kind>=<row id>:<id to name>` each ("" when there is none: the page then loads no part)."""
    query = [(kind, f"{row_id}:{named_id}") for kind, rows in kinds.items() for row_id, named_id in rows]
    return "?" + urlencode(query) if query else ""


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
