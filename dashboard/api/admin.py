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
from dashboard.panels.hypervisors.lists import HYPERVISORS
from dashboard.panels.identity.lists import GROUPS, PROJECTS, ROLES, USERS
from dashboard.ui.csv import csv_response

from . import lists
from . import serializers as s
from .common import errors, paged, read
from .project import period, quotas_of

TAG = ["admin"]
# the lists' queries, from the declarations their pages read
PROJECTS_QUERY, USERS_QUERY = lists.query(PROJECTS), lists.query(USERS)
GROUPS_QUERY, ROLES_QUERY = lists.query(GROUPS), lists.query(ROLES)
HYPERVISORS_QUERY = lists.query(HYPERVISORS)
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
            "usage": lambda: usage.get_all_projects_usage(conn, start, end, settings.USAGE_PAGE_SIZE),
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
    summary="Hypervisors with their Placement figures, one page (by host name)",
    parameters=[HYPERVISORS_QUERY],
    responses={200: s.HypervisorPage, **errors(400)},
)
@api_view(["GET"])
@permission_classes([IsCloudAdmin])
def admin_hypervisors(request):
    conn = connection(request)
    page = lists.fetch_page(
        HYPERVISORS_QUERY,
        request,
        lambda params: hypervisors.page_of_hypervisors(hypervisors.get_hosts(conn).hypervisors, params),
    )
    return Response(lists.page_body("hypervisors", page, s.HypervisorSerializer(page.items, many=True).data))


def _identity_list(request, query, list_page, key: str, serializer):
    """One page of a Keystone list (read whole, cut here: dashboard.cloud.identity.list_*_page)."""
    page = lists.fetch_page(query, request, lambda params: list_page(connection(request), params))
    return Response(lists.page_body(key, page, serializer(page.items, many=True).data))


@extend_schema(
    tags=TAG,
    summary="Projects, one page (by name)",
    parameters=[PROJECTS_QUERY],
    responses={200: s.ProjectPage, **errors(400)},
)
@api_view(["GET"])
@permission_classes([IsCloudAdmin])
def projects(request):
    return _identity_list(request, PROJECTS_QUERY, identity.list_projects_page, "projects", s.ProjectSerializer)


@extend_schema(
    tags=TAG, summary="Users, one page (by name)", parameters=[USERS_QUERY], responses={200: s.UserPage, **errors(400)}
)
@api_view(["GET"])
@permission_classes([IsCloudAdmin])
def users(request):
    return _identity_list(request, USERS_QUERY, identity.list_users_page, "users", s.UserSerializer)


@extend_schema(
    tags=TAG,
    summary="Groups, one page (by name)",
    parameters=[GROUPS_QUERY],
    responses={200: s.GroupPage, **errors(400)},
)
@api_view(["GET"])
@permission_classes([IsCloudAdmin])
def groups(request):
    return _identity_list(request, GROUPS_QUERY, identity.list_groups_page, "groups", s.GroupSerializer)


@extend_schema(
    tags=TAG, summary="Roles, one page (by name)", parameters=[ROLES_QUERY], responses={200: s.RolePage, **errors(400)}
)
@api_view(["GET"])
@permission_classes([IsCloudAdmin])
def roles(request):
    return _identity_list(request, ROLES_QUERY, identity.list_roles_page, "roles", s.RoleSerializer)


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
    found = identity.list_project_assignments(connection(request), str(project_id))
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
