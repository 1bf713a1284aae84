"""/api/v1/: the current project's key pairs, quotas and usage (CSV too)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from dashboard.cloud import concurrently, connection, keypairs, quotas, usage
from dashboard.ui.csv import csv_response
from dashboard.ui.validators import validate_keypair_name, validate_public_key

from . import serializers as s
from .common import errors, paged, read

# --- key pairs -------------------------------------------------------------------------------------


@extend_schema(
    methods=["GET"],
    tags=["key pairs"],
    summary="The user's key pairs",
    parameters=[s.PageQuery],
    responses={200: s.KeyPairPage, **errors(400)},
)
@extend_schema(
    methods=["POST"],
    tags=["key pairs"],
    summary="Import a public key, or (without one) have Zenith make a key pair: its private key is answered once",
    request=s.KeyPairImport,
    responses={201: s.KeyPairCreated, **errors(400, 409)},
)
@api_view(["GET", "POST"])
def keypair_list(request):
    conn = connection(request)
    if request.method == "POST":
        body = read(s.KeyPairImport, request.data)
        problems, name, public = {}, "", ""
        try:
            name = validate_keypair_name(body["name"])
        except DjangoValidationError as exc:
            problems["name"] = exc.messages
        try:
            public = validate_public_key(body["public_key"]) if body.get("public_key") else ""
        except DjangoValidationError as exc:
            problems["public_key"] = exc.messages
        if problems:
            raise serializers.ValidationError(problems)
        private = None
        if not public:
            public, private = keypairs.new_ssh_keypair(comment=f"{name}@zenith")
        made = keypairs.import_keypair(conn, name, public)
        return Response({"keypair": s.KeyPairSerializer(made).data, "private_key": private}, status=201)
    query = read(s.PageQuery, request.query_params)
    return Response(paged("keypairs", keypairs.list_keypairs(conn), query, s.KeyPairSerializer, id_of=lambda k: k.name))


@extend_schema(tags=["key pairs"], summary="Delete a key pair", request=None, responses={204: None, **errors(404)})
@api_view(["DELETE"])
def keypair_detail(request, name):
    keypairs.delete_keypair(connection(request), name)
    return Response(status=204)


# --- quotas ----------------------------------------------------------------------------------------


def quotas_of(conn, project_id: str) -> dict:
    """Nova, Cinder and Neutron quotas at once; a service that cannot be read is named in `unavailable`."""
    found = concurrently(
        {name: (lambda reader=reader: reader(conn, project_id)) for name, reader in quotas.QUOTA_READERS.items()},
        optional=tuple(quotas.QUOTA_READERS),
    )
    items, missing = [], {}
    for name, result in found.items():
        if isinstance(result, Exception):
            missing[name] = result.message
        else:
            items.extend(result)
    return {"project_id": project_id, "quotas": s.QuotaItemSerializer(items, many=True).data, "unavailable": missing}


@extend_schema(
    tags=["quotas"], summary="The current project's quotas and use", responses={200: s.QuotasOut, **errors()}
)
@api_view(["GET"])
def project_quotas(request):
    return Response(quotas_of(connection(request), request.user.project_id))


# --- usage -----------------------------------------------------------------------------------------


def period(query: dict) -> tuple[datetime, datetime]:
    now = datetime.now(UTC)
    start_day = query.get("start") or now.date().replace(day=1)
    end_day = query.get("end") or now.date()
    if start_day > end_day:
        raise serializers.ValidationError({"start": [_("The start must not be after the end.")]})
    if (end_day - start_day).days >= usage.MAX_REPORT_DAYS:
        raise serializers.ValidationError(
            {"end": [_("Choose at most %(days)d days.") % {"days": usage.MAX_REPORT_DAYS}]}
        )
    start = datetime.combine(start_day, time.min, tzinfo=UTC)
    end = min(now, datetime.combine(end_day, time.min, tzinfo=UTC) + timedelta(days=1))
    return start, max(start, end)


CSV = OpenApiResponse(OpenApiTypes.STR, description="text/csv with `format=csv`")
SERVER_FIELDS = ["instance_id", "name", "flavor", "vcpus", "memory_mb", "local_gb", "hours", "state"]


@extend_schema(
    tags=["usage"],
    summary="The current project's usage for a period (format=csv: a spreadsheet)",
    parameters=[s.UsageQuery],
    responses={200: s.ProjectUsageOut, **errors(400)},
)
@api_view(["GET"])
def project_usage(request):
    query = read(s.UsageQuery, request.query_params)
    start, end = period(query)
    pid = request.user.project_id
    found = usage.get_project_usage(connection(request), pid, start, end, settings.USAGE_PAGE_SIZE)
    if query["format"] == "csv":
        rows = [[getattr(u, f) for f in SERVER_FIELDS] for u in found.servers]
        return csv_response(f"usage_{pid}.csv", SERVER_FIELDS, rows)
    body = {
        "start": start,
        "end": end,
        "project_id": pid,
        "instance_hours": round(found.instance_hours, 4),
        "vcpu_hours": round(found.vcpu_hours, 4),
        "ram_gb_hours": round(found.ram_gb_hours, 4),
        "disk_gb_hours": round(found.disk_gb_hours, 4),
        "servers": found.servers,
    }
    return Response(s.ProjectUsageOut(body).data)
