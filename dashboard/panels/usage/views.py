"""Usage reports: every project's usage for administrators, a project's own usage for its members."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from dashboard.accounts.decorators import admin_required
from dashboard.cloud import CloudError, concurrently, connection, identity
from dashboard.cloud import usage as cloud_usage
from dashboard.cloud.paging import Page
from dashboard.ui.csv import csv_response
from dashboard.ui.lists import Column, Filter, ListSpec, list_context, sorted_rows

from .forms import default_range_form

USAGE_COLUMNS = [
    ("instance_hours", _("Instance hours")),
    ("vcpu_hours", _("vCPU hours")),
    ("ram_gb_hours", _("RAM GB-hours")),
    ("disk_gb_hours", _("Disk GB-hours")),
]
COUNT_COLUMNS = [
    ("instances", _("Instances")),
    ("volumes", _("Volumes")),
    ("gigabytes", _("Volume GB")),
    ("floating_ips", _("Floating IPs")),
]
OVERVIEW_COLUMNS = [("project_name", _("Project")), *USAGE_COLUMNS, *COUNT_COLUMNS]
SERVER_COLUMNS = [
    ("name", _("Instance")),
    ("flavor", _("Flavor")),
    ("vcpus", _("vCPUs")),
    ("memory_mb", _("RAM (MB)")),
    ("local_gb", _("Disk (GB)")),
    ("state", _("State")),
    ("hours", _("Hours")),
    ("vcpu_hours", _("vCPU hours")),
    ("ram_gb_hours", _("RAM GB-hours")),
    ("disk_gb_hours", _("Disk GB-hours")),
]


def _page_size() -> int:
    return int(getattr(settings, "USAGE_PAGE_SIZE", 0) or 0)


def _report_spec(url_name: str, columns: list[tuple[str, str]]) -> ListSpec:
    """A report is read whole and sorted here; the date range travels in its links like a filter."""
    return ListSpec(
        url_name=url_name,
        sorts=tuple(key for key, _ in columns),
        default_sort="vcpu_hours",
        filters=(Filter("preset", _("Period")), Filter("start", _("Start")), Filter("end", _("End"))),
    )


def _columns(columns: list[tuple[str, str]], name_key: str) -> list[Column]:
    """Figures right-aligned, sorted largest first; the name column A to Z."""
    return [
        Column(label, key, css="text-wrap", first_direction="asc")
        if key == name_key
        else Column(label, key, css="text-wrap text-end")
        for key, label in columns
    ]


ADMIN_REPORT = _report_spec("usage:admin_overview", OVERVIEW_COLUMNS)
PROJECT_REPORT = _report_spec("usage:project_usage", SERVER_COLUMNS)


def _with_query(request, **changes) -> str:
    params = request.GET.copy()
    for name, value in changes.items():
        params[name] = value
    return f"{request.path}?{params.urlencode()}"


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
    context = {"form": form, "columns": OVERVIEW_COLUMNS, "query": _query_without(request, "format")}
    if not form.is_valid():
        return render(request, "usage/admin_overview.html", context, status=400)
    start, end = form.period()
    conn = connection(request)
    params = ADMIN_REPORT.params(request)
    part = request.GET.get("part") == "table"
    # what each project holds now lists every server, volume and floating IP of the cloud: the page
    # comes without it (as fast as Nova's usage report) and its table follows with the counts
    # (?part=table, fetched by htmx on load); the CSV and a sort by a count read them at once
    with_counts = part or request.GET.get("format") == "csv" or params.sort in dict(COUNT_COLUMNS)
    calls = {
        "usage": lambda: cloud_usage.all_projects_usage(conn, start, end, _page_size()),
        "projects": lambda: identity.list_projects(conn),
    }
    if with_counts:
        calls["counts"] = lambda: cloud_usage.current_counts(conn)
    try:
        data = concurrently(calls, optional=("projects",))
    except CloudError as err:
        # keep the form and the chosen dates on the page, with the cloud's reason
        context["error"] = err
        return render(request, "usage/admin_overview.html", context, status=err.status)
    counts_now = data.get("counts") or cloud_usage.CurrentCounts({})
    missing = list(counts_now.missing)
    if isinstance(data["projects"], CloudError):
        missing.insert(0, data["projects"])
    names = {} if isinstance(data["projects"], CloudError) else {p.id: p.name for p in data["projects"]}
    counts = counts_now.by_project
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
    rows = sorted_rows(rows, params)
    totals = {key: sum(r[key] for r in rows) for key, _ in OVERVIEW_COLUMNS[1:]}
    totals["project_name"] = "Total"
    if request.GET.get("format") == "csv":
        return _csv_response(f"usage_{_period_name(start, end)}.csv", OVERVIEW_COLUMNS, rows, totals)
    context.update(
        list_context(request, ADMIN_REPORT, params, Page(rows), _columns(OVERVIEW_COLUMNS, "project_name")),
        rows=rows,
        totals=totals,
        missing=missing,
        counts_pending=not with_counts,
        table_url=_with_query(request, part="table"),
    )
    if part:
        return render(request, "usage/_overview_table.html", context)
    days, series = cloud_usage.daily_vcpu_hours((s for u in usages.values() for s in u.servers), start, end)
    context.update(start=start, end=end, chart=_chart(days, series, names))
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
        usage = cloud_usage.project_usage(conn, pid, start, end, _page_size())
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
    params = PROJECT_REPORT.params(request)
    rows = sorted_rows(rows, params)
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
        list_context(request, PROJECT_REPORT, params, Page(rows), _columns(SERVER_COLUMNS, "name")),
        rows=rows,
        totals=totals,
        start=start,
        end=end,
        chart=_chart(days, series, {pid: request.keystone.project_name}),
    )
    return render(request, "usage/project_usage.html", context)
