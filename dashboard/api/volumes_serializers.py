"""The documented answers of the volumes API (dashboard/api/volumes.py): what its endpoints really
return, read from the cloud layer's dataclasses (`volumes.Volume`, `Snapshot`, `Backup`, `Transfer`)
as `dataclasses.asdict` gives them, dates in ISO 8601. Only drf-spectacular reads these."""

from __future__ import annotations

from rest_framework import serializers

from .serializers import Page


class VolumeAttachmentOut(serializers.Serializer):
    server_id = serializers.CharField()
    device = serializers.CharField(help_text="empty while Nova has not said")
    attachment_id = serializers.CharField()
    server_name = serializers.CharField()


class VolumeOut(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    size = serializers.IntegerField(help_text="GiB")
    status = serializers.CharField(help_text="Cinder's status: available, in-use, creating, error, ...")
    bootable = serializers.BooleanField()
    volume_type = serializers.CharField()
    availability_zone = serializers.CharField()
    attachments = VolumeAttachmentOut(many=True)
    project_id = serializers.CharField()
    image_metadata = serializers.DictField(
        child=serializers.CharField(), help_text="what Cinder kept of the source image: min_ram, min_disk, ..."
    )
    description = serializers.CharField()
    encrypted = serializers.BooleanField()
    multiattach = serializers.BooleanField()
    created_at = serializers.DateTimeField(allow_null=True)
    metadata = serializers.DictField(child=serializers.CharField())
    snapshot_id = serializers.CharField(help_text="the snapshot it was made from, or empty")
    source_volid = serializers.CharField(help_text="the volume it was cloned from, or empty")
    migration_status = serializers.CharField()
    status_words = serializers.CharField(help_text="the status for people, translated")
    actions = serializers.ListField(
        child=serializers.CharField(), help_text="the actions the volume's state allows (sorted)"
    )


class VolumePageOut(Page):
    volumes = VolumeOut(many=True)


class VolumeOne(serializers.Serializer):
    volume = VolumeOut()


class CreatedRef(serializers.Serializer):
    id = serializers.CharField()


class VolumeCreated(serializers.Serializer):
    volume = CreatedRef(help_text="the new volume (Cinder makes it later: poll its status)")


class VolumeAccepted(serializers.Serializer):
    status = serializers.ChoiceField(choices=["accepted"])


class VolumeActionOut(serializers.Serializer):
    status = serializers.ChoiceField(choices=["accepted"])
    action = serializers.CharField()
    device = serializers.CharField(required=False, help_text="attach only: the device Nova chose")
    snapshot = serializers.CharField(required=False, help_text="revert only: the snapshot reverted to")


class VolumeSnapshotOut(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    size = serializers.IntegerField(help_text="GiB")
    status = serializers.CharField()
    status_words = serializers.CharField(help_text="the status for people, translated")
    volume_id = serializers.CharField()
    description = serializers.CharField()
    project_id = serializers.CharField()
    created_at = serializers.CharField(help_text="as Cinder gives it (ISO 8601), or empty")


class VolumeSnapshotPage(Page):
    snapshots = VolumeSnapshotOut(many=True)


class VolumeSnapshotOne(serializers.Serializer):
    snapshot = VolumeSnapshotOut()


class VolumeSnapshotCreated(serializers.Serializer):
    snapshot = CreatedRef()


class VolumeBackupOut(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField()
    status_words = serializers.CharField(help_text="the status for people, translated")
    size = serializers.IntegerField(help_text="GiB")
    volume_id = serializers.CharField()
    snapshot_id = serializers.CharField()
    description = serializers.CharField()
    incremental = serializers.BooleanField()
    has_dependent_backups = serializers.BooleanField()
    created_at = serializers.DateTimeField(allow_null=True)
    fail_reason = serializers.CharField()


class VolumeBackupPage(Page):
    backups = VolumeBackupOut(many=True)


class VolumeBackupOne(serializers.Serializer):
    backup = VolumeBackupOut()


class VolumeBackupCreated(serializers.Serializer):
    backup = CreatedRef()


class VolumeIdAccepted(serializers.Serializer):
    status = serializers.ChoiceField(choices=["accepted"])
    volume_id = serializers.CharField()


class VolumeTransferOut(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    volume_id = serializers.CharField()
    created_at = serializers.DateTimeField(allow_null=True)


class VolumeTransferList(serializers.Serializer):
    transfers = VolumeTransferOut(many=True, help_text="the project's open transfers (never their keys)")


class VolumeTransferNew(VolumeTransferOut):
    auth_key = serializers.CharField(help_text="shown in this answer only (Cache-Control: no-store)")


class VolumeTransferCreated(serializers.Serializer):
    transfer = VolumeTransferNew()
