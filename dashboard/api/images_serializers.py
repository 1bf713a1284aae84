"""The shapes /api/v1/images/ answers, for the OpenAPI schema (the endpoints build plain dicts:
`dataclasses.asdict` of dashboard.cloud.images' ImageDetail and Member)."""

from __future__ import annotations

from rest_framework import serializers

from dashboard.cloud import images

from .serializers import Page


class ImageOut(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(help_text="may be empty")
    status = serializers.CharField(help_text="Glance's status: " + ", ".join(images.STATUSES))
    visibility = serializers.CharField(help_text="private, shared, community or public")
    owner_id = serializers.CharField(help_text="the owning project's id")
    disk_format = serializers.CharField()
    container_format = serializers.CharField()
    size = serializers.IntegerField(allow_null=True, help_text="bytes; null until the data is uploaded")
    min_disk = serializers.IntegerField(help_text="GiB")
    min_ram = serializers.IntegerField(help_text="MiB")
    is_protected = serializers.BooleanField()
    created_at = serializers.CharField(help_text="ISO 8601")
    virtual_size = serializers.IntegerField(allow_null=True, help_text="bytes")
    updated_at = serializers.CharField(help_text="ISO 8601")
    checksum = serializers.CharField()
    os_hash_algo = serializers.CharField()
    os_hash_value = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())
    properties = serializers.DictField(child=serializers.CharField(), help_text="custom properties")
    owner_name = serializers.CharField(help_text="empty when not looked up")
    status_words = serializers.CharField(help_text="the status for people, translated")
    visibility_words = serializers.CharField(help_text="the visibility for people, translated")


class ImagePage(Page):
    images = ImageOut(many=True)


class ImageAnswer(serializers.Serializer):
    image = ImageOut()


class ImageCreated(serializers.Serializer):
    image = ImageOut()
    upload_url = serializers.CharField(
        required=False, help_text="PUT the raw file here (absent when the image is imported from `url`)"
    )
    cancel_url = serializers.CharField(required=False, help_text="cancels the upload (absent with `url`)")


class MemberOut(serializers.Serializer):
    member_id = serializers.CharField(help_text="the project the image is shared with")
    status = serializers.CharField(help_text="pending, accepted or rejected")
    name = serializers.CharField(help_text="the project's name, empty when not looked up")


class MemberList(serializers.Serializer):
    members = MemberOut(many=True)


class MemberStatus(serializers.Serializer):
    status = serializers.ChoiceField(choices=("pending", "accepted", "rejected"))
