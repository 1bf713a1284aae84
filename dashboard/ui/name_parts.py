"""Parts a page loads after it (htmx, hx-trigger="load"): what a page does not wait for.

Lists print the names of other services' resources with their rows (ui.rows.list_page's `also`:
calls independent of the rows, made at once with the page's); what is left to load after a page is
what depends on its rows and costs more than the page should wait for (the identity lists' role
assignments, a form's choices), or what only some users open. Such a part's view is marked with
`part_of`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpResponseRedirect
from django.urls import reverse


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
