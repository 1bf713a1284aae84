"""Lists: each declared once, as a `Table`, and read by its page, its live rows and its API endpoint.

A `Table` says everything about a list: its columns (label, the sort word ordering by it, how a
cell is shown: a macro of the same name in the table's `cells` Jinja2 template, or the object's
attribute as it is), its filters, its page sizes and default order, whether rows are selectable for
bulk actions, where they go live. From it:
- the page: `Table.params(request)` reads the query against what the list allows, `list_context`
  builds the `list` a page's template prints with the kit's tags (`{% filter_form %}`,
  `{% list_table %}`, `{% pager %}`), all from Jinja2 templates in dashboard/ui/jinja2/ui/;
- a live row: `dashboard.ui.rows.live_row(request, table, obj)`, the same row macro;
- the JSON API: `dashboard.api.lists` makes the endpoint's query (filters, sort, limit up to
  DASHBOARD_API_PAGE_MAX, marker) and its OpenAPI parameters from the same declaration.
tests/unit/test_list_declarations.py checks all three against every declaration.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from types import SimpleNamespace
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from jinja2.runtime import Macro

from dashboard.cloud.paging import ListParams, Page

from .actions import ActionLinks
from .jinja import macros
from .validators import printable

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
    strip: bool = True  # False for names taken to the byte (Swift's)

    def value(self, raw: str) -> str:
        """The filter's value from a page's query: anything it does not allow reads as no filter."""
        value = (raw.strip() if self.strip else raw)[: self.max_length]
        if self.clean:
            value = self.clean(value)
        return "" if self.problem(value) else value

    def problem(self, value: str) -> str:
        """Why the filter does not take `value` (cleaned), "" when it does: the JSON API says it."""
        if not value:
            return ""
        if len(value) > self.max_length:
            return gettext("At most %(max)d characters.") % {"max": self.max_length}
        if self.choices is not None and value not in {v for v, _ in self.choices}:
            return gettext("Choose one of: %(values)s.") % {"values": ", ".join(v for v, _ in self.choices)}
        if self.pattern is not None and not self.pattern.match(value):
            return gettext("This is not a valid value here.")
        if not printable(value):
            return gettext("Use printable characters only.")
        return ""


@dataclass(frozen=True)
class Column:
    """A column: `name` names it (the API's and the tests' word for it; its cell is the matching
    <td> of the table's cells template), `sort` the sort word ordering by it ("" when it does not
    sort), `css` its header's classes."""

    name: str
    label: str
    sort: str = ""
    css: str = ""
    # which arrow means "ascending": "age" columns read the other way round from "created"
    inverted: bool = False
    first_direction: str = "desc"  # a first click sorts this way ("asc" for names)


class Row(SimpleNamespace):
    """One row of a list: `obj`, its resource, and what the table and the page add (`actions`,
    `busy`, `back`...); anything it was not given reads as None (cheaper for Jinja2 to ask than a
    dict's missing key, which it looks for twice)."""

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return None


@dataclass(frozen=True)
class Table:
    """One list, declared once (see the module's docstring)."""

    name: str  # the table's id: <name>-table
    url_name: str  # the list page's URL name: "volumes:list"
    columns: tuple[Column, ...]
    template: str = ""  # the list page's template (list_page renders it)
    cells: str = ""  # the Jinja2 template whose cells(row) macro prints a row's <td>s, one per column
    of: type | None = None  # what a row shows (a cloud layer's dataclass)
    filters: tuple[Filter, ...] = ()
    default_sort: str = ""
    default_direction: str = "desc"
    paged: bool = True  # False for a report read whole: no page size, no pager, its own period form
    page_sizes: tuple[int, ...] = (10, 20, 50, 100)
    default_limit: int = 20
    marker: re.Pattern = ID
    row_id: str = ""  # a row's element id is <row_id>-<object id> ("" for none)
    live: str = ""  # the live kind whose changes re-read rows (data-live); "" when not live
    row_url_name: str = ""  # the view answering one row for live updates (its URL takes the id)
    select: str = ""  # the name of a checkbox per row ("ids"), for the bulk actions of form#bulk-form
    live_insert: bool = True  # rows new to the project go on top of the first page in the default order
    actions: tuple[str, str] | None = None  # (action URL name, form pages' namespace) of the menu
    # what a row shows besides its object: row(request, obj) -> {"actions": [...], "busy": ...}
    row: Callable | None = None
    noun: tuple[str, str] = ("", "")  # (singular, plural), translated: the empty list's words
    # the list's own whole sentence when it has no rows yet ("No volumes in this project yet."), translated
    empty: str = ""
    icon: str = ""  # the empty list's icon
    api: str = ""  # the JSON API's list endpoint (its path under /api/v1/), "" when it has none

    @property
    def sorts(self) -> tuple[str, ...]:
        return tuple(c.sort for c in self.columns if c.sort)

    @property
    def colspan(self) -> int:
        return len(self.columns) + (1 if self.select else 0)

    def params(self, request) -> ListParams:
        """The request's list query, with anything the list does not allow dropped."""
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

    def links(self, shared: bool = False) -> ActionLinks | None:
        """Where the rows' actions go, for one rendering; `shared`: a list page's, whose rows' menus
        are printed once per set of actions after them (ActionLinks.menu)."""
        return ActionLinks(*self.actions, shared=shared) if self.actions else None

    def row_of(self, request, obj, back: str, links: ActionLinks | None, extra=None) -> Row:
        """What one row shows: its object, where its actions come back to and go (`links`), the
        page's `extra` (a dict for every row, or extra(obj) for each) and the table's own extras."""
        row = Row(
            obj=obj,
            id=obj.get("id") if isinstance(obj, dict) else getattr(obj, "id", None),
            label=getattr(obj, "label", "") or getattr(obj, "name", "") or getattr(obj, "id", ""),
            status=getattr(obj, "status", None),
            back=back,
            links=links,
            actions=(),
            busy="",
        )
        vars(row).update((extra(obj) if callable(extra) else extra) or {})
        if self.row is not None:
            vars(row).update(self.row(request, obj))
        return row


def list_url(table: Table, params: ListParams, url_args=(), **changes) -> str:
    """The list's URL for these params (filters, sort, page size), changed by `changes`."""
    query: dict = dict(params.filters)
    if params.sort != table.default_sort or params.direction != table.default_direction:
        query.update(sort=params.sort, dir=params.direction)
    if params.limit != table.default_limit:
        query["limit"] = params.limit
    query.update(changes)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    path = reverse(table.url_name, args=url_args)
    return path + ("?" + urlencode(query) if query else "")


@dataclass
class ListView:
    """What a list page prints, built by `list_context`, used as `list` in templates. Its URLs are
    worked out once (a page's pieces read each two or three times)."""

    table: Table
    params: ListParams
    page: Page
    rows: list[dict]
    here: str
    url_args: tuple = ()
    links: ActionLinks | None = None
    headers: list[dict] = field(default_factory=list)
    fields: list[dict] = field(default_factory=list)
    footer: dict = field(default_factory=dict)  # what a report's totals row shows (its cells' footer)

    def url(self, **changes) -> str:
        """The list's URL with its current query, changed by `changes` (a None value drops one)."""
        return list_url(self.table, self.params, self.url_args, **changes)

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
        return reverse(self.table.url_name, args=self.url_args)

    @cached_property
    def row_url(self) -> str:
        """The live row view's URL with __ID__ for the id (live.js's data-row-url)."""
        return row_url_template(self.table.row_url_name) if self.table.row_url_name else ""

    @property
    def page_sizes(self) -> list[int]:
        return sorted({*self.table.page_sizes, self.params.limit})

    @property
    def live_insert(self) -> bool:
        """Unfiltered first page in the default order: where a new resource belongs (live rows)."""
        p = self.params
        return (
            self.table.live_insert
            and not (p.filters or p.paged)
            and p.sort == self.table.default_sort
            and p.direction == self.table.default_direction
        )


def list_context(request, table: Table, params: ListParams, page: Page, url_args=(), row_extra=None) -> dict:
    """The `list` context variable of a list page: its rows, headers, filters and pager.
    `row_extra`: what the rows of this page have besides their object (see Table.row_of)."""
    here, links = request.get_full_path(), table.links(shared=True)
    view = ListView(
        table,
        params,
        page,
        rows=[table.row_of(request, obj, here, links, row_extra) for obj in page.items],
        here=here,
        url_args=tuple(url_args),
        links=links,
    )
    for col in table.columns:
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
    for f in table.filters:
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
    return {"list": view, "here": here}


class Cells(dict):
    """The macros of a table's cells template, by name: `cells(row)` prints a row's <td>s, one per
    column in the declared order; `row_attrs(row)` (attributes of its <tr>) and `footer(list)` (a
    totals row) are optional; others are the template's helpers (a cell a part prints again, out of
    band). With the checkbox's label, worked out once for all the rows of a rendering."""

    def __init__(self, table: Table):
        found = vars(macros(table.cells))
        super().__init__((name, value) for name, value in found.items() if isinstance(value, Macro))
        self.row_cells, self.row_attrs, self.footer = self["cells"], self.get("row_attrs"), self.get("footer")
        self.select_words = gettext("Select %(name)s")


def cell_macros(table: Table) -> Cells:
    """The table's cells template's macros (see Cells), for one rendering."""
    return Cells(table)


PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"


def row_url_template(url_name: str) -> str:
    """A row view's URL with __ID__ for the id, as live.js wants it in data-row-url."""
    return reverse(url_name, args=[PLACEHOLDER_ID]).replace(PLACEHOLDER_ID, "__ID__")


def page_or_first(request, table: Table, params: ListParams, fetch: Callable[[], Page], url_args=()):
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
            return HttpResponseRedirect(list_url(table, params, url_args))
        raise


def sorted_rows(rows: list[dict], params: ListParams) -> list[dict]:
    """Rows of a list that is read whole (a report) in the order the params ask; text sorts
    case-insensitively before numbers, missing values count as 0."""

    def value(row):
        v = row.get(params.sort)
        return (0, v.lower()) if isinstance(v, str) else (1, v or 0)

    return sorted(rows, key=value, reverse=params.direction == "desc")
