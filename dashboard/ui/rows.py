"""A list page from its declaration, one row of it for live updates, and one resource read for a page.

A panel's list view reads one page of its table and hands it to `list_page`; its row view (the
`data-row-url` of the list's `<tbody>`, fetched by live.js when a poller reports a change) is
three lines:
```python
@require_GET
def volume_row(request, volume_id: str):
    vol = found_or_none(lambda: volumes.get_volume(connection(request), volume_id))
    return live_row(request, lists.VOLUMES, vol)
```
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from dashboard.cloud import CloudError, concurrently
from dashboard.cloud.paging import Page

from .actions import next_url
from .humanize import printing_rows
from .jinja import macros
from .lists import Table, cell_macros, list_context, page_or_first

T = TypeVar("T")


def list_page(
    request,
    table: Table,
    fetch: Callable[..., Page],
    context: Callable[[Page], dict] | dict | None = None,
    url_args=(),
    row_extra=None,
    also: dict[str, Callable[[], Any]] | None = None,
    name: Callable[[list, dict], Any] | None = None,
) -> HttpResponse:
    """A list page: the request's query read against `table`, one page fetched (`fetch(params)`),
    printed by the table's template with the `list` and `context` (a dict, or made from the page).
    A page whose marker was deleted meanwhile redirects to the first one.

    `also`: the calls whose answers do not depend on the page's rows (every external network's
    name, the project's servers' names, a quota), made at once with the page's own call, so that
    the page prints names without a second round trip. Their results are the template's `also`
    ({name: result}, None for a call that failed: names are a nicety, the rows then show ids) and
    `name(rows' objects, also)` names the page's objects from them, in place, before the rows are
    printed (the cloud layer's naming function: the one a live row's read uses too)."""
    params = table.params(request)
    if also:
        found = _at_once({"page": lambda: fetch(params), **also})
        page = page_or_first(request, table, params, found.pop("page"), url_args)
    else:
        found = {}
        page = page_or_first(request, table, params, lambda: fetch(params), url_args)
    if isinstance(page, HttpResponse):
        return page
    if name is not None:
        name(page.items, found)
    shown = list_context(request, table, params, page, url_args, row_extra)
    shown["also"] = found
    shown.update(context(page) if callable(context) else context or {})
    return render(request, table.template, shown)


def _at_once(calls: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """`calls` made at once: {"page": a function answering the page's result or raising its
    CloudError (for page_or_first), other names: their result, or None when it failed}."""
    found = concurrently(calls, optional=tuple(calls))
    page = found["page"]

    def page_read():
        if isinstance(page, CloudError):
            raise page
        return page

    return {"page": page_read} | {k: None if isinstance(v, CloudError) else v for k, v in found.items() if k != "page"}


def found_or_none(read: Callable[[], T]) -> T | None:
    """What `read()` returns, or None when the cloud says it does not exist (deleted meanwhile, or
    another project's); every other refusal goes on as the CloudError it is."""
    try:
        return read()
    except CloudError as err:
        if err.kind == "not_found":
            return None
        raise


def back_to_list(request, list_url: str) -> str:
    """Where a row's actions come back to: the `next` asked for, else the page of the list the row
    is shown on (live updates fetch rows from the list, so it is the Referer), else the list."""
    referer = urlsplit(request.headers.get("Referer", ""))
    shown_on = referer.path + (f"?{referer.query}" if referer.query else "")
    return next_url(request, shown_on if shown_on.startswith(list_url) else list_url)


def live_row(request, table: Table, obj, url_args=(), extra=None) -> HttpResponse:
    """The one `<tr>` of `obj`, as its list prints it (`extra`: as the page's row_extra); an empty
    404 when `obj` is None (gone: live.js then takes the row out)."""
    if obj is None:
        return HttpResponse(status=404)
    back = back_to_list(request, reverse(table.url_name, args=url_args))
    links = table.links()
    with printing_rows():
        html = macros("ui/list.html").row(table, table.row_of(request, obj, back, links, extra), cell_macros(table))
    return HttpResponse(html)
