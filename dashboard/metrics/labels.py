"""Label values, each from a fixed set: what a request, a task or a socket is counted under.

Never a path, a query, a user name, a project or a resource id: a label value that came from a
request would let anyone add series to the metrics (and would put ids in them). A request is
counted under its view's URL name ("instances:detail"), or its route pattern when the URL has
none ("project/instances/<str:server_id>/"), both written in Zenith's code.
"""

from __future__ import annotations

from django.urls import Resolver404, resolve

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
STATIC = "static"  # files under STATIC_URL (whitenoise answers them before any view)
UNMATCHED = "unmatched"  # no URL of Zenith's: a 404 before any view
TASK_STATES = frozenset({"success", "failure", "retry", "ignored", "rejected", "revoked"})  # and "lost"
OTHER = "other"


def view_of(match) -> str:
    """A resolved URL's label: its namespaced URL name, else its route pattern."""
    if match.url_name:
        return match.view_name
    return match.route or "/"  # the root's pattern is ""


def view_label(match, path: str, static_url: str = "/static/") -> str:
    """The view a request is counted under. `match` is the request's resolver match (None when no
    view was reached: a static file, a redirect to login, a refusal ahead of the views), then the
    path is resolved here, to name the view it was for; a path no URL matches is UNMATCHED."""
    if match is not None:
        return view_of(match)
    if static_url and path.startswith(static_url):
        return STATIC
    try:
        return view_of(resolve(path))
    except Resolver404:
        return UNMATCHED


def method_label(method: str | None) -> str:
    method = (method or "").upper()
    return method if method in METHODS else OTHER


def status_label(status: int) -> str:
    return str(status) if 100 <= status <= 599 else OTHER


def task_outcome(state: str | None) -> str:
    """A Celery task's outcome label: its final state (success, failure, retry...), lower case."""
    state = (state or "").lower()
    return state if state in TASK_STATES else OTHER
