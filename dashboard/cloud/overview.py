"""A project's overview: quota gauges (compute, volume, network) and its instances counted by status.

- `first_look` is what the page itself shows: Nova's limits alone (one call, the page's floor);
  the rest is marked pending and follows in the live partial.
- `project_overview` serves the partial and primes the live poller (dashboard.live.pollers), so
  they show the same figures. It costs 4 calls, made at once: Nova's limits and the project's
  usage report of the last minute (required: one call whatever the number of instances, which
  names every instance with its state), Cinder's limits and Neutron's quota (optional: a failing
  or slow service leaves its gauges "not known yet" and is named in `missing`). No call lists the
  project's servers; the poller then follows their changes (`changes-since`) instead.

A gauge is a plain dict: key, label, used (None: not known), limit (None: unlimited), unit, percent.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext_noop as N_

from .calls import concurrently, translated
from .errors import CloudError, SessionExpired
from .usage import project_usage

# (key, label, unit) of the gauges of the optional services. Labels stay English in the data (the
# pollers keep it in Redis as JSON): marked with gettext_noop, translated by the template.
VOLUME_GAUGES = (("volumes", N_("Volumes"), ""), ("gigabytes", N_("Volume storage"), N_("GB")))
NETWORK_GAUGES = (
    ("floating_ips", N_("Floating IPs"), ""),
    ("networks", N_("Networks"), ""),
    ("security_groups", N_("Security groups"), ""),
)
OPTIONAL = {"volume": VOLUME_GAUGES, "network": NETWORK_GAUGES}


def gauge(key: str, label: str, used, limit, unit: str = "") -> dict:
    used = used or 0
    limit = None if limit is None or limit < 0 else limit
    percent = 0 if not limit else min(100, round(100 * used / limit))
    return {"key": key, "label": label, "used": used, "limit": limit, "unit": unit, "percent": percent}


def unknown(key: str, label: str, unit: str = "") -> dict:
    return {"key": key, "label": label, "used": None, "limit": None, "unit": unit, "percent": 0}


@translated("compute")
def compute_gauges(conn) -> list[dict]:
    c = conn.compute.get_limits().absolute
    return [
        gauge("instances", N_("Instances"), c.instances_used, c.instances),
        gauge("cores", N_("vCPUs"), c.total_cores_used, c.total_cores),
        gauge("ram", N_("RAM"), c.total_ram_used, c.total_ram, N_("MB")),
    ]


@translated("volume")
def volume_gauges(conn) -> list[dict]:
    a = conn.block_storage.get_limits().absolute
    return [
        gauge("volumes", N_("Volumes"), a.total_volumes_used, a.max_total_volumes),
        gauge("gigabytes", N_("Volume storage"), a.total_gigabytes_used, a.max_total_volume_gigabytes, N_("GB")),
    ]


@translated("network")
def network_gauges(conn, project_id: str) -> list[dict]:
    quota = conn.network.get_quota(project_id, details=True)
    gauges = []
    for key, label, _unit in NETWORK_GAUGES:
        q = getattr(quota, key, None) or {}
        gauges.append(gauge(key, label, q.get("used", 0), q.get("limit")))
    return gauges


# Nova's vm_state (what usage reports say) -> the status its API shows
STATUS_OF_VM_STATE = {
    "active": "ACTIVE",
    "building": "BUILD",
    "stopped": "SHUTOFF",
    "paused": "PAUSED",
    "suspended": "SUSPENDED",
    "shelved": "SHELVED",
    "shelved_offloaded": "SHELVED_OFFLOADED",
    "resized": "VERIFY_RESIZE",
    "rescued": "RESCUE",
    "error": "ERROR",
    "soft-delete": "SOFT_DELETED",
}


@translated("compute")
def server_statuses(conn, project_id: str) -> dict[str, str]:
    """{instance id: status} of the project's instances now, from one usage report of the last
    minute (paged by Nova at 1000 instances), not from a listing of every server's details."""
    now = datetime.now(UTC)
    usage = project_usage(conn, project_id, now - timedelta(minutes=1), now)
    return {
        s.instance_id: STATUS_OF_VM_STATE.get(s.state, (s.state or "unknown").upper())
        for s in usage.servers
        if s.ended_at is None and s.state not in ("deleted", "terminated")
    }


def count_statuses(statuses) -> dict[str, int]:
    return dict(sorted(Counter(statuses).items()))


@translated("compute")
def status_counts(conn, project_id: str) -> dict[str, int]:
    """The project's instances counted by status (one usage report)."""
    return count_statuses(server_statuses(conn, project_id).values())


def first_look(gauges: list[dict]) -> dict:
    """The overview as the page shows it before the rest arrives: the compute gauges, the others
    and the counts pending."""
    pending = [unknown(*g) for spec in OPTIONAL.values() for g in spec]
    return {"gauges": gauges + pending, "counts": None, "total": None, "missing": [], "pending": True}


_optional_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="overview")
_pending: dict[tuple[str, str], Future] = {}


def _optional(project_id: str, service: str, fn) -> Future:
    """A call to a service that may be slow; while one is still running for the project, reuse it."""
    future = _pending.get((project_id, service))
    if future is None or future.done():
        future = _optional_pool.submit(fn)
        _pending[(project_id, service)] = future
    return future


@translated("compute")
def project_overview(conn, project_id: str, optional_wait: float | None = None, statuses=None) -> dict:
    """{"gauges": [...], "counts": {status: n}, "total": n, "missing": [service, ...]}: 4 calls at once.

    Volume and network quotas are optional: a failing service leaves its gauges unknown (used
    None), and with `optional_wait` (pages) a slow one is not waited for longer than that; the
    live overview fills them in when they come. `statuses` (the poller's) replaces the usage
    report as the source of {instance id: status}.
    """
    slow = {
        "volume": _optional(project_id, "volume", lambda: volume_gauges(conn)),
        "network": _optional(project_id, "network", lambda: network_gauges(conn, project_id)),
    }
    data = concurrently(
        {
            "compute": lambda: compute_gauges(conn),
            "statuses": statuses or (lambda: server_statuses(conn, project_id)),
        }
    )
    wait(slow.values(), timeout=optional_wait)
    gauges = list(data["compute"])
    missing = []
    for name, future in slow.items():
        found = None
        if future.done():
            try:
                found = future.result()
            except (CloudError, SessionExpired):
                found = None
        if found is None:
            missing.append(name)
            found = [unknown(*g) for g in OPTIONAL[name]]
        gauges += found
    return with_statuses({"gauges": gauges, "missing": missing}, data["statuses"])


def with_statuses(overview: dict, statuses: dict[str, str]) -> dict:
    """The overview with its counts by status from {instance id: status}."""
    counts = count_statuses(statuses.values())
    return {**overview, "counts": counts, "total": sum(counts.values())}
