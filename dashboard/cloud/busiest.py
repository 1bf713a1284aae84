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

from openstack import exceptions as sdk_exc

from .calls import raw_check, translated
from .telemetry import NOTHING_THERE, SERVICE, _adapter, _gnocchi_text, cpu_percent, iso, parse_time, rates

TOP = 5  # rows of each ranking


@dataclass(frozen=True)
class Busy:
    """One instance in a ranking: its mean CPU % or mean memory used (MB) over the period."""

    instance_id: str
    name: str
    project_id: str
    host: str
    value: float


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
    params = {"start": iso(start), "stop": iso(stop), "granularity": str(granularity), "fill": "dropna"}
    body = {"operations": f"(metric {metric} mean)", "resource_type": "instance", "search": search(project_id, start)}
    response = _adapter(conn).post(
        "/v1/aggregates", params=params, json=body, headers={"Accept": "application/json"}, raise_exc=False
    )
    if response.status_code in (400, 404):
        text = _gnocchi_text(response)
        if any(words in text for words in NOTHING_THERE):
            return {}
        raise sdk_exc.HttpException(message=text, response=response, details=text, http_status=response.status_code)
    raw_check(response)
    return response.json() if response.content else {}


def calls(conn, project_id: str | None, start: datetime, stop: datetime, now: datetime | None = None) -> dict:
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


def ranked(body: dict, metric: str, vcpus: dict[str, int], names: dict[str, str], top: int = TOP) -> list[Busy]:
    """The `top` instances by mean CPU % ("cpu") or mean memory used ("memory.usage"), highest first;
    `vcpus` and `names` by instance id (the usage report's), Gnocchi's resource otherwise."""
    about = _about(body)
    values = {}
    for resource_id, points in _series(body, metric).items():
        if metric == "cpu":
            per_second = [rate for _t, rate in rates(points)]
            if not per_second:
                continue  # one bucket: no rate yet
            values[resource_id] = cpu_percent(sum(per_second) / len(per_second), vcpus.get(resource_id) or 1)
        else:
            values[resource_id] = sum(v for _t, v in points) / len(points)
    best = sorted(values.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [
        Busy(
            instance_id=resource_id,
            name=names.get(resource_id) or about.get(resource_id, {}).get("display_name") or resource_id,
            project_id=about.get(resource_id, {}).get("project_id") or "",
            host=about.get(resource_id, {}).get("host") or "",
            value=round(value, 1),
        )
        for resource_id, value in best
    ]


def rankings(found: dict, vcpus: dict[str, int], names: dict[str, str]) -> dict:
    """{"cpu": [Busy] or CloudError, "memory": ...} from the answers of `calls` (a failed one is its
    CloudError, the page says it)."""
    out = {}
    for key, name, metric in (("cpu", "busiest_cpu", "cpu"), ("memory", "busiest_memory", "memory.usage")):
        answer = found.get(name)
        out[key] = answer if isinstance(answer, Exception) else ranked(answer or {}, metric, vcpus, names)
    return out
