"""Usage reports: every project's usage for administrators, a project's own usage for its members."""

from __future__ import annotations

import csv
from datetime import datetime

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from dashboard.accounts.decorators import admin_required
from dashboard.cloud import CloudError, call, concurrently, connection
from dashboard.cloud import usage as cloud_usage

from .forms import default_range_form

USAGE_COLUMNS = [
    ("instance_hours", "Instance hours"),
    ("vcpu_hours", "vCPU hours"),
    ("ram_gb_hours", "RAM GB-hours"),
    ("disk_gb_hours", "Disk GB-hours"),
]
COUNT_COLUMNS = [
    ("instances", "Instances"),
    ("volumes", "Volumes"),
    ("gigabytes", "Volume GB"),
    ("floating_ips", "Floating IPs"),
]
OVERVIEW_COLUMNS = [("project_name", "Project"), *USAGE_COLUMNS, *COUNT_COLUMNS]
SERVER_COLUMNS = [
    ("name", "Instance"),
    ("flavor", "Flavor"),
    ("vcpus", "vCPUs"),
    ("memory_mb", "RAM (MB)"),
    ("local_gb", "Disk (GB)"),
    ("state", "State"),
    ("hours", "Hours"),
    ("vcpu_hours", "vCPU hours"),
    ("ram_gb_hours", "RAM GB-hours"),
    ("disk_gb_hours", "Disk GB-hours"),
]


def _page_size() -> int:
    return int(getattr(settings, "USAGE_PAGE_SIZE", 0) or 0)


def _sorted(rows: list[dict], sort: str, columns: list[tuple[str, str]], default: str) -> tuple[list[dict], str]:
    """Rows ordered by ?sort=column (or -column for descending); unknown columns fall back to default."""
    key = sort.lstrip("-")
    if key not in {c for c, _ in columns}:
        sort, key = default, default.lstrip("-")

    def value(row):
        v = row.get(key)
        return (0, v.lower()) if isinstance(v, str) else (1, v or 0)

    return sorted(rows, key=value, reverse=sort.startswith("-")), sort


def _header_links(columns: list[tuple[str, str]], sort: str) -> list[dict]:
    """Column headers: clicking sorts by that column, clicking again reverses."""
    headers = []
    for key, label in columns:
        active = sort.lstrip("-") == key
        descending = sort.startswith("-")
        next_sort = (
            (key if descending else f"-{key}") if active else (key if key in ("project_name", "name") else f"-{key}")
        )
        headers.append({"key": key, "label": label, "sort": next_sort, "active": active, "descending": descending})
    return headers


def _query_without(request, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def _csv_response(filename: str, columns: list[tuple[str, str]], rows: list[dict], totals: dict | None) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([label for _, label in columns])

    def cell(value):
        return f"{value:.4f}" if isinstance(value, float) else value

    for row in rows:
        writer.writerow([cell(row.get(key, "")) for key, _ in columns])
    if totals is not None:
        writer.writerow([cell(totals.get(key, "")) for key, _ in columns])
    return response


def _chart(days, series: dict, labels: dict) -> dict:
    return {
        "labels": [d.isoformat() for d in days],
        "datasets": [
            {"label": labels.get(key, key), "data": [round(h, 4) for h in hours]}
            for key, hours in sorted(series.items(), key=lambda kv: -sum(kv[1]))
        ],
    }


def _period_name(start: datetime, end: datetime) -> str:
    return f"{start:%Y-%m-%d}_{end:%Y-%m-%d}"


def _overview_calls(conn, start: datetime, end: datetime) -> dict:
    """Usage (paged), project names and all-projects lists for the counts: five calls at once."""
    return concurrently(
        {
            "usage": lambda: cloud_usage.all_projects_usage(conn, start, end, _page_size()),
            "projects": lambda: conn.identity.projects(),
            "servers": lambda: conn.compute.servers(details=True, all_projects=True),
            "volumes": lambda: conn.block_storage.volumes(details=True, all_projects=True),
            "floating_ips": lambda: conn.network.ips(),
        },
        services={
            "usage": "compute",
            "projects": "identity",
            "servers": "compute",
            "volumes": "volume",
            "floating_ips": "network",
        },
        optional=("projects", "volumes", "floating_ips"),
    )


@admin_required
def admin_overview(request):
    form = default_range_form(request.GET)
    context = {"form": form, "columns": OVERVIEW_COLUMNS, "query": _query_without(request, "format")}
    if not form.is_valid():
        return render(request, "usage/admin_overview.html", context, status=400)
    start, end = form.period()
    conn = connection(request)
    try:
        data = _overview_calls(conn, start, end)
    except CloudError as err:
        # keep the form and the chosen dates on the page, with the cloud's reason
        context["error"] = err
        return render(request, "usage/admin_overview.html", context, status=err.status)
    missing = [data[name] for name in ("projects", "volumes", "floating_ips") if isinstance(data[name], CloudError)]
    names = {} if isinstance(data["projects"], CloudError) else {p.id: p.name for p in data["projects"]}
    counts = cloud_usage.current_counts(
        data["servers"],
        [] if isinstance(data["volumes"], CloudError) else data["volumes"],
        [] if isinstance(data["floating_ips"], CloudError) else data["floating_ips"],
    )
    usages = data["usage"]
    rows = []
    for pid in set(usages) | set(counts):
        u = usages.get(pid) or cloud_usage.ProjectUsage(pid)
        c = counts.get(pid) or cloud_usage.ProjectCounts()
        # a project Keystone no longer knows (deleted) still has its usage: shown by id
        row = {"project_id": pid, "project_name": names.get(pid, pid), "unknown": bool(names) and pid not in names}
        row.update({key: getattr(u, key) for key, _ in USAGE_COLUMNS})
        row.update({key: getattr(c, key) for key, _ in COUNT_COLUMNS})
        rows.append(row)
    rows, sort = _sorted(rows, request.GET.get("sort", ""), OVERVIEW_COLUMNS, "-vcpu_hours")
    totals = {key: sum(r[key] for r in rows) for key, _ in OVERVIEW_COLUMNS[1:]}
    totals["project_name"] = "Total"
    if request.GET.get("format") == "csv":
        return _csv_response(f"usage_{_period_name(start, end)}.csv", OVERVIEW_COLUMNS, rows, totals)
    days, series = cloud_usage.daily_vcpu_hours((s for u in usages.values() for s in u.servers), start, end)
    context.update(
        rows=rows,
        totals=totals,
        headers=_header_links(OVERVIEW_COLUMNS, sort),
        sort=sort,
        start=start,
        end=end,
        chart=_chart(days, series, names),
        missing=missing,
        query_no_sort=_query_without(request, "format", "sort"),
    )
    return render(request, "usage/admin_overview.html", context)


def project_usage(request):
    form = default_range_form(request.GET)
    context = {"form": form, "columns": SERVER_COLUMNS, "query": _query_without(request, "format")}
    if not form.is_valid():
        return render(request, "usage/project_usage.html", context, status=400)
    start, end = form.period()
    conn = connection(request)
    pid = request.keystone.project_id
    try:
        usage = call(lambda: cloud_usage.project_usage(conn, pid, start, end, _page_size()), service="compute")
    except CloudError as err:
        context["error"] = err
        return render(request, "usage/project_usage.html", context, status=err.status)
    rows = [
        {
            "instance_id": s.instance_id,
            "name": s.name,
            "flavor": s.flavor,
            "vcpus": s.vcpus,
            "memory_mb": s.memory_mb,
            "local_gb": s.local_gb,
            "state": s.state,
            "hours": s.hours,
            "vcpu_hours": s.vcpu_hours,
            "ram_gb_hours": s.ram_gb_hours,
            "disk_gb_hours": s.disk_gb_hours,
            "started_at": s.started_at,
            "ended_at": s.ended_at,
        }
        for s in usage.servers
    ]
    rows, sort = _sorted(rows, request.GET.get("sort", ""), SERVER_COLUMNS, "-vcpu_hours")
    totals = {
        "name": "Total",
        "hours": usage.instance_hours,
        "vcpu_hours": usage.vcpu_hours,
        "ram_gb_hours": usage.ram_gb_hours,
        "disk_gb_hours": usage.disk_gb_hours,
    }
    if request.GET.get("format") == "csv":
        name = slugify(request.keystone.project_name) or pid
        return _csv_response(f"usage_{name}_{_period_name(start, end)}.csv", SERVER_COLUMNS, rows, totals)
    days, series = cloud_usage.daily_vcpu_hours(usage.servers, start, end)
    context.update(
        rows=rows,
        totals=totals,
        headers=_header_links(SERVER_COLUMNS, sort),
        sort=sort,
        start=start,
        end=end,
        chart=_chart(days, series, {pid: request.keystone.project_name}),
        query_no_sort=_query_without(request, "format", "sort"),
    )
    return render(request, "usage/project_usage.html", context)
