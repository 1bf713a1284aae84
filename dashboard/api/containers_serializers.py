"""The documented shapes of the containers API (dashboard/api/containers.py): what its endpoints
answer, as the dicts container_json, entry_json and object_json build (dates are ISO 8601)."""

from __future__ import annotations

from rest_framework import serializers

from dashboard.panels.containers.lists import CONTAINERS, OBJECTS

from .lists import query
from .serializers import Page

# --- queries -------------------------------------------------------------------------------------


CONTAINERS_QUERY = query(CONTAINERS)


class ObjectListQuery(query(OBJECTS)):
    """A folder's list: the declaration's query and the folder."""

    folder = serializers.CharField(
        required=False, allow_blank=True, max_length=1024, trim_whitespace=False, help_text="list this folder only"
    )


class ContainerDeleteQuery(serializers.Serializer):
    empty = serializers.BooleanField(
        required=False, default=False, help_text="delete the container's objects first (`1` or `true`)"
    )


class ObjectNameQuery(serializers.Serializer):
    name = serializers.CharField(max_length=1024, help_text="the object's full name (it may hold `/`)")


class ObjectDeleteQuery(ObjectNameQuery):
    recursive = serializers.BooleanField(
        required=False,
        default=False,
        help_text="with a folder name (ending in `/`): delete everything under it (`1` or `true`)",
    )


# --- containers ----------------------------------------------------------------------------------


class ContainerSummary(serializers.Serializer):
    name = serializers.CharField()
    count = serializers.IntegerField(help_text="objects in the container")
    bytes = serializers.IntegerField()
    last_modified = serializers.DateTimeField(allow_null=True)


class ContainerDetail(ContainerSummary):
    public = serializers.BooleanField(help_text="readable by anyone")
    public_url = serializers.CharField(allow_null=True, help_text="the container's URL when public")
    storage_policy = serializers.CharField()
    created = serializers.DateTimeField(allow_null=True)
    metadata = serializers.DictField(child=serializers.CharField())
    quota_bytes = serializers.IntegerField(allow_null=True)
    quota_count = serializers.IntegerField(allow_null=True)


class ContainerPage(Page):
    containers = ContainerSummary(many=True)


class ContainerOut(serializers.Serializer):
    container = ContainerDetail()


class DeletedObjects(serializers.Serializer):
    deleted_objects = serializers.IntegerField(help_text="objects deleted with it")


# --- objects -------------------------------------------------------------------------------------


class ObjectEntry(serializers.Serializer):
    """A row of a folder: a folder has only `name` and `folder`."""

    name = serializers.CharField()
    folder = serializers.BooleanField()
    bytes = serializers.IntegerField(required=False)
    content_type = serializers.CharField(required=False)
    etag = serializers.CharField(required=False)
    last_modified = serializers.DateTimeField(required=False, allow_null=True)
    large = serializers.BooleanField(required=False, help_text="a static large object")


class ObjectPage(Page):
    objects = ObjectEntry(many=True)


class ObjectDetail(serializers.Serializer):
    container = serializers.CharField()
    name = serializers.CharField()
    bytes = serializers.IntegerField()
    content_type = serializers.CharField()
    etag = serializers.CharField()
    last_modified = serializers.DateTimeField(allow_null=True)
    metadata = serializers.DictField(child=serializers.CharField())
    large = serializers.ChoiceField(
        choices=["static", "dynamic"], allow_null=True, help_text="a large object's kind (SLO or DLO)"
    )


class ObjectOut(serializers.Serializer):
    object = ObjectDetail()


class TempUrlOut(serializers.Serializer):
    url = serializers.URLField(help_text="anyone can GET the object with it until it expires")
    expires = serializers.DateTimeField()


class CopyOut(serializers.Serializer):
    container = serializers.CharField(help_text="the copy's container")
    name = serializers.CharField(help_text="the copy's name")


class UploadOut(serializers.Serializer):
    name = serializers.CharField()
    size = serializers.IntegerField()
    upload_url = serializers.CharField(help_text="PUT the file's bytes here (with X-CSRFToken)")
    cancel_url = serializers.CharField()
    segmented = serializers.BooleanField(help_text="stored as a static large object (segments)")


class UploadsOut(serializers.Serializer):
    uploads = UploadOut(many=True)
