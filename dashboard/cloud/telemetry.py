"""An instance's usage over time, read from the cloud's metric service (Gnocchi, service type
`metric`), with the user's own token: Gnocchi shows a member only their project's resources.

What Ceilometer stores there, per instance (its resource types and metric names):
- `cpu` (cumulative CPU time in ns) and `memory.usage` (MB) on the `instance` resource itself;
- `disk.device.read.bytes` / `disk.device.write.bytes` (cumulative) on its `instance_disk`
  resources, and `network.incoming.bytes` / `network.outgoing.bytes` (cumulative) on its
  `instance_network_interface` resources, both found by their `instance_id`.

Each series is one `POST /v1/aggregates` naming the resource type and the search, asking for the
`mean` of each bucket (an aggregation every archive policy keeps); rates are worked out here from
consecutive buckets (`rates`): per resource first, then summed over the instance's disks or
interfaces at each moment, so a counter reset (a reboot) or a gap never shows as a spike.
CPU % is the CPU time's rate over the instance's vCPUs (`cpu_percent`).

What a view costs: one Gnocchi request per series, all made concurrently (`read_series`), beside
the instance's own read from Nova (its vCPUs, and a 404 for another project's instance). Whether the
cloud has a metric service at all is read from the token's catalog: no call (`offered`).

Ranges (`RANGES`) follow Ceilometer's archive policies (1 min for a day, 1 h for 30 days, 1 d for a
year): without a granularity asked for, every granularity Gnocchi keeps for the period comes back
and the one the range prefers is kept (`pick_granularity`), so another archive policy still draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from keystoneauth1.adapter import Adapter
from openstack import exceptions as sdk_exc

from .calls import concurrently, raw_check, translated

SERVICE = "metric"


@dataclass(frozen=True)
class Series:
    """One series Zenith shows: which Gnocchi metric, on which resources, and how it is turned into
    the numbers drawn ("cpu": % of the vCPUs, "rate": per second, "gauge": as stored)."""

    name: str  # Zenith's name, as the API takes it
    metric: str
    resource_type: str
    by: str  # the resource attribute holding the instance's id
    kind: str
    unit: str


SERIES = {
    s.name: s
    for s in (
        Series("cpu", "cpu", "instance", "id", "cpu", "%"),
        Series("memory", "memory.usage", "instance", "id", "gauge", "MB"),
        Series("disk.read", "disk.device.read.bytes", "instance_disk", "instance_id", "rate", "B/s"),
        Series("disk.write", "disk.device.write.bytes", "instance_disk", "instance_id", "rate", "B/s"),
        Series("net.in", "network.incoming.bytes", "instance_network_interface", "instance_id", "rate", "B/s"),
        Series("net.out", "network.outgoing.bytes", "instance_network_interface", "instance_id", "rate", "B/s"),
    )
}


@dataclass(frozen=True)
class Range:
    name: str
    seconds: int
    granularity: int  # the bucket the range prefers, in seconds
    label: object


RANGES = {
    r.name: r
    for r in (
        Range("hour", 3600, 60, gettext_lazy("Last hour")),
        Range("day", 86400, 60, gettext_lazy("Last day")),
        Range("week", 7 * 86400, 3600, gettext_lazy("Last week")),
        Range("month", 30 * 86400, 3600, gettext_lazy("Last month")),
    )
}
DEFAULT_RANGE = "hour"
LONGEST = timedelta(days=366)


@dataclass
class Measures:
    """One series over a period: `points` are [ISO time, value]; `missing` says Gnocchi has no such
    metric for the instance (no disk or interface resource yet, or no measure ever sent)."""

    series: Series
    granularity: int | None
    points: list[list] = field(default_factory=list)
    missing: bool = False

    def as_dict(self) -> dict:
        return {
            "metric": self.series.name,
            "unit": self.series.unit,
            "granularity": self.granularity,
            "points": self.points,
        }


# --- pure logic ----------------------------------------------------------------------------------


def granularity_for(seconds: float) -> int:
    """The bucket a period of `seconds` is drawn with: 1 min up to a day, 1 h up to 30 days, else 1 d."""
    if seconds <= 86400:
        return 60
    if seconds <= 30 * 86400:
        return 3600
    return 86400


def period(range_name: str, now: datetime | None = None) -> tuple[datetime, datetime, int]:
    """(start, stop, preferred granularity) of a named range ending now."""
    spec = RANGES.get(range_name) or RANGES[DEFAULT_RANGE]
    stop = (now or datetime.now(UTC)).astimezone(UTC)
    return stop - timedelta(seconds=spec.seconds), stop, spec.granularity


def parse_time(value: str) -> datetime:
    """An ISO 8601 time as Gnocchi writes it (or a user types it); naive means UTC. ValueError if not one."""
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def pick_granularity(available: list[float], preferred: int) -> float | None:
    """The granularity to draw: the preferred one if Gnocchi kept it, else the finest coarser one,
    else the coarsest finer one (None when there is nothing)."""
    if not available:
        return None
    if preferred in available:
        return preferred
    coarser = [g for g in available if g > preferred]
    return min(coarser) if coarser else max(available)


def rates(points: list[tuple[datetime, float]]) -> list[tuple[datetime, float]]:
    """Per-second rates of a cumulative counter's buckets, at each bucket after the first; a drop
    (the counter restarted: a reboot, a migration) gives no point rather than a negative one."""
    out = []
    for (t0, v0), (t1, v1) in zip(points, points[1:], strict=False):
        seconds = (t1 - t0).total_seconds()
        if seconds <= 0 or v1 < v0:
            continue
        out.append((t1, (v1 - v0) / seconds))
    return out


def cpu_percent(ns_per_second: float, vcpus: int) -> float:
    """CPU % of the instance from its CPU time's rate (ns of CPU per second), over its vCPUs; 0-100."""
    if vcpus <= 0:
        vcpus = 1
    return max(0.0, min(100.0, ns_per_second / (1e9 * vcpus) * 100.0))


def summed(per_resource: list[list[tuple[datetime, float]]]) -> list[tuple[datetime, float]]:
    """Several resources' series added up at each moment (an instance's disks, its interfaces)."""
    total: dict[datetime, float] = {}
    for points in per_resource:
        for moment, value in points:
            total[moment] = total.get(moment, 0.0) + value
    return sorted(total.items())


def shaped(series: Series, per_resource: list[list[tuple[datetime, float]]], vcpus: int) -> list[list]:
    """The points drawn for a series from its resources' bucket means: [[ISO time, value], ...]."""
    if series.kind == "gauge":
        values = summed(per_resource)
    else:
        values = summed([rates(points) for points in per_resource])
        if series.kind == "cpu":
            values = [(moment, cpu_percent(value, vcpus)) for moment, value in values]
    return [[iso(moment), round(value, 2)] for moment, value in values]


def bucket_means(body: dict, metric: str) -> dict[float, list[list[tuple[datetime, float]]]]:
    """Gnocchi's answer to an aggregates search ({"measures": {resource id: {metric: {"mean":
    [[time, granularity, value], ...]}}}}), as {granularity: [one series per resource]}."""
    found: dict[float, list[list[tuple[datetime, float]]]] = {}
    for per_metric in (body.get("measures") or {}).values():
        if not isinstance(per_metric, dict):
            continue
        rows = (per_metric.get(metric) or {}).get("mean") or []
        by_granularity: dict[float, list[tuple[datetime, float]]] = {}
        for moment, granularity, value in rows:
            if value is None:
                continue
            by_granularity.setdefault(float(granularity), []).append((parse_time(moment), float(value)))
        for granularity, points in by_granularity.items():
            found.setdefault(granularity, []).append(sorted(points))
    return found


def measures_from(series: Series, body: dict | None, preferred: int, vcpus: int) -> Measures:
    """The series drawn from Gnocchi's answer (None: it has no such metric for the instance)."""
    if body is None:
        return Measures(series, preferred, missing=True)
    found = bucket_means(body, series.metric)
    granularity = pick_granularity(sorted(found), preferred)
    if granularity is None:
        return Measures(series, preferred)
    return Measures(series, int(granularity), shaped(series, found[granularity], vcpus))


# --- the service ---------------------------------------------------------------------------------


def offered(conn) -> bool:
    """Whether the cloud's catalog has a metric service in the connection's region (no call)."""
    try:
        catalog = conn.session.auth.auth_ref.service_catalog
        region = getattr(conn.config, "region_name", None) or None
        return bool(catalog.get_endpoints(service_type=SERVICE, interface="public", region_name=region).get(SERVICE))
    except Exception:  # noqa: BLE001 - no catalog to read (no token): nothing offered
        return False


def _adapter(conn) -> Adapter:
    return Adapter(
        session=conn.session,
        service_type=SERVICE,
        interface="public",
        region_name=getattr(conn.config, "region_name", None) or None,
    )


# Gnocchi's words for "this instance has no such metric (or resource type) here": an empty series
NOTHING_THERE = ("Metrics not found", "Resource type", "does not exist")


def _gnocchi_text(response) -> str:
    """Gnocchi's own explanation of an error answer: {"description": {"cause", "reason", "detail"}}."""
    try:
        body = response.json()
    except ValueError:
        return (response.text or "").strip()[:300]
    description = body.get("description", body) if isinstance(body, dict) else body
    if isinstance(description, dict):
        parts = [str(description.get(k)) for k in ("cause", "reason", "detail") if description.get(k)]
        return ": ".join(parts)[:300]
    return str(description)[:300]


@translated(SERVICE)
def search_means(conn, metric: str, resource_type: str, search: dict, params: dict) -> dict | None:
    """`POST /v1/aggregates`: the bucket means of `metric` on the resources `search` finds, with
    `params` (start, stop, granularity...): Gnocchi's JSON, or None when it has no such metric there.
    The one request of this module and of `busiest`."""
    body = {"operations": f"(metric {metric} mean)", "resource_type": resource_type, "search": search}
    response = _adapter(conn).post(
        "/v1/aggregates", params=params, json=body, headers={"Accept": "application/json"}, raise_exc=False
    )
    if response.status_code in (400, 404):
        text = _gnocchi_text(response)
        if any(words in text for words in NOTHING_THERE):
            return None
        raise sdk_exc.HttpException(message=text, response=response, details=text, http_status=response.status_code)
    raw_check(response)
    return response.json() if response.content else {}


@translated(SERVICE)
def aggregates(
    conn, series: Series, instance_id: str, start: datetime, stop: datetime, granularity: int | None = None
) -> dict | None:
    """One series' bucket means for the instance's resources over [start, stop] (every granularity
    Gnocchi keeps, or the one asked for): Gnocchi's JSON, or None when it has no such metric."""
    params = {"start": iso(start), "stop": iso(stop), "fill": "dropna"}
    if granularity:
        params["granularity"] = str(granularity)
    return search_means(conn, series.metric, series.resource_type, {"=": {series.by: instance_id}}, params)


def series_calls(
    conn, instance_id: str, names: list[str], start: datetime, stop: datetime, granularity: int | None = None
) -> dict:
    """The named series' Gnocchi requests, one each, as calls for `concurrently` (a page makes them
    beside its own; their results go through `shape_all`)."""
    return {name: _series_call(conn, SERIES[name], instance_id, start, stop, granularity) for name in names}


def shape_all(found: dict, names: list[str], preferred: int, vcpus: int) -> dict:
    """`found` (the answers of `series_calls`, a failed one as its CloudError) with each series
    shaped into Measures, in place."""
    for name in names:
        if not isinstance(found[name], Exception):
            found[name] = measures_from(SERIES[name], found[name], preferred, vcpus)
    return found


@translated(SERVICE)
def read_series(
    conn,
    instance_id: str,
    names: list[str],
    start: datetime,
    stop: datetime,
    preferred: int,
    vcpus,
    granularity: int | None = None,
    extra: dict | None = None,
) -> dict:
    """The named series of an instance over [start, stop], each one Gnocchi request, all made at once
    beside `extra` calls (the instance's read from Nova): {name: Measures or CloudError, **extra}.

    `vcpus` is the instance's count of vCPUs, or a function of the answers giving it (from Nova's
    read among `extra`). A series Gnocchi fails to give comes back as its CloudError (the others
    still draw); a failing `extra` call raises."""
    calls = series_calls(conn, instance_id, names, start, stop, granularity)
    found = concurrently({**calls, **(extra or {})}, optional=tuple(calls))
    return shape_all(found, names, granularity or preferred, vcpus(found) if callable(vcpus) else vcpus)


def _series_call(conn, series: Series, instance_id: str, start: datetime, stop: datetime, granularity: int | None):
    return lambda: aggregates(conn, series, instance_id, start, stop, granularity)


def unavailable_message() -> str:
    """What a page says where the cloud has no metric service."""
    return _("This cloud offers no metric service (Gnocchi), so there are no usage charts for instances.")
