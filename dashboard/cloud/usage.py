"""Nova usage (os-simple-tenant-usage) and current resource counts per project.

Nova pages usage by *instance* (microversion 2.40: `limit` + `marker`), so one project's usage
can be split over several pages; pages are followed until Nova gives no `next` link and the
pieces are summed per project.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from .calls import concurrently, raw_json, raw_list, translated
from .errors import CloudError

USAGE_MICROVERSION = "2.40"
# a guard against a cloud that keeps answering `next`: 10 000 pages is far beyond any real one
MAX_PAGES = 10_000


# one report covers at most this many days (pages and API alike; the chart has a bar per day)
MAX_REPORT_DAYS = 366


@dataclass
class ServerUsage:
    instance_id: str
    name: str
    project_id: str
    flavor: str
    vcpus: int
    memory_mb: int
    local_gb: int
    hours: float
    state: str
    started_at: datetime | None
    ended_at: datetime | None

    @property
    def vcpu_hours(self) -> float:
        return self.hours * self.vcpus

    @property
    def ram_gb_hours(self) -> float:
        return self.hours * self.memory_mb / 1024

    @property
    def disk_gb_hours(self) -> float:
        return self.hours * self.local_gb


@dataclass
class ProjectUsage:
    project_id: str
    instance_hours: float = 0.0
    vcpu_hours: float = 0.0
    ram_gb_hours: float = 0.0
    disk_gb_hours: float = 0.0
    servers: list[ServerUsage] = field(default_factory=list)

    def add_page(self, body: dict) -> None:
        self.instance_hours += body.get("total_hours") or 0.0
        self.vcpu_hours += body.get("total_vcpus_usage") or 0.0
        self.ram_gb_hours += (body.get("total_memory_mb_usage") or 0.0) / 1024
        self.disk_gb_hours += body.get("total_local_gb_usage") or 0.0
        self.servers += [_server_usage(s, self.project_id) for s in body.get("server_usages") or []]


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value.rstrip("Z"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _server_usage(s: dict, project_id: str) -> ServerUsage:
    return ServerUsage(
        instance_id=s.get("instance_id", ""),
        name=s.get("name", ""),
        project_id=s.get("tenant_id") or project_id,
        flavor=s.get("flavor", ""),
        vcpus=s.get("vcpus") or 0,
        memory_mb=s.get("memory_mb") or 0,
        local_gb=s.get("local_gb") or 0,
        hours=s.get("hours") or 0.0,
        state=s.get("state", ""),
        started_at=_parse_time(s.get("started_at")),
        ended_at=_parse_time(s.get("ended_at")),
    )


def _nova_time(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def _next_marker(links: list[dict] | None) -> str | None:
    for link in links or []:
        if link.get("rel") == "next":
            markers = parse_qs(urlparse(link.get("href", "")).query).get("marker")
            if markers:
                return markers[0]
    return None


def _pages(conn, path: str, query: dict, links_key: str) -> Iterable[dict]:
    """GET path with query, following Nova's `next` markers until there is none."""
    marker = None
    for _ in range(MAX_PAGES):
        params = dict(query, marker=marker) if marker else query
        body = raw_json(conn, "compute", f"{path}?{urlencode(params)}", microversion=USAGE_MICROVERSION)
        yield body
        marker = _next_marker(body.get(links_key))
        if not marker:
            return


@translated("compute")
def get_all_projects_usage(conn, start: datetime, end: datetime, page_size: int = 0) -> dict[str, ProjectUsage]:
    """Usage of every project over [start, end), per-server details included (admin only)."""
    query: dict[str, Any] = {"detailed": 1, "start": _nova_time(start), "end": _nova_time(end)}
    if page_size:
        query["limit"] = page_size
    usages: dict[str, ProjectUsage] = {}
    for body in _pages(conn, "/os-simple-tenant-usage", query, "tenant_usages_links"):
        for tenant in body.get("tenant_usages") or []:
            pid = tenant.get("tenant_id", "")
            usages.setdefault(pid, ProjectUsage(pid)).add_page(tenant)
    return usages


@translated("compute")
def get_project_usage(conn, project_id: str, start: datetime, end: datetime, page_size: int = 0) -> ProjectUsage:
    """One project's usage over [start, end), with its servers."""
    query: dict[str, Any] = {"start": _nova_time(start), "end": _nova_time(end)}
    if page_size:
        query["limit"] = page_size
    usage = ProjectUsage(project_id)
    for body in _pages(conn, f"/os-simple-tenant-usage/{project_id}", query, "tenant_usage_links"):
        usage.add_page(body.get("tenant_usage") or {})
    return usage


@dataclass
class ProjectCounts:
    instances: int = 0
    volumes: int = 0
    gigabytes: int = 0
    floating_ips: int = 0


def count_by_project(instances: dict[str, str], volumes: Iterable, floating_ips: Iterable) -> dict[str, ProjectCounts]:
    """Per-project counts from {instance id: project id} and all-projects listings (raw JSON bodies
    of Cinder and Neutron)."""
    counts: dict[str, ProjectCounts] = defaultdict(ProjectCounts)
    for owner in instances.values():
        counts[owner].instances += 1
    for v in volumes:
        owner = v.get("os-vol-tenant-attr:tenant_id", "")
        counts[owner].volumes += 1
        counts[owner].gigabytes += v.get("size") or 0
    for ip in floating_ips:
        if ip.get("project_id"):
            counts[ip["project_id"]].floating_ips += 1
    return dict(counts)


@dataclass
class CurrentCounts:
    """What each project holds now; `missing` says which services did not answer."""

    by_project: dict[str, ProjectCounts]
    missing: list[CloudError] = field(default_factory=list)


# a report's server that is no longer there
GONE_STATES = ("deleted", "terminated")
# the instances there now that a usage report leaves out: those never launched (building, or failed
# before a host took them: Nova reports the instances launched before the period's end) and the
# soft-deleted ones (given an end time when deleted, shown as terminated)
UNREPORTED_STATUSES = ("BUILD", "ERROR", "SOFT_DELETED")


def instances_there(usages: dict[str, ProjectUsage]) -> dict[str, str]:
    """{instance id: project id} of the instances a report that ends now names as still there."""
    return {
        s.instance_id: s.project_id
        for u in usages.values()
        for s in u.servers
        if s.ended_at is None and s.state not in GONE_STATES
    }


@translated("compute")
def get_usage_and_counts(
    conn, start: datetime, end: datetime, ends_now: bool, page_size: int = 0
) -> tuple[dict[str, ProjectUsage], CurrentCounts]:
    """Every project's usage over [start, end) (`get_all_projects_usage`) and what each holds now
    (instances, volumes and their size, floating IPs): 4 calls at once, 5 for a period that ended
    before now, whatever the number of projects and instances (Nova's and Cinder's listings paged
    by 1000).

    No call lists every server's details: the instances there now are those the usage report names
    as not ended (when the period runs until now; else a report of the last minute's, made beside
    it), and those it leaves out, listed by their status (`UNREPORTED_STATUSES`, usually few).
    Cinder and Neutron are optional: a failing one leaves its counts at 0 and is reported.
    """
    calls = {
        "usage": lambda: get_all_projects_usage(conn, start, end, page_size),
        "unreported": lambda: raw_list(
            conn, "compute", "/servers/detail", "servers", {"all_tenants": 1, "status": list(UNREPORTED_STATUSES)}
        ),
        "volumes": lambda: raw_list(conn, "volume", "/volumes/detail", "volumes", {"all_tenants": 1}),
        # Neutron returns them all at once; only the owner is needed
        "floating_ips": lambda: raw_json(conn, "network", "/floatingips", params={"fields": "project_id"})[
            "floatingips"
        ],
    }
    if not ends_now:
        now = datetime.now(UTC)
        calls["now"] = lambda: get_all_projects_usage(conn, now - timedelta(minutes=1), now, page_size)
    found = concurrently(
        calls,
        services={"unreported": "compute", "volumes": "volume", "floating_ips": "network"},
        optional=("volumes", "floating_ips"),
    )
    missing = [found[k] for k in ("volumes", "floating_ips") if isinstance(found[k], CloudError)]
    lists = {k: [] if isinstance(found[k], CloudError) else found[k] for k in ("volumes", "floating_ips")}
    instances = instances_there(found["now"] if "now" in found else found["usage"])
    instances.update({s["id"]: s.get("tenant_id", "") for s in found["unreported"]})
    counts = count_by_project(instances, lists["volumes"], lists["floating_ips"])
    return found["usage"], CurrentCounts(counts, missing)


def daily_vcpu_hours(servers: Iterable[ServerUsage], start: datetime, end: datetime) -> tuple[list[date], dict]:
    """vCPU hours per UTC day of [start, end) per project, from each server's start and end times.

    Returns (days, {project_id: [hours for each day]}).
    """
    first = start.astimezone(UTC).date()
    last = (end - timedelta(microseconds=1)).astimezone(UTC).date()
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    index = {d: i for i, d in enumerate(days)}
    series: dict[str, list[float]] = {}
    for s in servers:
        began = max(s.started_at or start, start)
        ended = min(s.ended_at or end, end)
        if ended <= began or not s.vcpus:
            continue
        row = series.setdefault(s.project_id, [0.0] * len(days))
        cursor = began
        while cursor < ended:
            day_end = datetime.combine(cursor.date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
            piece_end = min(day_end, ended)
            row[index[cursor.date()]] += (piece_end - cursor).total_seconds() / 3600 * s.vcpus
            cursor = piece_end
    return days, series
