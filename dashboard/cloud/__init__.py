"""The one place Zenith talks to OpenStack: no openstacksdk call is made anywhere else.

One module per service, named after what it serves: `instances` (Nova servers, their actions and
the table of what each state allows), `images` (Glance), `network` (Neutron), `volumes` (Cinder),
`identity` (Keystone administration), `quotas`, `usage`, `hypervisors`, `launch`; `overview` (a
project's quota gauges and instance counts, for its page and its live poller); `keystone` and
`sessions` log in and build connections; `paging` pages any list by marker. The websocket pollers
(dashboard.live) call these modules' functions too, with a watcher's stored credentials.

The calling convention, everywhere:
- Every public function takes the connection first (`connection(request)` for pages and the API,
  a watcher's stored credentials for pollers) and translates its own errors: it raises only
  `CloudError` (a message a user can act on, with a `kind` to branch on) or `SessionExpired`.
  The `@translated(service, what)` decorator does this; views never wrap calls themselves.
- `concurrently({...})` runs a page's independent calls at once; `optional=` names the parts a
  page can do without (their CloudError comes back as the result).
- Raw REST calls (a path the SDK lacks, a microversion) go through `calls.raw` / `calls.raw_json`,
  which raise on an HTTP error status like any SDK call.
- Functions return Zenith's own plain objects (dataclasses, or plain dicts of a raw JSON body),
  never SDK resources, to views, templates, forms and the API.
"""

from .calls import call, concurrently
from .errors import CloudError, SessionExpired, translate

__all__ = ["CloudError", "SessionExpired", "call", "concurrently", "connection", "translate"]


def connection(request):
    """The openstacksdk connection for the logged-in user's current project (one per request)."""
    # kept on Django's own request (DRF wraps it) so the middleware can close it after the response
    request = getattr(request, "_request", request)
    conn = getattr(request, "_cloud_connection", None)
    if conn is None:
        from .sessions import connection_from_stored

        # an API key's request carries its own credentials (dashboard.accounts.apikeys), no session
        stored = getattr(request, "api_key_stored", None) or request.session.get("keystone")
        if not stored or not stored.get("token"):
            raise SessionExpired()
        conn = connection_from_stored(stored)
        request._cloud_connection = conn
    return conn
