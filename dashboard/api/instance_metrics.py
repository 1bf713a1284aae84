"""/api/v1/instances/<id>/metrics/: one usage series of an instance, read from the cloud's metric
service (Gnocchi) with the caller's token, as the instance page's Usage card draws it.

What it costs: one Gnocchi request for the series and the instance's read from Nova (its vCPUs for
CPU %, and a 404 for an instance the project does not have), made at once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from dashboard.cloud import CloudError, connection, instances, telemetry

from .common import errors, read

DEFAULT_SPAN = timedelta(hours=1)
# the times a question may name (Gnocchi keeps nothing before its epoch; beyond, dates overflow)
EARLIEST = datetime(1970, 1, 2, tzinfo=UTC)
LATEST = datetime(2999, 12, 31, tzinfo=UTC)


class MetricsQuery(serializers.Serializer):
    metric = serializers.ChoiceField(
        choices=list(telemetry.SERIES),
        help_text="cpu (% of the vCPUs), memory (MB used), disk.read / disk.write and net.in / net.out (bytes/s)",
    )
    start = serializers.DateTimeField(required=False, help_text="ISO 8601; default: an hour before stop")
    stop = serializers.DateTimeField(required=False, help_text="ISO 8601; default: now")
    granularity = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=86400,
        help_text="seconds per point, one the cloud's archive policy keeps (60, 3600, 86400); "
        "default: 60 up to a day, 3600 up to 30 days, else 86400",
    )

    def validate(self, attrs):
        for name in ("start", "stop"):
            moment = attrs.get(name)
            if moment is not None and not EARLIEST <= moment.astimezone(UTC) <= LATEST:
                raise serializers.ValidationError({name: [_("Give a time between 1970 and 2999.")]})
        stop = (attrs.get("stop") or datetime.now(UTC)).astimezone(UTC)
        start = (attrs.get("start") or stop - DEFAULT_SPAN).astimezone(UTC)
        if start >= stop:
            raise serializers.ValidationError({"start": [_("The start must be before the stop.")]})
        if stop - start > telemetry.LONGEST:
            raise serializers.ValidationError({"start": [_("The period can be at most a year long.")]})
        return {**attrs, "start": start, "stop": stop}


class MetricsOut(serializers.Serializer):
    metric = serializers.CharField()
    unit = serializers.CharField(help_text="%, MB or B/s")
    granularity = serializers.IntegerField(help_text="seconds per point")
    points = serializers.ListField(
        child=serializers.ListField(child=serializers.JSONField(), min_length=2, max_length=2),
        help_text="[time (ISO 8601, UTC), value], oldest first",
    )


@extend_schema(
    tags=["instances"],
    summary="An instance's usage over time (CPU, memory, disk, network), from the metric service",
    parameters=[MetricsQuery],
    responses={200: MetricsOut, **errors(400, 404)},
)
@api_view(["GET"])
def instance_metrics(request, server_id):
    query = read(MetricsQuery, request.query_params)
    conn = connection(request)
    if not telemetry.offered(conn):
        raise CloudError("unavailable", telemetry.unavailable_message(), service=telemetry.SERVICE)
    name, start, stop = query["metric"], query["start"], query["stop"]
    server_id = str(server_id)
    found = telemetry.read_series(
        conn,
        server_id,
        [name],
        start,
        stop,
        preferred=telemetry.granularity_for((stop - start).total_seconds()),
        vcpus=lambda answers: answers["server"].flavor.vcpus or 1,
        granularity=query.get("granularity"),
        extra={"server": lambda: instances.get_instance(conn, server_id, names=False)},
    )
    if isinstance(found[name], CloudError):
        raise found[name]
    return Response(found[name].as_dict())
