"""A project's overview: quota gauges (compute, volume, network) and its instances counted by status.

`get_project_overview` serves the page, its live partial and the live poller (dashboard.live.pollers),
so they show the same figures. It costs 5 calls, made at once, whatever the number of instances:
- required: Nova's limits (the compute gauges, and `totalInstancesUsed`: how many instances the
  project holds) and two listings of the instances that are not plainly ACTIVE (`unsettled`), read
  whole but holding only the instances in another state, usually few. The ACTIVE count is the
  rest: Nova's quota counts every instance but the soft-deleted ones.
- optional: Cinder's limits and Neutron's quota; a failing or slow service leaves its gauges "not
  known yet" and is named in `missing`.
No call lists every server or reads a usage report (which leaves out the instances never launched:
building, or failed before a host took them). The poller's counts come from the statuses it
follows (`changes-since`), first read with `get_server_statuses`.

A gauge is a plain dict: key, label, used (None: not known), limit (None: unlimited), unit, percent.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext_noop as N_

from .calls import concurrently, raw_list, translated
from .errors import CloudError, SessionExpired
from .usage import get_project_usage

# (key, label, unit) of the gauges of the optional services. Labels stay English in the data (the
# pollers keep it in Redis as JSON): marked with gettext_noop, translated by the template.
VOLUME_GAUGES = (("volumes", N_("Volumes"), ""), ("gigabytes", N_("Volume storage"), "GiB"))
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
def get_compute_gauges(conn) -> list[dict]:
    c = conn.compute.get_limits().absolute
    return [
        gauge("instances", N_("Instances"), c.instances_used, c.instances),
        gauge("cores", N_("vCPUs"), c.total_cores_used, c.total_cores),
        gauge("ram", N_("RAM"), c.total_ram_used, c.total_ram, "MiB"),
    ]


@translated("volume")
def get_volume_gauges(conn) -> list[dict]:
    a = conn.block_storage.get_limits().absolute
    return [
        gauge("volumes", N_("Volumes"), a.total_volumes_used, a.max_total_volumes),
        gauge("gigabytes", N_("Volume storage"), a.total_gigabytes_used, a.max_total_volume_gigabytes, "GiB"),
    ]


@translated("network")
def get_network_gauges(conn, project_id: str) -> list[dict]:
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


# Nova's listing asked for several statuses filters on the vm_states behind them, and also on their
# task_states unless one of them is a vm_state's plain status. Every instance that is not plainly
# ACTIVE is then in one of two listings:
# - every vm_state but active, whatever the task (plain statuses among them: the vm_state alone);
OTHER_STATES = (
    "BUILD",
    "SHUTOFF",
    "VERIFY_RESIZE",
    "PAUSED",
    "SUSPENDED",
    "RESCUE",
    "ERROR",
    "SOFT_DELETED",
    "SHELVED",
    "SHELVED_OFFLOADED",
)
# - the statuses of an active vm_state with a task (Nova shows vm_state active without one, or with
#   any other task, as ACTIVE); they also match some instances of the first listing (a stopped one
#   being resized), counted once.
ACTIVE_TASKS = ("REBOOT", "HARD_REBOOT", "PASSWORD", "REBUILD", "MIGRATING", "RESIZE")
# what Nova's quota does not count among a project's instances
NOT_COUNTED = ("SOFT_DELETED",)


def _unsettled_calls(conn) -> dict:
    """The two listings of the project's instances that are not plainly ACTIVE, as calls to run at
    once with others: each gives {instance id: status}."""

    def listing(statuses):
        return lambda: {
            s["id"]: s.get("status") or "UNKNOWN"
            for s in raw_list(conn, "compute", "/servers/detail", "servers", {"status": list(statuses)})
        }

    return {"other_states": listing(OTHER_STATES), "active_tasks": listing(ACTIVE_TASKS)}


UNSETTLED = ("other_states", "active_tasks")  # the names of _unsettled_calls's calls


def counts_from(instances_used: int | None, unsettled: dict[str, str]) -> dict[str, int]:
    """{status: n}: the unsettled instances by their status, and ACTIVE the rest of those Nova's
    quota counts (`instances_used`). The two are read at once, not at the same instant: an instance
    that changed in between cannot make ACTIVE negative."""
    counts = Counter(unsettled.values())
    counted = sum(n for status, n in counts.items() if status not in NOT_COUNTED)
    active = (instances_used or 0) - counted
    if active > 0:
        counts["ACTIVE"] += active
    return count_statuses(counts.elements())


@translated("compute")
def get_server_statuses(conn, project_id: str) -> dict[str, str]:
    """{instance id: status} of the project's instances now, for the poller to follow: every
    instance a usage report of the last minute names as still there (paged by Nova at 1000), with
    the status of the unsettled listings where they have it (the usage report gives a vm_state
    without its task, and leaves out the instances never launched). 3 calls at once; no listing of
    every server's details."""
    now = datetime.now(UTC)
    calls = {"usage": lambda: get_project_usage(conn, project_id, now - timedelta(minutes=1), now)}
    found = concurrently({**calls, **_unsettled_calls(conn)}, services=dict.fromkeys(UNSETTLED, "compute"))
    statuses = {
        s.instance_id: STATUS_OF_VM_STATE.get(s.state, (s.state or "unknown").upper())
        for s in found["usage"].servers
        if s.ended_at is None and s.state not in ("deleted", "terminated")
    }
    return statuses | found["other_states"] | found["active_tasks"]


def count_statuses(statuses) -> dict[str, int]:
    return dict(sorted(Counter(statuses).items()))


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
def get_project_overview(conn, project_id: str, optional_wait: float | None = None, statuses=None) -> dict:
    """{"gauges": [...], "counts": {status: n}, "total": n, "missing": [service, ...]}: 5 calls at once.

    Volume and network quotas are optional: a failing service leaves its gauges unknown (used
    None), and with `optional_wait` (pages) a slow one is not waited for longer than that; the
    live overview fills them in when they come. `statuses` (the poller's: a call giving
    {instance id: status}) replaces the two listings of unsettled instances.
    """
    slow = {
        "volume": _optional(project_id, "volume", lambda: get_volume_gauges(conn)),
        "network": _optional(project_id, "network", lambda: get_network_gauges(conn, project_id)),
    }
    calls = {"compute": lambda: get_compute_gauges(conn)}
    calls.update({"statuses": statuses} if statuses else _unsettled_calls(conn))
    data = concurrently(calls, services=dict.fromkeys(calls, "compute"))
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
    overview = {"gauges": gauges, "missing": missing}
    if statuses:
        return with_statuses(overview, data["statuses"])
    instances = next(g for g in gauges if g["key"] == "instances")
    counts = counts_from(instances["used"], data["other_states"] | data["active_tasks"])
    return {**overview, "counts": counts, "total": sum(counts.values())}


def with_statuses(overview: dict, statuses: dict[str, str]) -> dict:
    """The overview with its counts by status from {instance id: status}."""
    counts = count_statuses(statuses.values())
    return {**overview, "counts": counts, "total": sum(counts.values())}
