"""The containers API (/api/v1/containers/): Swift containers and objects of the current project,
with the pages' rules and the API's error shape ({"error", "message"}). Object names travel in
the query or the body (they may hold "/", "?" and any character). Uploads: POST .../uploads/
registers them and answers their PUT addresses on the streamed upload route (dashboard.uploads);
downloads stream."""

from __future__ import annotations

from django.conf import settings
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from dashboard.cloud import CloudError, connection, containers, object_names, objects
from dashboard.live.tasks import announce
from dashboard.ui.streaming import streaming_response
from dashboard.uploads import progress

from . import containers_serializers as s
from . import lists
from .common import errors, read

TAG = ["containers"]


def _when(value):
    return value.isoformat() if value else None


def container_json(c: containers.Container, detail: bool = False) -> dict:
    body = {"name": c.name, "count": c.count, "bytes": c.bytes, "last_modified": _when(c.last_modified)}
    if detail:
        body.update(
            public=c.public,
            public_url=c.public_url if c.public else None,
            storage_policy=c.storage_policy,
            created=_when(c.created),
            metadata=c.metadata,
            quota_bytes=c.quota_bytes,
            quota_count=c.quota_count,
        )
    return body


def entry_json(e: objects.Entry) -> dict:
    if e.folder:
        return {"name": e.name, "folder": True}
    return {
        "name": e.name,
        "folder": False,
        "bytes": e.bytes,
        "content_type": e.content_type,
        "etag": e.etag,
        "last_modified": _when(e.last_modified),
        "large": e.large,
    }


def object_json(o: objects.ObjectInfo) -> dict:
    return {
        "container": o.container,
        "name": o.name,
        "bytes": o.bytes,
        "content_type": o.content_type,
        "etag": o.etag,
        "last_modified": _when(o.last_modified),
        "metadata": o.metadata,
        "large": o.large or None,
    }


def _changed(request, *containers: str) -> None:
    """The project's open containers lists read these rows again now (see live.tasks.announce)."""
    announce(request.keystone.project_id, "containers", list(containers))


def _container(name: str) -> str:
    problem = object_names.container_name_problem(name)
    if problem:
        raise CloudError("bad_request", problem)
    return name


def _object_name(value: str) -> str:
    problem = object_names.object_name_problem(value or "")
    if problem:
        raise CloudError("bad_request", problem)
    return value


class ContainerCreate(serializers.Serializer):
    name = serializers.CharField(max_length=1024, trim_whitespace=False)
    public = serializers.BooleanField(required=False, default=False)
    storage_policy = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)

    def validate_name(self, value):
        problem = object_names.container_name_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value


@extend_schema(
    methods=["GET"],
    tags=TAG,
    summary="The current project's containers, one page (by name)",
    operation_id="containers_list",
    parameters=[s.CONTAINERS_QUERY],
    responses={200: s.ContainerPage, **errors(400)},
)
@extend_schema(
    methods=["POST"],
    tags=TAG,
    summary="Create a container",
    operation_id="containers_create",
    request=ContainerCreate,
    responses={201: s.ContainerOut, **errors(400, 409)},
)
@api_view(["GET", "POST"])
def container_list(request):
    conn = connection(request)
    if request.method == "POST":
        d = read(ContainerCreate, request.data)
        containers.create_container(conn, d["name"], d["storage_policy"], d["public"])
        return Response(
            {"container": container_json(containers.get_container(conn, d["name"]), detail=True)}, status=201
        )
    page = lists.fetch_page(s.CONTAINERS_QUERY, request, lambda params: containers.list_containers(conn, params))
    return Response(lists.page_body("containers", page, [container_json(c) for c in page.items]))


class ContainerChange(serializers.Serializer):
    public = serializers.BooleanField(required=False)
    metadata = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=256), required=False)


@extend_schema(
    methods=["GET"],
    tags=TAG,
    summary="One container",
    operation_id="containers_get",
    responses={200: s.ContainerOut, **errors(400, 404)},
)
@extend_schema(
    methods=["PATCH"],
    tags=TAG,
    summary="Make a container public or private, replace its metadata",
    operation_id="containers_update",
    request=ContainerChange,
    responses={200: s.ContainerOut, **errors(400, 404)},
)
@extend_schema(
    methods=["DELETE"],
    tags=TAG,
    summary="Delete a container (emptied first with empty=true)",
    operation_id="containers_delete",
    parameters=[s.ContainerDeleteQuery],
    request=None,
    responses={200: s.DeletedObjects, **errors(400, 404, 409)},
)
@api_view(["GET", "PATCH", "DELETE"])
def container_detail(request, container):
    conn = connection(request)
    name = _container(container)
    if request.method == "DELETE":
        empty = request.query_params.get("empty", "") in ("1", "true")
        deleted = containers.delete_container(conn, name, empty_first=empty)
        return Response({"deleted_objects": deleted})
    if request.method == "PATCH":
        d = read(ContainerChange, request.data)
        if "public" in d:
            containers.set_container_public(conn, name, d["public"])
        if "metadata" in d:
            bad = [k for k in d["metadata"] if not object_names.META_KEY.match(k)]
            if bad:
                raise serializers.ValidationError(
                    {
                        "metadata": [
                            _("Metadata keys are letters, digits, - and _: not %(keys)s.") % {"keys": ", ".join(bad)}
                        ]
                    }
                )
            current = containers.get_container(conn, name).metadata
            containers.set_container_metadata(conn, name, d["metadata"], removed=current)
    return Response({"container": container_json(containers.get_container(conn, name), detail=True)})


@extend_schema(
    tags=TAG,
    summary="A container's objects and folders, one page (by name; `folder` lists one folder)",
    operation_id="containers_objects_list",
    parameters=[s.ObjectListQuery],
    responses={200: s.ObjectPage, **errors(400, 404)},
)
@api_view(["GET"])
def object_list(request, container):
    folder = read(s.ObjectListQuery, request.query_params).get("folder") or ""
    if folder and not folder.endswith("/"):
        folder += "/"
    page = objects.list_objects(
        connection(request), _container(container), lists.params(s.ObjectListQuery, request), folder
    )
    return Response(lists.page_body("objects", page, [entry_json(e) for e in page.items]))


@extend_schema(
    methods=["GET"],
    tags=TAG,
    summary="One object (its name in the query)",
    operation_id="containers_object_get",
    parameters=[s.ObjectNameQuery],
    responses={200: s.ObjectOut, **errors(400, 404)},
)
@extend_schema(
    methods=["DELETE"],
    tags=TAG,
    summary="Delete an object, or a folder and everything under it (recursive=true)",
    operation_id="containers_object_delete",
    parameters=[s.ObjectDeleteQuery],
    request=None,
    responses={
        200: OpenApiResponse(s.DeletedObjects, description="a folder deleted recursively"),
        204: OpenApiResponse(None, description="the object deleted"),
        **errors(400, 404),
    },
)
@api_view(["GET", "DELETE"])
def object_detail(request, container):
    conn = connection(request)
    name = _object_name(request.query_params.get("name", ""))
    if request.method == "DELETE":
        if name.endswith("/") and request.query_params.get("recursive", "") in ("1", "true"):
            deleted = objects.delete_tree(conn, _container(container), name)
            _changed(request, container)
            return Response({"deleted_objects": deleted})
        objects.delete_object(conn, _container(container), name)
        _changed(request, container)
        return Response(status=204)
    return Response({"object": object_json(objects.get_object(conn, _container(container), name))})


@extend_schema(
    tags=TAG,
    summary="Download an object (streamed, as an attachment; its own Content-Type)",
    operation_id="containers_object_download",
    parameters=[s.ObjectNameQuery],
    responses={
        (200, "application/octet-stream"): OpenApiResponse(
            OpenApiTypes.BINARY, description="the object's bytes, with the object's Content-Type"
        ),
        **errors(400, 404),
    },
)
@api_view(["GET"])
def object_download(request, container):
    name = _object_name(request.query_params.get("name", ""))
    download = objects.open_download(connection(request), _container(container), name)
    response = streaming_response(request, download.chunks, download.info.content_type or "application/octet-stream")
    response["Content-Length"] = str(download.info.bytes)
    response["Content-Disposition"] = content_disposition_header(True, object_names.basename_of(name) or "download")
    return response


class TempUrlRequest(serializers.Serializer):
    name = serializers.CharField(max_length=1024, trim_whitespace=False)
    seconds = serializers.IntegerField(min_value=60, max_value=90 * 86400, default=86400)


@extend_schema(
    tags=TAG,
    summary="A temporary URL anyone can download the object with",
    operation_id="containers_object_temp_url",
    request=TempUrlRequest,
    responses={201: s.TempUrlOut, **errors(400, 404)},
)
@api_view(["POST"])
def object_temp_url(request, container):
    d = read(TempUrlRequest, request.data)
    url, expires = objects.create_temp_url(
        connection(request), _container(container), _object_name(d["name"]), d["seconds"]
    )
    return Response({"url": url, "expires": expires.isoformat()}, status=201)


class CopyRequest(serializers.Serializer):
    name = serializers.CharField(max_length=1024, trim_whitespace=False)
    to_container = serializers.CharField(max_length=256, trim_whitespace=False)
    to_name = serializers.CharField(max_length=1024, trim_whitespace=False)
    move = serializers.BooleanField(required=False, default=False)


@extend_schema(
    tags=TAG,
    summary="Copy or move (move=true) an object to a container and name",
    operation_id="containers_object_copy",
    request=CopyRequest,
    responses={201: s.CopyOut, **errors(400, 404)},
)
@api_view(["POST"])
def object_copy(request, container):
    d = read(CopyRequest, request.data)
    run = objects.move_object if d["move"] else objects.copy_object
    run(
        connection(request),
        _container(container),
        _object_name(d["name"]),
        _container(d["to_container"]),
        _object_name(d["to_name"]),
    )
    _changed(request, container, d["to_container"])
    return Response({"container": d["to_container"], "name": d["to_name"]}, status=201)


class UploadFile(serializers.Serializer):
    name = serializers.CharField(max_length=1024, trim_whitespace=False)
    size = serializers.IntegerField(min_value=0)

    def validate_name(self, value):
        problem = object_names.object_name_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value


class UploadRequest(serializers.Serializer):
    files = UploadFile(many=True)

    def validate_files(self, value):
        if not 1 <= len(value) <= 100:
            raise serializers.ValidationError(_("Announce between 1 and 100 files."))
        return value


@extend_schema(
    tags=TAG,
    summary="Register uploads: each answer's upload_url takes the file's bytes as a PUT",
    operation_id="containers_uploads_create",
    request=UploadRequest,
    responses={201: s.UploadsOut, **errors(400, 404)},
)
@api_view(["POST"])
def object_uploads(request, container):
    """Register uploads: each answer's upload_url takes the file's bytes as a PUT (X-CSRFToken)."""
    body = read(UploadRequest, request.data)
    name = _container(container)
    containers.get_container(connection(request), name)  # a missing container says so now
    user = request.keystone
    uploads = []
    for f in body["files"]:
        upload = progress.begin("containers", user.project_id, user.user_id, name, f["name"], f["size"])
        uploads.append(
            {
                "name": f["name"],
                "size": f["size"],
                "upload_url": upload.url,
                "cancel_url": reverse("containers:upload_cancel", args=[name, upload.id]),
                "segmented": f["size"] > settings.OBJECT_SEGMENT_BYTES,
            }
        )
    return Response({"uploads": uploads}, status=201)


# mounted at /api/v1/containers/ by dashboard/api/urls.py
urlpatterns = [
    path("", container_list),
    path("<str:container>/", container_detail),
    path("<str:container>/objects/", object_list),
    path("<str:container>/object/", object_detail),
    path("<str:container>/object/download/", object_download),
    path("<str:container>/object/temp-url/", object_temp_url),
    path("<str:container>/object/copy/", object_copy),
    path("<str:container>/uploads/", object_uploads),
]
