"""Instances of every project, one Nova page at a time (admin only)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dashboard.cloud.compute import Instance, instance_from


@dataclass
class AllProjectsPage:
    instances: list[Instance]
    next_marker: str = ""


def all_projects_page(conn, limit: int, marker: str = "", project_id: str = "", name: str = "") -> AllProjectsPage:
    """One request to Nova (all_tenants=1): newest first, `limit` rows after `marker`.

    One extra row is asked for to know whether a further page exists.
    """
    params: dict[str, Any] = {"all_projects": True, "limit": limit + 1, "sort_key": "created_at", "sort_dir": "desc"}
    if marker:
        params["marker"] = marker
    if project_id:
        params["project_id"] = project_id
    if name:
        params["name"] = re.escape(name)  # Nova matches names as regular expressions
    # paginated=False: exactly one request (openstacksdk would otherwise ask again after a short page)
    servers = list(conn.compute.servers(details=True, paginated=False, **params))[: limit + 1]
    more = len(servers) > limit
    instances = [instance_from(s) for s in servers[:limit]]
    return AllProjectsPage(instances, instances[-1].id if more and instances else "")
