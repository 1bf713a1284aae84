"""The one place Zenith talks to OpenStack: no openstacksdk call is made anywhere else.

One module per resource, named after what it holds (its docstring says what a page costs in calls):
- Nova: `instances` (servers: the list, one, the names), `instance_actions` (the table of what
  each state allows, and the actions), `instance_logs` (action log, console, diagnostics),
  `flavors`, `keypairs`, `scheduling` (availability zones, server groups), `launch` (what the
  launch page reads, and the create call) and `launch_rules` (what a launch must pass, no call),
  `hypervisors`, `usage`;
- Cinder: `volumes`, `volume_actions` (the table of what each volume state allows, and the
  actions), `snapshots`, `backups`, `transfers`, `volume_types` (types, QoS specs, zones, limits);
- Glance: `images`; Swift: `containers`, `objects` (and folders), `object_uploads` (streamed),
  `object_names` (Swift's rules for names, no call);
- Neutron: `networks` (and subnets), `ports` (an instance's, the free ones, the panels'),
  `routers`, `floatingips`, `secgroups`, `topology`;
- Keystone: `identity` (administration); `keystone` and `sessions` log in and build connections;
- Gnocchi (service type `metric`): `telemetry` (an instance's CPU, memory, disk and network over
  time, as Ceilometer measured them), `busiest` (the instances that used the most CPU and memory
  over a period);
- across services: `quotas` (and the limits a launch reads), `overview` (a project's quota
  gauges and instance counts, for its page and its live poller);
- the plumbing: `calls` (translated and concurrent calls), `errors`, `paging` (any list by
  marker), `actions` (what an action is), `bulkhead`, `secrets`; `api` and `middleware` answer
  a CloudError to the JSON API and to the pages.
The websocket pollers (dashboard.live) call these modules' functions too, with a watcher's stored
credentials.

The calling convention, everywhere:
- Every public function takes the connection first (`connection(request)` for pages and the API,
  `sessions.connection_for(credentials)` for pollers and uploads; `credentials.Credentials` is the
  user's tokens, project and region) and translates its own errors: it raises only `CloudError` (a
  message a user can act on, with a `kind` to branch on) or `SessionExpired`.
  The `@translated(service, not_found=...)` decorator does this (`not_found`: the whole translated
  sentence a 404 says); views never wrap calls themselves.
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
    """The openstacksdk connection for the logged-in user's current project (one per request).

    It acts with `request.keystone`, the user's `Credentials` the web layer puts on the request:
    the session's (dashboard.accounts.middleware) or an API key's (dashboard.accounts.api)."""
    # kept on Django's own request (DRF wraps it) for the request's later calls. Nothing is closed
    # after the response: every connection sends through the process's one pool of HTTP connections,
    # kept open between requests (sessions.shared_http)
    request = getattr(request, "_request", request)
    conn = getattr(request, "_cloud_connection", None)
    if conn is None:
        from .sessions import connection_for

        credentials = getattr(request, "keystone", None)
        if credentials is None or not credentials.token:
            raise SessionExpired()
        conn = connection_for(credentials)
        request._cloud_connection = conn
    return conn
