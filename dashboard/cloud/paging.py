"""Marker paging, the same for every service's list (Nova, Cinder, Glance, Neutron, Swift).

A page is one request for `limit + 1` rows after a marker: the extra row only says whether a
further page exists. Going back asks for the rows before a marker by reversing the sort order,
then reverses them again; so the pager offers first, previous and next with one request a page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ListParams:
    """What one page of a list asks for: filters, sort, page size and where it starts.

    Built from the request and checked against what the panel allows (`dashboard.ui.lists`); cloud
    functions take it as it is.
    """

    filters: dict[str, str] = field(default_factory=dict)
    sort: str = ""
    direction: str = "desc"  # "asc" or "desc"
    limit: int = 20
    marker: str = ""  # the page after this row
    before: str = ""  # the page before this row

    @property
    def backwards(self) -> bool:
        return bool(self.before)

    @property
    def start(self) -> str:
        """The marker the request starts from (in the reversed order when going back)."""
        return self.before or self.marker

    @property
    def request_direction(self) -> str:
        """The sort direction to ask the service for (reversed when going back)."""
        if not self.backwards:
            return self.direction
        return "asc" if self.direction == "desc" else "desc"

    @property
    def paged(self) -> bool:
        """True when this is not the first page."""
        return bool(self.marker or self.before)

    def filter(self, name: str) -> str:
        return self.filters.get(name, "")


@dataclass
class Page:
    items: list[Any]
    next_marker: str = ""  # the marker of the next page ("" on the last one)
    prev_before: str = ""  # the marker of the previous page ("" on the first one)

    def map(self, fn: Callable[[Any], Any]) -> Page:
        return Page([fn(item) for item in self.items], self.next_marker, self.prev_before)


def marker_page(
    fetch: Callable[[int, str, str], Iterable[Any]], params: ListParams, id_of: Callable[[Any], str] | None = None
) -> Page:
    """One page from one request: `fetch(limit, marker, direction)` asks the service for at most
    `limit` rows after `marker` sorted in `direction` (the caller maps sort keys and filters)."""
    id_of = id_of or (lambda row: row["id"] if isinstance(row, dict) else row.id)
    rows = list(fetch(params.limit + 1, params.start, params.request_direction))[: params.limit + 1]
    more = len(rows) > params.limit
    rows = rows[: params.limit]
    if params.backwards:
        rows.reverse()
        return Page(
            rows, next_marker=id_of(rows[-1]) if rows else "", prev_before=id_of(rows[0]) if more and rows else ""
        )
    return Page(
        rows,
        next_marker=id_of(rows[-1]) if more and rows else "",
        prev_before=id_of(rows[0]) if params.marker and rows else "",
    )


def whole_list_page(
    items: list[Any],
    params: ListParams,
    *,
    sort_keys: dict[str, Callable[[Any], Any]],
    matches: Callable[[Any, dict[str, str]], bool] | None = None,
    id_of: Callable[[Any], str] | None = None,
) -> Page:
    """One page of a list the service gives whole (Keystone's users, projects...), paged here the
    way marker_page pages a service's: the rows `matches(row, params.filters)` keeps, ordered by
    `sort_keys[params.sort]` in `params.direction`, `limit` of them after `marker` (or before
    `before`). A marker no row has is refused (a "bad_request" CloudError), as a service would."""
    from django.utils.translation import gettext

    from .errors import CloudError

    id_of = id_of or (lambda row: row["id"] if isinstance(row, dict) else row.id)
    rows = [row for row in items if matches is None or matches(row, params.filters)]
    rows.sort(key=sort_keys[params.sort], reverse=params.direction == "desc")
    ids = [id_of(row) for row in rows]
    start, end = 0, len(rows)
    if params.start:
        if params.start not in ids:
            raise CloudError("bad_request", gettext("No row has this marker (it may have been deleted)."))
        at = ids.index(params.start)
        if params.backwards:
            start, end = max(at - params.limit, 0), at
        else:
            start = at + 1
    chosen = rows[start:end][: params.limit] if not params.backwards else rows[start:end]
    after = start + len(chosen)
    return Page(
        chosen,
        next_marker=id_of(chosen[-1]) if chosen and after < len(rows) else "",
        prev_before=id_of(chosen[0]) if chosen and start > 0 else "",
    )
