"""/api/v1/admin/: the admin area as JSON (admin role): usage of every project (CSV too),
hypervisors, identity (projects, users, groups, roles, assignments) and any project's quotas."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.response import Response

from dashboard.accounts.api import IsCloudAdmin
from dashboard.cloud import concurrently, connection, hypervisors, identity, quotas, usage
from dashboard.ui.csv import csv_response

from . import serializers as s
from .common import errors, paged, read
from .project import period, quotas_of

TAG = ["admin"]
USAGE_FIELDS = [
    "project_id",
    "project_name",
    "instance_hours",
    "vcpu_hours",
    "ram_gb_hours",
    "disk_gb_hours",
    "instances",
]


@extend_schema(
    tags=TAG,
    summary="Every project's usage for a period (format=csv: a spreadsheet)",
    parameters=[s.AdminUsageQuery],
    responses={200: s.AdminUsageOut, **errors(400)},
)
@api_view(["GET"])
@permission_classes([IsCloudAdmin])
def admin_usage(request):
    query = read(s.AdminUsageQuery, request.query_params)
    start, end = period(query)
    conn = connection(request)
    found = concurrently(
        {
            "usage": lambda: usage.all_projects_usage(conn, start, end, settings.USAGE_PAGE_SIZE),
            "projects": lambda: identity.list_projects(conn),
        },
        optional=("projects",),
    )
    projects = found["projects"] if isinstance(found["projects"], list) else []
    names = {p.id: p.name for p in projects}
    rows = [
        {
            "project_id": pid,
            "project_name": names.get(pid, ""),
            "instance_hours": round(u.instance_hours, 4),
            "vcpu_hours": round(u.vcpu_hours, 4),
            "ram_gb_hours": round(u.ram_gb_hours, 4),
            "disk_gb_hours": round(u.disk_gb_hours, 4),
            "instances": len(u.servers),
        }
        for pid, u in sorted(found["usage"].items())
    ]
    if query["format"] == "csv":
        return csv_response("usage_all_projects.csv", USAGE_FIELDS, [[r[f] for f in USAGE_FIELDS] for r in rows])
    page = paged("projects", rows, query, s.ProjectUsageRow, id_of=lambda r: r["project_id"])
    return Response({"start": start.isoformat(), "end": end.isoformat(), **page})


@extend_schema(
    tags=TAG,
    summary="Hypervisors with their Placement figures",
    parameters=[s.PageQuery],
    responses={200: s.HypervisorPage, **errors(400)},
)
@api_view(["GET"])
@permission_classes([IsCloudAdmin])
def admin_hypervisors(request):
    query = read(s.PageQuery, request.query_params)
    hosts = hypervisors.hosts(connection(request))
    return Response(paged("hypervisors", hosts.hypervisors, query, s.HypervisorSerializer, id_of=lambda h: str(h.id)))


@extend_schema(tags=TAG, summary="Projects", parameters=[s.PageQuery], responses={200: s.ProjectPage, **errors(400)})
@api_view(["GET"])
@permission_classes([IsCloudAdmin])
def projects(request):
    query = read(s.PageQuery, request.query_params)
    return Response(paged("projects", identity.list_projects(connection(request)), query, s.ProjectSerializer))


@extend_schema(tags=TAG, summary="Users", parameters=[s.PageQuery], responses={200: s.UserPage, **errors(400)})
@api_view(["GET"])
@permission_classes([IsCloudAdmin])
def users(request):
    query = read(s.PageQuery, request.query_params)
    return Response(paged("users", identity.list_users(connection(request)), query, s.UserSerializer))


@extend_schema(tags=TAG, summary="Groups", parameters=[s.PageQuery], responses={200: s.GroupPage, **errors(400)})
@api_view(["GET"])
@permission_classes([IsCloudAdmin])
def groups(request):
    query = read(s.PageQuery, request.query_params)
    return Response(paged("groups", identity.list_groups(connection(request)), query, s.GroupSerializer))


@extend_schema(tags=TAG, summary="Roles", parameters=[s.PageQuery], responses={200: s.RolePage, **errors(400)})
@api_view(["GET"])
@permission_classes([IsCloudAdmin])
def roles(request):
    query = read(s.PageQuery, request.query_params)
    return Response(paged("roles", identity.list_roles(connection(request)), query, s.RoleSerializer))


@extend_schema(
    tags=TAG,
    summary="A project's role assignments (marker: role_id:user_or_group_id)",
    parameters=[s.PageQuery],
    responses={200: s.AssignmentPage, **errors(400, 404)},
)
@api_view(["GET"])
@permission_classes([IsCloudAdmin])
def project_assignments(request, project_id):
    query = read(s.PageQuery, request.query_params)
    found = identity.project_assignments(connection(request), str(project_id))
    found.sort(key=lambda a: (a.role_id, a.actor_id))
    return Response(
        paged("assignments", found, query, s.AssignmentSerializer, id_of=lambda a: f"{a.role_id}:{a.actor_id}")
    )


@extend_schema(
    methods=["GET"], tags=TAG, summary="A project's quotas and use", responses={200: s.QuotasOut, **errors(404)}
)
@extend_schema(
    methods=["PATCH"],
    tags=TAG,
    summary="Set a project's quotas ({service}-{resource}: limit, -1 unlimited)",
    request=s.QuotaUpdate,
    responses={200: s.QuotasOut, **errors(400, 404)},
)
@api_view(["GET", "PATCH"])
@permission_classes([IsCloudAdmin])
def admin_project_quotas(request, project_id):
    conn = connection(request)
    pid = str(project_id)
    identity.get_project(conn, pid)  # 404 for a project that does not exist
    if request.method == "PATCH":
        limits = read(s.QuotaUpdate, request.data)["limits"]
        by_service: dict[str, dict[str, int]] = {}
        bad = [key for key in limits if key.split("-", 1)[0] not in quotas.QUOTA_WRITERS or "-" not in key]
        if bad:
            raise serializers.ValidationError({"limits": [_("Unknown quota: %(key)s") % {"key": key} for key in bad]})
        for key, value in limits.items():
            service, resource = key.split("-", 1)
            by_service.setdefault(service, {})[resource] = value
        for service, values in by_service.items():
            quotas.QUOTA_WRITERS[service](conn, pid, values)
    return Response(quotas_of(conn, pid))
