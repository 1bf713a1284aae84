"""/api/v1/images/: the current project's images, with the same rules and error shape as the rest
of the API (session login, current project, CSRF on writes, {"error", "message"} on refusals).

An upload is two requests, as on the page: POST /api/v1/images/ creates the image and answers its
`upload_url`; PUT the raw file there (dashboard.uploads streams it to Glance).
"""

from __future__ import annotations

import re
from dataclasses import asdict

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from dashboard.accounts.api import HasProject
from dashboard.cloud import connection, images
from dashboard.panels.images.lists import IMAGES
from dashboard.uploads import progress

from . import images_serializers as out
from . import lists
from .common import errors, read

TAG = ["images"]
IMAGES_QUERY = lists.query(IMAGES)


def image_json(image: images.ImageDetail) -> dict:
    """The image as Glance says it, and its status and visibility for people (translated)."""
    return {**asdict(image), "status_words": image.status_words, "visibility_words": image.visibility_words}


class ImageCreate(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    disk_format = serializers.ChoiceField(choices=images.DISK_FORMATS)
    container_format = serializers.ChoiceField(choices=images.CONTAINER_FORMATS, default="bare")
    min_disk = serializers.IntegerField(min_value=0, default=0)
    min_ram = serializers.IntegerField(min_value=0, default=0)
    visibility = serializers.ChoiceField(choices=images.VISIBILITIES, default="private")
    protected = serializers.BooleanField(default=False)
    architecture = serializers.CharField(required=False, max_length=64)
    os_distro = serializers.CharField(required=False, max_length=64)
    os_version = serializers.CharField(required=False, max_length=64)
    properties = serializers.DictField(child=serializers.CharField(max_length=65535), required=False)
    size = serializers.IntegerField(min_value=0, required=False, help_text="bytes the upload will send")
    url = serializers.URLField(required=False, help_text="import with Glance's web-download instead of an upload")

    def validate_properties(self, value):
        reserved = sorted(set(value) & images.BASE_FIELDS)
        if reserved:
            raise serializers.ValidationError(
                _("Glance sets these, they are not properties: %(names)s") % {"names": ", ".join(reserved)}
            )
        return value


class ImageEdit(serializers.Serializer):
    name = serializers.CharField(max_length=255, required=False)
    visibility = serializers.ChoiceField(choices=images.VISIBILITIES, required=False)
    protected = serializers.BooleanField(required=False)
    min_disk = serializers.IntegerField(min_value=0, required=False)
    min_ram = serializers.IntegerField(min_value=0, required=False)
    properties = serializers.DictField(child=serializers.CharField(max_length=65535), required=False)

    validate_properties = ImageCreate.validate_properties


@extend_schema(
    methods=["GET"],
    tags=TAG,
    summary="The current project's images, one page",
    operation_id="images_list",
    parameters=[IMAGES_QUERY],
    responses={200: out.ImagePage, **errors(400)},
)
@extend_schema(
    methods=["POST"],
    tags=TAG,
    summary="Create an image: then PUT its file to `upload_url`, or give `url` for Glance to import it",
    operation_id="images_create",
    request=ImageCreate,
    responses={201: out.ImageCreated, **errors(400, 409)},
)
@api_view(["GET", "POST"])
@permission_classes([HasProject])
def image_list(request):
    conn = connection(request)
    user = request.keystone
    if request.method == "POST":
        fields = read(ImageCreate, request.data)
        image = images.create_image(conn, fields)
        answer = {"image": image_json(image)}
        if fields.get("url"):
            try:
                images.import_image_from_url(conn, image.id, fields["url"])
            except Exception:
                images.delete_image(conn, image.id)
                raise
        else:
            upload = progress.begin(
                "images", user.project_id, user.user_id, image.id, image.name, fields.get("size", 0)
            )
            answer["upload_url"] = upload.url
            answer["cancel_url"] = reverse("images:upload_cancel", args=[upload.id])
        return Response(answer, status=201)
    page = lists.fetch_page(IMAGES_QUERY, request, lambda params: images.list_images(conn, params, user.project_id))
    return Response(lists.page_body("images", page, [image_json(i) for i in page.items]))


@extend_schema(
    methods=["GET"],
    tags=TAG,
    summary="One image",
    operation_id="images_retrieve",
    responses={200: out.ImageAnswer, **errors(404)},
)
@extend_schema(
    methods=["PATCH"],
    tags=TAG,
    summary="Change an image's name, visibility, protection, minimums or properties",
    operation_id="images_partial_update",
    request=ImageEdit,
    responses={200: out.ImageAnswer, **errors(400, 404, 409)},
)
@extend_schema(
    methods=["DELETE"],
    tags=TAG,
    summary="Delete an image",
    operation_id="images_destroy",
    responses={204: None, **errors(404, 409)},
)
@api_view(["GET", "PATCH", "DELETE"])
@permission_classes([HasProject])
def image_detail(request, image_id):
    conn = connection(request)
    image_id = str(image_id)
    if request.method == "DELETE":
        images.delete_image(conn, image_id)
        return Response(status=204)
    image = images.get_image_with_properties(conn, image_id)
    if request.method == "PATCH":
        body = read(ImageEdit, request.data)
        changes = dict(body)
        if "properties" in changes:
            changes["properties"] = {**changes["properties"]}
        images.update_image(conn, image_id, images.image_patch(image, changes))
        image = images.get_image_with_properties(conn, image_id)
    return Response({"image": image_json(image)})


class MemberAdd(serializers.Serializer):
    project_id = serializers.RegexField(r"^[0-9a-fA-F-]{32,36}$")


class MemberAnswer(serializers.Serializer):
    status = serializers.ChoiceField(choices=("accepted", "rejected"))


@extend_schema(
    methods=["GET"],
    tags=TAG,
    summary="The projects an image is shared with",
    operation_id="images_members_list",
    responses={200: out.MemberList, **errors(404)},
)
@extend_schema(
    methods=["POST"],
    tags=TAG,
    summary="Share an image with another project (its answer starts pending)",
    operation_id="images_members_create",
    request=MemberAdd,
    responses={201: out.MemberStatus, **errors(400, 404, 409)},
)
@api_view(["GET", "POST"])
@permission_classes([HasProject])
def image_members(request, image_id):
    conn = connection(request)
    if request.method == "POST":
        body = read(MemberAdd, request.data)
        images.add_image_member(conn, str(image_id), body["project_id"].replace("-", ""))
        return Response({"status": "pending"}, status=201)
    return Response({"members": [asdict(m) for m in images.list_image_members(conn, str(image_id))]})


MEMBER_PATH = [
    OpenApiParameter("image_id", OpenApiTypes.UUID, OpenApiParameter.PATH),
    OpenApiParameter(
        "project_id", OpenApiTypes.STR, OpenApiParameter.PATH, pattern="^[0-9a-f]{32}$", description="a project id"
    ),
]


@extend_schema(
    methods=["PUT"],
    tags=TAG,
    summary="Accept or reject a share made to the current project (`project_id` must be its own)",
    operation_id="images_member_answer",
    parameters=MEMBER_PATH,
    request=MemberAnswer,
    responses={200: out.MemberStatus, **errors(400, 404)},
)
@extend_schema(
    methods=["DELETE"],
    tags=TAG,
    summary="Stop sharing an image with a project (the owner)",
    operation_id="images_member_destroy",
    parameters=MEMBER_PATH,
    responses={204: None, **errors(404)},
)
@api_view(["PUT", "DELETE"])
@permission_classes([HasProject])
def image_member(request, image_id, project_id):
    """PUT {"status": "accepted"|"rejected"}: the current project answers a share (project_id must
    be its own); DELETE: the owner stops sharing with that project."""
    if not re.fullmatch(r"[0-9a-f]{32}", project_id):
        raise Http404  # Keystone project ids are 32 hex digits
    conn = connection(request)
    if request.method == "DELETE":
        images.remove_image_member(conn, str(image_id), project_id)
        return Response(status=204)
    if project_id != request.keystone.project_id:
        raise PermissionDenied(_("A project answers only the shares made to it."))
    body = read(MemberAnswer, request.data)
    images.answer_image_share(conn, str(image_id), project_id, body["status"] == "accepted")
    return Response({"status": body["status"]})
