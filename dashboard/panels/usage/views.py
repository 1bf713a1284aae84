"""Usage reports: every project's usage for administrators, a project's own usage for its members."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dashboard.accounts.decorators import admin_required
from dashboard.cloud import CloudError, busiest, concurrently, connection, identity, telemetry
from dashboard.cloud import usage as cloud_usage
from dashboard.cloud.paging import Page
from dashboard.ui.csv import csv_response
from dashboard.ui.lists import list_context, sorted_rows

from .forms import default_range_form
from .lists import ADMIN_REPORT, COUNT_FIGURES, PROJECT_REPORT, USAGE_FIGURES


def _page_size() -> int:
    return int(getattr(settings, "USAGE_PAGE_SIZE", 0) or 0)


def _csv_columns(table) -> list[tuple[str, str]]:
    return [(col.name, col.label) for col in table.columns]


def _query_without(request, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


# a cell a spreadsheet would read as a formula (instance and project names are user-chosen)
def _csv_response(filename: str, columns: list[tuple[str, str]], rows: list[dict], totals: dict | None) -> HttpResponse:
    lines = [[row.get(key, "") for key, _ in columns] for row in rows]
    if totals is not None:
        lines.append([totals.get(key, "") for key, _ in columns])
    return csv_response(filename, [label for _, label in columns], lines)


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


@admin_required
def admin_overview(request):
    form = default_range_form(request.GET)
    context = {"form": form, "query": _query_without(request, "format")}
    if not form.is_valid():
        return render(request, "usage/admin_overview.html", context, status=400)
    start, end = form.period()
    conn = connection(request)
    params = ADMIN_REPORT.params(request)
    # one response: the usage report, what each project holds now and the projects' names, 5 calls
    # at once (6 for a period that ended before now), none listing every server's details; the
    # report is the slowest of them
    calls = {
        "report": lambda: cloud_usage.get_usage_and_counts(conn, start, end, form.ends_now(), _page_size()),
        "projects": lambda: identity.list_projects(conn),
    }
    # the cloud's busiest instances and its hosts' use, where it has a metric service: 2 calls more
    metered = request.GET.get("format") != "csv" and telemetry.offered(conn)
    if metered:
        calls.update(busiest.ranking_calls(conn, None, start, end))
    try:
        data = concurrently(calls, optional=("projects", "busiest_cpu", "busiest_memory"))
    except CloudError as err:
        # keep the form and the chosen dates on the page, with the cloud's reason
        context["error"] = err
        return render(request, "usage/admin_overview.html", context, status=err.status)
    usages, counts_now = data["report"]
    missing = list(counts_now.missing)
    if isinstance(data["projects"], CloudError):
        missing.insert(0, data["projects"])
    names = {} if isinstance(data["projects"], CloudError) else {p.id: p.name for p in data["projects"]}
    counts = counts_now.by_project
    rows = []
    for pid in set(usages) | set(counts):
        u = usages.get(pid) or cloud_usage.ProjectUsage(pid)
        c = counts.get(pid) or cloud_usage.ProjectCounts()
        # a project Keystone no longer knows (deleted) still has its usage: shown by id
        row = {
            "id": pid,
            "project_id": pid,
            "project_name": names.get(pid, pid),
            "unknown": bool(names) and pid not in names,
        }
        row.update({col.name: getattr(u, col.name) for col in USAGE_FIGURES})
        row.update({col.name: getattr(c, col.name) for col in COUNT_FIGURES})
        rows.append(row)
    rows = sorted_rows(rows, params)
    totals = {col.name: sum(r[col.name] for r in rows) for col in (*USAGE_FIGURES, *COUNT_FIGURES)}
    if request.GET.get("format") == "csv":
        totals["project_name"] = "Total"
        return _csv_response(f"usage_{_period_name(start, end)}.csv", _csv_columns(ADMIN_REPORT), rows, totals)
    report = list_context(request, ADMIN_REPORT, params, Page(rows))
    report["list"].footer = {"totals": totals}
    days, series = cloud_usage.daily_vcpu_hours((s for u in usages.values() for s in u.servers), start, end)
    context.update(report, rows=rows, totals=totals, missing=missing, start=start, end=end)
    context.update(chart=_chart(days, series, names))
    if metered:
        servers = [s for u in usages.values() for s in u.servers]
        context.update(busiest_tables=_busiest_tables(data, servers, names), hosts=busiest.by_host(data))
    context.update(metered=metered, across_projects=True)
    return render(request, "usage/admin_overview.html", context)


def _busiest_tables(found: dict, servers, projects: dict | None = None) -> list[tuple]:
    """(key, title, column, ranking or CloudError) of each ranking of the busiest instances."""
    vcpus, names = {s.instance_id: s.vcpus for s in servers}, {s.instance_id: s.name for s in servers}
    ranks = busiest.rankings(found, vcpus, names, projects)
    return [
        ("cpu", _("By CPU"), _("Mean CPU"), ranks["cpu"]),
        ("memory", _("By memory"), _("Mean memory used"), ranks["memory"]),
    ]


def project_usage(request):
    form = default_range_form(request.GET)
    context = {"form": form, "query": _query_without(request, "format")}
    if not form.is_valid():
        return render(request, "usage/project_usage.html", context, status=400)
    start, end = form.period()
    conn = connection(request)
    pid = request.keystone.project_id
    # the usage report, and where the cloud has a metric service its busiest instances: 1 or 3 calls
    calls = {"usage": lambda: cloud_usage.get_project_usage(conn, pid, start, end, _page_size())}
    metered = request.GET.get("format") != "csv" and telemetry.offered(conn)
    if metered:
        calls.update(busiest.ranking_calls(conn, pid, start, end))
    try:
        found = concurrently(calls, optional=("busiest_cpu", "busiest_memory"))
    except CloudError as err:
        context["error"] = err
        return render(request, "usage/project_usage.html", context, status=err.status)
    usage = found["usage"]
    rows = [
        {
            "id": s.instance_id,
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
    params = PROJECT_REPORT.params(request)
    rows = sorted_rows(rows, params)
    totals = {
        "hours": usage.instance_hours,
        "vcpu_hours": usage.vcpu_hours,
        "ram_gb_hours": usage.ram_gb_hours,
        "disk_gb_hours": usage.disk_gb_hours,
    }
    if request.GET.get("format") == "csv":
        name = slugify(request.keystone.project_name) or pid
        filename = f"usage_{name}_{_period_name(start, end)}.csv"
        return _csv_response(filename, _csv_columns(PROJECT_REPORT), rows, {"name": "Total", **totals})
    days, series = cloud_usage.daily_vcpu_hours(usage.servers, start, end)
    report = list_context(request, PROJECT_REPORT, params, Page(rows))
    report["list"].footer = {"totals": totals}
    context.update(
        report,
        rows=rows,
        totals=totals,
        start=start,
        end=end,
        chart=_chart(days, series, {pid: request.keystone.project_name}),
        metered=metered,
        busiest_tables=_busiest_tables(found, usage.servers) if metered else [],
    )
    return render(request, "usage/project_usage.html", context)
