"""What every endpoint shares: reading input with a serializer (400 with field errors), paging a
list by marker with a maximum page size, and the error responses it documents.

An endpoint (see docs/adding-a-panel.md, "An API endpoint"):

    @extend_schema(parameters=[PageQuery], responses={200: VolumePage, **errors(400, 404)})
    @api_view(["GET"])
    def volume_list(request):
        query = read(PageQuery, request.query_params)
        items = volumes.list_all_volumes(connection(request))   # CloudError -> the error shape
        return Response(paged("volumes", items, query, VolumeSerializer))
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from .serializers import ErrorSerializer

ERROR_TEXT = {
    400: "bad input: `fields` says which",
    401: "no API key or session, or a revoked or expired key",
    403: "not allowed (another project's resource, admin only, quota)",
    404: "no such resource in this project",
    409: "the resource's state does not allow this",
    413: "request body too large",
    429: "too many requests: see the Retry-After header",
    503: "a cloud service is down",
}


def errors(*statuses: int) -> dict:
    """The documented error responses of an endpoint: the given ones plus those every endpoint has."""
    every = {401, 403, 429, 503}
    return {
        status: OpenApiResponse(ErrorSerializer, description=ERROR_TEXT[status])
        for status in sorted(every | set(statuses))
    }


def read(serializer_class, data, **kwargs):
    """The validated input, or a ValidationError (400 with the field errors)."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def paged(key: str, items: list, query: dict, serializer_class, id_of=None, context=None) -> dict:
    """One page of a list read whole from the cloud (Keystone, Placement have no markers): the rows
    after `marker`, at most `limit`, and the marker of the next page."""
    id_of = id_of or (lambda item: item.id)
    start = 0
    marker = str(query.get("marker") or "")
    if marker:
        ids = [id_of(item) for item in items]
        if marker not in ids:
            raise serializers.ValidationError({"marker": [_("No row has this marker (it may have been deleted).")]})
        start = ids.index(marker) + 1
    limit = query["limit"]
    rows = items[start : start + limit]
    more = start + limit < len(items)
    return {
        key: serializer_class(rows, many=True, context=context or {}).data,
        "next_marker": id_of(rows[-1]) if more and rows else None,
    }
