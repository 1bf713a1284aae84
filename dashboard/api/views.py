"""Zenith's JSON API (/api/v1/): the same rules as the pages — the session's Keystone user, their
current project, admin role for /api/v1/admin/ — and cloud errors as {"error", "message"} JSON."""

from datetime import UTC, datetime, time, timedelta

from django.utils.translation import gettext
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.response import Response

from dashboard.accounts.api import HasProject, IsCloudAdmin
from dashboard.cloud import concurrently, connection, hypervisors, identity, instances, usage
from dashboard.cloud.paging import ListParams

from .serializers import hypervisor_json, instance_json, project_usage_json


@api_view(["GET"])
@permission_classes([HasProject])
def session_info(request):
    user = request.keystone
    return Response(
        {
            "user": {"id": user.user_id, "name": user.username, "domain": user.domain},
            "project": {"id": user.project_id, "name": user.project_name},
            "projects": user.projects,
            "roles": user.roles,
            "is_admin": user.is_admin,
            "region": user.region,
            "expires_at": user.expires_at,
        }
    )


class InstanceQuery(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    status = serializers.ChoiceField(required=False, allow_blank=True, choices=sorted(instances.STATUS_WORDS))
    limit = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)
    marker = serializers.UUIDField(required=False)


@api_view(["GET"])
@permission_classes([HasProject])
def instance_list(request):
    query = InstanceQuery(data=request.query_params)
    if not query.is_valid():
        return Response(
            {"error": "bad_request", "message": gettext("Invalid query."), "fields": query.errors}, status=400
        )
    q = query.validated_data
    filters = {k: q[k] for k in ("name", "status") if q.get(k)}
    params = ListParams(filters=filters, sort="created", limit=q["limit"], marker=str(q.get("marker") or ""))
    page = instances.list_instances(connection(request), params)
    return Response({"instances": [instance_json(i) for i in page.items], "next_marker": page.next_marker or None})


@api_view(["GET"])
@permission_classes([HasProject])
def instance_detail(request, server_id):
    return Response({"instance": instance_json(instances.get_instance(connection(request), str(server_id)))})


class ActionRequest(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(instances.SIMPLE_ACTIONS))


@api_view(["POST"])
@permission_classes([HasProject])
def instance_action(request, server_id):
    body = ActionRequest(data=request.data)
    if not body.is_valid():
        return Response(
            {"error": "bad_request", "message": gettext("Unknown action."), "fields": body.errors}, status=400
        )
    # Nova decides whether the action fits the instance's state; its refusal comes back as JSON
    instances.run_simple_action(connection(request), str(server_id), body.validated_data["action"])
    return Response({"status": "accepted", "action": body.validated_data["action"]}, status=202)


class UsageQuery(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, attrs):
        start = attrs.get("start") or datetime.now(UTC).date().replace(day=1)
        end = attrs.get("end") or datetime.now(UTC).date()
        if start > end:
            raise serializers.ValidationError(gettext("start must not be after end"))
        if (end - start).days >= usage.MAX_REPORT_DAYS:
            raise serializers.ValidationError(gettext("choose at most %(days)d days") % {"days": usage.MAX_REPORT_DAYS})
        return attrs


@api_view(["GET"])
@permission_classes([IsCloudAdmin])
def admin_usage(request):
    query = UsageQuery(data=request.query_params)
    if not query.is_valid():
        return Response(
            {"error": "bad_request", "message": gettext("Invalid dates."), "fields": query.errors}, status=400
        )
    now = datetime.now(UTC)
    start_day = query.validated_data.get("start") or now.date().replace(day=1)
    end_day = query.validated_data.get("end")
    start = datetime.combine(start_day, time.min, tzinfo=UTC)
    end = min(now, datetime.combine(end_day, time.min, tzinfo=UTC) + timedelta(days=1)) if end_day else now
    conn = connection(request)
    found = concurrently(
        {"usage": lambda: usage.all_projects_usage(conn, start, end), "projects": lambda: identity.list_projects(conn)},
        optional=("projects",),
    )
    projects = found["projects"] if isinstance(found["projects"], list) else []
    names = {p.id: p.name for p in projects}
    rows = [project_usage_json(u, names.get(pid, "")) for pid, u in sorted(found["usage"].items())]
    return Response({"start": start.isoformat(), "end": end.isoformat(), "projects": rows})


@api_view(["GET"])
@permission_classes([IsCloudAdmin])
def admin_hypervisors(request):
    hosts = hypervisors.hosts(connection(request))
    return Response({"hypervisors": [hypervisor_json(h) for h in hosts.hypervisors]})
