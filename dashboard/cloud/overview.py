"""A project's overview: quota gauges (compute, volume, network) and its instances counted by status.

One function, `project_overview`, serves the overview page, its live partial and the live poller
(dashboard.live.pollers), so they all show the same figures. It costs 4 calls, made at once:
Nova's limits and server list (required), Cinder's limits and Neutron's quota (optional: a
failing or slow service leaves its gauges "not known yet" and is named in `missing`).

A gauge is a plain dict: key, label, used (None: not known), limit (None: unlimited), unit, percent.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor, wait

from .calls import concurrently, translated
from .errors import CloudError, SessionExpired

# (key, label, unit) of the gauges of the optional services
VOLUME_GAUGES = (("volumes", "Volumes", ""), ("gigabytes", "Volume storage", "GB"))
NETWORK_GAUGES = (
    ("floating_ips", "Floating IPs", ""),
    ("networks", "Networks", ""),
    ("security_groups", "Security groups", ""),
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
        gauge("instances", "Instances", c.instances_used, c.instances),
        gauge("cores", "vCPUs", c.total_cores_used, c.total_cores),
        gauge("ram", "RAM", c.total_ram_used, c.total_ram, "MB"),
    ]


@translated("volume")
def volume_gauges(conn) -> list[dict]:
    a = conn.block_storage.get_limits().absolute
    return [
        gauge("volumes", "Volumes", a.total_volumes_used, a.max_total_volumes),
        gauge("gigabytes", "Volume storage", a.total_gigabytes_used, a.max_total_volume_gigabytes, "GB"),
    ]


@translated("network")
def network_gauges(conn, project_id: str) -> list[dict]:
    quota = conn.network.get_quota(project_id, details=True)
    gauges = []
    for key, label, _unit in NETWORK_GAUGES:
        q = getattr(quota, key, None) or {}
        gauges.append(gauge(key, label, q.get("used", 0), q.get("limit")))
    return gauges


@translated("compute")
def status_counts(conn) -> dict[str, int]:
    """The project's instances counted by status (every page of Nova's list)."""
    counts = Counter((s.status or "UNKNOWN") for s in conn.compute.servers(details=True))
    return dict(sorted(counts.items()))


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
def project_overview(conn, project_id: str, optional_wait: float | None = None) -> dict:
    """{"gauges": [...], "counts": {status: n}, "total": n, "missing": [service, ...]}: 4 calls at once.

    Volume and network quotas are optional: a failing service leaves its gauges unknown (used
    None), and with `optional_wait` (pages) a slow one is not waited for longer than that; the
    live overview fills them in when they come.
    """
    slow = {
        "volume": _optional(project_id, "volume", lambda: volume_gauges(conn)),
        "network": _optional(project_id, "network", lambda: network_gauges(conn, project_id)),
    }
    data = concurrently({"compute": lambda: compute_gauges(conn), "counts": lambda: status_counts(conn)})
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
    counts = data["counts"]
    return {"gauges": gauges, "counts": counts, "total": sum(counts.values()), "missing": missing}
