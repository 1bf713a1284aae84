"""One resource read for a page, and one row of a list re-rendered for live updates.

A panel's list view builds its context with `live_list_context`; its row view (the `data-row-url`
of the list's `<tbody>`, fetched by live.js when a poller reports a change) is three lines:
```python
@require_GET
def volume_row(request, volume_id: str):
    vol = found_or_none(lambda: volumes.volume_detail(connection(request), volume_id))
    return live_row(request, vol, "volumes/_row.html", _row_context, list_url=_list_url())
```
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from django.http import HttpResponse
from django.shortcuts import render

from dashboard.cloud import CloudError

from .actions import next_url
from .lists import Column, ListSpec, list_context, row_url_template

T = TypeVar("T")


def live_list_context(
    request, spec: ListSpec, params, page, columns: list[Column], *, row: Callable, row_url: str
) -> dict:
    """A live list page's context: list_context's headers, filters and pager, plus `rows` (`row(obj,
    here)` for each object of the page), `row_url` (the URL of the row view named `row_url`, for the
    `<tbody data-row-url>`), `live_insert` (rows new to the project go on top only on the first page
    sorted newest first) and `here`."""
    context = list_context(request, spec, params, page, columns)
    here = request.get_full_path()
    context.update(
        rows=[row(obj, here) for obj in page.items],
        live_insert=context["list"].first_page_newest_first,
        row_url=row_url_template(row_url),
        here=here,
    )
    return context


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


def live_row(request, obj, template: str, context: Callable[[T, str], dict], *, list_url: str) -> HttpResponse:
    """The one `<tr>` of `obj` rendered by `template` with `context(obj, back)`; an empty 404 when
    `obj` is None (gone: live.js then takes the row out)."""
    if obj is None:
        return HttpResponse(status=404)
    return render(request, template, context(obj, back_to_list(request, list_url)))
