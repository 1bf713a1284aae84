"""Every project's instances for administrators, with the project's name and the common actions.

The actions post to the instances panel's own action endpoint (/project/instances/<id>/action/<a>/),
which works on any instance with an admin token; the instance's page offers the rest.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.shortcuts import render
from django.views.decorators.http import require_GET

from dashboard.accounts.decorators import admin_required
from dashboard.cloud import CloudError, concurrently, connection
from dashboard.cloud.all_instances import all_projects_page

UUID = re.compile(r"^[0-9a-fA-F-]{1,64}$")
PAGE_SIZES = (10, 20, 50, 100)
DEFAULT_PAGE_SIZE = 20

# status -> the quick actions offered in the row (label, action, confirmation question)
QUICK_ACTIONS = {
    "start": ("Start", ""),
    "stop": ("Stop", "Stop this instance?"),
    "reboot": ("Reboot", "Reboot this instance?"),
    "delete": ("Delete", "Delete this instance of another project? This cannot be undone."),
}
BY_STATUS = {
    "ACTIVE": ("stop", "reboot", "delete"),
    "SHUTOFF": ("start", "delete"),
    "ERROR": ("delete",),
    "PAUSED": ("delete",),
    "SUSPENDED": ("delete",),
    "SHELVED": ("delete",),
    "SHELVED_OFFLOADED": ("delete",),
}


def _actions(inst) -> list[dict]:
    if inst.task_state or inst.locked:
        return []
    return [
        {"action": a, "label": QUICK_ACTIONS[a][0], "confirm": QUICK_ACTIONS[a][1]}
        for a in BY_STATUS.get(inst.status, ())
    ]


@admin_required
@require_GET
def all_instances(request):
    g = request.GET
    try:
        limit = int(g.get("limit", DEFAULT_PAGE_SIZE))
    except ValueError:
        limit = DEFAULT_PAGE_SIZE
    limit = limit if limit in PAGE_SIZES else DEFAULT_PAGE_SIZE
    marker = g.get("marker", "") if UUID.match(g.get("marker", "")) else ""
    project = g.get("project", "") if UUID.match(g.get("project", "")) else ""
    name = g.get("name", "").strip()[:255]
    conn = connection(request)
    data = concurrently(
        {
            "page": lambda: all_projects_page(conn, limit, marker, project, name),
            "projects": lambda: conn.identity.projects(),
        },
        services={"page": "compute", "projects": "identity"},
        optional=("projects",),
    )
    projects = [] if isinstance(data["projects"], CloudError) else data["projects"]
    names = {p.id: p.name for p in projects}
    page = data["page"]
    rows = [
        {"inst": inst, "project_name": names.get(inst.project_id, inst.project_id), "actions": _actions(inst)}
        for inst in page.instances
    ]
    base = {"limit": limit if limit != DEFAULT_PAGE_SIZE else "", "project": project, "name": name}
    next_url = "?" + urlencode({k: v for k, v in {**base, "marker": page.next_marker}.items() if v})
    first_url = "?" + urlencode({k: v for k, v in base.items() if v})
    return render(
        request,
        "allinstances/list.html",
        {
            "rows": rows,
            "projects": sorted(projects, key=lambda p: p.name.lower()),
            "project": project,
            "name": name,
            "limit": limit,
            "page_sizes": PAGE_SIZES,
            "next_url": next_url if page.next_marker else "",
            "first_url": first_url if marker else "",
            "here": request.get_full_path(),
            "projects_error": data["projects"] if isinstance(data["projects"], CloudError) else None,
        },
    )
