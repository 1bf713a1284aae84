"""Lists: the page's query read against what the panel allows, and what the list partials need.

A panel declares its list once (`ListSpec`: filters, sort keys, page sizes, its URL name); the view
turns the request into `ListParams` for the cloud call and hands the resulting page to
`list_context`, which builds the sort headers, filter fields and pager links from the request and
`reverse()`. The kit's tags `filter_form`, `sort_headers`, `pager` (dashboard.ui.templatetags.zenith_kit)
and the partial `ui/_empty.html` render them the same way on every panel.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dashboard.cloud.paging import ListParams, Page

ID = re.compile(r"^[0-9A-Za-z._:-]{1,255}$")  # markers: UUIDs, Swift object names are checked by their panel


@dataclass(frozen=True)
class Filter:
    """One filter of a list: free text (choices None) or one of a few values."""

    name: str
    label: str
    choices: tuple[tuple[str, str], ...] | None = None  # (value, label); "" = any
    any_label: str = _("Any")
    max_length: int = 255
    clean: Callable[[str], str] | None = None  # e.g. str.upper; runs before choices are checked
    pattern: re.Pattern | None = None  # values that must look like an id

    def value(self, raw: str) -> str:
        value = raw.strip()[: self.max_length]
        if self.clean:
            value = self.clean(value)
        if self.choices is not None and value not in {v for v, _ in self.choices}:
            return ""
        if self.pattern is not None and value and not self.pattern.match(value):
            return ""
        return value


@dataclass(frozen=True)
class Column:
    """A column header; `sort` is the sort word that orders by it ("" when it does not sort)."""

    label: str
    sort: str = ""
    css: str = ""
    # which arrow means "ascending": "age" columns read the other way round from "created"
    inverted: bool = False
    first_direction: str = "desc"  # a first click sorts this way ("asc" for names)


@dataclass(frozen=True)
class ListSpec:
    url_name: str  # the list's URL name, e.g. "instances:list"
    sorts: tuple[str, ...]  # sort words the cloud call knows
    default_sort: str
    default_direction: str = "desc"
    filters: tuple[Filter, ...] = ()
    page_sizes: tuple[int, ...] = (10, 20, 50, 100)
    default_limit: int = 20
    marker: re.Pattern = ID

    def params(self, request) -> ListParams:
        """The request's list query, with anything the panel does not allow dropped."""
        g = request.GET
        try:
            limit = int(g.get("limit", self.default_limit))
        except ValueError:
            limit = self.default_limit
        sort = g.get("sort", self.default_sort)
        direction = g.get("dir", self.default_direction)
        marker, before = g.get("marker", ""), g.get("before", "")
        filters = {f.name: f.value(g.get(f.name, "")) for f in self.filters}
        return ListParams(
            filters={k: v for k, v in filters.items() if v},
            sort=sort if sort in self.sorts else self.default_sort,
            direction=direction if direction in ("asc", "desc") else self.default_direction,
            limit=min(max(limit, 1), max(self.page_sizes)),
            marker=marker if self.marker.match(marker) else "",
            before=before if self.marker.match(before) and not marker else "",
        )


def list_url(spec: ListSpec, params: ListParams, url_args=(), **changes) -> str:
    """The list's URL for these params (filters, sort, page size), changed by `changes`."""
    query: dict = dict(params.filters)
    if params.sort != spec.default_sort or params.direction != spec.default_direction:
        query.update(sort=params.sort, dir=params.direction)
    if params.limit != spec.default_limit:
        query["limit"] = params.limit
    query.update(changes)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    path = reverse(spec.url_name, args=url_args)
    return path + ("?" + urlencode(query) if query else "")


@dataclass
class ListView:
    """What the list partials show: built by `list_context`, used as `list` in templates. Its URLs
    are worked out once (a page's partials read each two or three times)."""

    spec: ListSpec
    params: ListParams
    page: Page
    columns: list[Column]
    url_args: tuple = ()
    headers: list[dict] = field(default_factory=list)
    fields: list[dict] = field(default_factory=list)

    def url(self, **changes) -> str:
        """The list's URL with its current query, changed by `changes` (a None value drops one)."""
        return list_url(self.spec, self.params, self.url_args, **changes)

    @property
    def filtered(self) -> bool:
        return bool(self.params.filters)

    @property
    def paged(self) -> bool:
        return self.params.paged

    @cached_property
    def next_url(self) -> str:
        return self.url(marker=self.page.next_marker) if self.page.next_marker else ""

    @cached_property
    def prev_url(self) -> str:
        return self.url(before=self.page.prev_before) if self.page.prev_before else ""

    @cached_property
    def first_url(self) -> str:
        return self.url() if self.params.paged else ""

    @cached_property
    def clear_url(self) -> str:
        return reverse(self.spec.url_name, args=self.url_args)

    @property
    def page_sizes(self) -> list[int]:
        return sorted({*self.spec.page_sizes, self.params.limit})

    @property
    def first_page_newest_first(self) -> bool:
        """Unfiltered first page in the default order: where a new resource belongs (live rows)."""
        p = self.params
        return (
            not (p.filters or p.paged)
            and p.sort == self.spec.default_sort
            and p.direction == self.spec.default_direction
        )


def list_context(request, spec: ListSpec, params: ListParams, page: Page, columns: list[Column], url_args=()) -> dict:
    """The `list` context variable of a list page (headers, filters, pager)."""
    view = ListView(spec, params, page, columns, tuple(url_args))
    for col in columns:
        active = bool(col.sort) and params.sort == col.sort
        # a click on the active column reverses it; on another column it starts its own way
        if active:
            direction = "asc" if params.direction == "desc" else "desc"
        else:
            direction = col.first_direction
        ascending = params.direction == "asc"
        view.headers.append(
            {
                "label": col.label,
                "css": col.css,
                "sort": col.sort,
                "active": active,
                "url": view.url(sort=col.sort, dir=direction, marker=None, before=None) if col.sort else "",
                "up": ascending != col.inverted,
            }
        )
    for f in spec.filters:
        view.fields.append(
            {
                "name": f.name,
                "label": f.label,
                "value": params.filter(f.name),
                "choices": f.choices,
                "any": f.any_label,
                "max_length": f.max_length,
            }
        )
    return {"list": view}


PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"


def row_url_template(url_name: str) -> str:
    """A row view's URL with __ID__ for the id, as live.js wants it in data-row-url."""
    return reverse(url_name, args=[PLACEHOLDER_ID]).replace(PLACEHOLDER_ID, "__ID__")


def page_or_first(request, spec: ListSpec, params: ListParams, fetch: Callable[[], Page], url_args=()):
    """The page, or a redirect to the first one when its marker no longer exists (deleted row).

    Services answer an unknown marker with 400 (Nova, Cinder) or 404 (Glance); either way the list
    restarts from the top with a word of explanation.
    """
    from django.contrib import messages
    from django.http import HttpResponseRedirect

    from dashboard.cloud import CloudError

    try:
        return fetch()
    except CloudError as err:
        if err.kind in ("bad_request", "not_found") and params.paged:
            messages.warning(
                request, gettext("That page no longer exists (a row was deleted); here is the first page.")
            )
            return HttpResponseRedirect(list_url(spec, params, url_args))
        raise


def sorted_rows(rows: list[dict], params: ListParams) -> list[dict]:
    """Rows of a list that is read whole (a report) in the order the params ask; text sorts
    case-insensitively before numbers, missing values count as 0."""

    def value(row):
        v = row.get(params.sort)
        return (0, v.lower()) if isinstance(v, str) else (1, v or 0)

    return sorted(rows, key=value, reverse=params.direction == "desc")
