"""The busiest instances of a project (or, for an administrator, of the cloud) over a period: the
ones that used the most CPU and the most memory, read from the metric service (Gnocchi) with the
user's own token.

What it costs: two Gnocchi requests made at once beside the page's usage report, whatever the number
of instances: one search of the instance resources for the `mean` of their `cpu` (cumulative CPU time,
ns) and one for their `memory.usage` (MB). Names and vCPUs come from the usage report the page reads
anyway (Nova's), or, for an instance it does not name, from Gnocchi's resource (`display_name`).

The bucket size follows what Ceilometer's archive policies keep (`granularity_over`): minutes for a
period within the last day, hours within the last 30 days, days before. CPU % is the mean of the
per-second rates between consecutive buckets over the instance's vCPUs (`telemetry.rates`): an
instance with a single bucket in the period has no CPU figure yet; memory is the mean of the buckets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .calls import translated
from .telemetry import SERVICE, cpu_percent, iso, parse_time, rates, search_means

TOP = 5  # rows of each ranking


@dataclass(frozen=True)
class Busy:
    """One instance in a ranking: its mean CPU % or mean memory used (MB) over the period."""

    instance_id: str
    name: str
    project_id: str
    host: str
    value: float
    project_name: str = ""


@dataclass(frozen=True)
class HostUse:
    """What a compute host's measured instances used over the period, on average: vCPUs busy (CPU
    time per second) and memory (MB)."""

    host: str
    instances: int
    vcpus_busy: float
    memory_mb: float


def granularity_over(start: datetime, now: datetime | None = None) -> int:
    """The bucket to read a period starting at `start` with: the finest Ceilometer keeps that far back."""
    age = (now or datetime.now(UTC)) - start
    if age <= timedelta(days=1):
        return 60
    if age <= timedelta(days=30):
        return 3600
    return 86400


def search(project_id: str | None, start: datetime) -> dict:
    """Instance resources alive during the period (not ended before it), of the project if one is given."""
    alive = {"or": [{"=": {"ended_at": None}}, {">=": {"ended_at": iso(start)}}]}
    return {"and": [{"=": {"project_id": project_id}}, alive]} if project_id else alive


@translated(SERVICE)
def instance_means(conn, metric: str, project_id: str | None, start: datetime, stop: datetime, granularity: int):
    """Gnocchi's bucket means of `metric` for every instance resource found, with the resources
    themselves (`references`); an empty answer when Gnocchi has no such metric or resource."""
    # details: the resources come with the answer (names, projects, hosts)
    params = {
        "start": iso(start),
        "stop": iso(stop),
        "granularity": str(granularity),
        "fill": "dropna",
        "details": "true",
    }
    return search_means(conn, metric, "instance", search(project_id, start), params) or {}


def ranking_calls(conn, project_id: str | None, start: datetime, stop: datetime, now: datetime | None = None) -> dict:
    """The two Gnocchi requests, as calls for `concurrently` beside the page's own."""
    granularity = granularity_over(start, now)
    return {
        "busiest_cpu": lambda: instance_means(conn, "cpu", project_id, start, stop, granularity),
        "busiest_memory": lambda: instance_means(conn, "memory.usage", project_id, start, stop, granularity),
    }


def _series(body: dict, metric: str) -> dict[str, list[tuple[datetime, float]]]:
    """{resource id: [(time, bucket mean), ...]} of an answer."""
    found = {}
    for resource_id, per_metric in (body.get("measures") or {}).items():
        if not isinstance(per_metric, dict):
            continue
        rows = (per_metric.get(metric) or {}).get("mean") or []
        points = sorted((parse_time(t), float(v)) for t, _g, v in rows if v is not None)
        if points:
            found[resource_id] = points
    return found


def _about(body: dict) -> dict[str, dict]:
    return {r.get("id"): r for r in body.get("references") or [] if isinstance(r, dict)}


def _cpu_rates(body: dict) -> dict[str, float]:
    """{instance id: its mean CPU time per second (ns/s)} over the period; none for an instance with
    a single bucket (no rate yet)."""
    found = {}
    for resource_id, points in _series(body, "cpu").items():
        per_second = [rate for _t, rate in rates(points)]
        if per_second:
            found[resource_id] = sum(per_second) / len(per_second)
    return found


def _memory_means(body: dict) -> dict[str, float]:
    return {rid: sum(v for _t, v in points) / len(points) for rid, points in _series(body, "memory.usage").items()}


def ranked(
    body: dict,
    metric: str,
    vcpus: dict[str, int],
    names: dict[str, str],
    projects: dict[str, str] | None = None,
    top: int = TOP,
) -> list[Busy]:
    """The `top` instances by mean CPU % ("cpu") or mean memory used ("memory.usage"), highest first;
    `vcpus` and `names` by instance id (the usage report's), Gnocchi's resource otherwise; `projects`
    names the projects (an administrator's rankings across them)."""
    about = _about(body)
    if metric == "cpu":
        values = {rid: cpu_percent(rate, vcpus.get(rid) or 1) for rid, rate in _cpu_rates(body).items()}
    else:
        values = _memory_means(body)
    best = sorted(values.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [
        Busy(
            instance_id=resource_id,
            name=names.get(resource_id) or about.get(resource_id, {}).get("display_name") or resource_id,
            project_id=about.get(resource_id, {}).get("project_id") or "",
            host=about.get(resource_id, {}).get("host") or "",
            value=round(value, 1),
            project_name=(projects or {}).get(about.get(resource_id, {}).get("project_id") or "", ""),
        )
        for resource_id, value in best
    ]


def by_host(found: dict) -> list[HostUse] | Exception:
    """Each compute host's measured instances added up (Gnocchi's `host` of each instance resource),
    busiest CPU first; the failed request's CloudError when one failed."""
    cpu, memory = found.get("busiest_cpu"), found.get("busiest_memory")
    for answer in (cpu, memory):
        if isinstance(answer, Exception):
            return answer
    hosts: dict[str, dict] = {}
    about = _about(cpu or {}) | _about(memory or {})
    rates_of, memory_of = _cpu_rates(cpu or {}), _memory_means(memory or {})
    for rid in set(rates_of) | set(memory_of):
        host = hosts.setdefault(about.get(rid, {}).get("host") or "", {"n": 0, "cpu": 0.0, "memory": 0.0})
        host["n"] += 1
        host["cpu"] += rates_of.get(rid, 0.0) / 1e9
        host["memory"] += memory_of.get(rid, 0.0)
    uses = [HostUse(name, h["n"], round(h["cpu"], 2), round(h["memory"], 1)) for name, h in hosts.items()]
    return sorted(uses, key=lambda u: (-u.vcpus_busy, -u.memory_mb, u.host))


def rankings(found: dict, vcpus: dict[str, int], names: dict[str, str], projects: dict | None = None) -> dict:
    """{"cpu": [Busy] or CloudError, "memory": ...} from the answers of `ranking_calls` (a failed one is its
    CloudError, the page says it)."""
    out = {}
    for key, name, metric in (("cpu", "busiest_cpu", "cpu"), ("memory", "busiest_memory", "memory.usage")):
        answer = found.get(name)
        out[key] = answer if isinstance(answer, Exception) else ranked(answer or {}, metric, vcpus, names, projects)
    return out
