"""The JSON API of volumes, snapshots, backups and transfers (/api/v1/volumes/, ...): the same
rules as the pages (the session's user, their current project) and the same error shape as the
rest of the API (`{"error", "message"}`, with the HTTP status of the cloud's refusal)."""

from __future__ import annotations

from dataclasses import asdict

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from dashboard.cloud import (
    CloudError,
    backups,
    connection,
    instance_actions,
    snapshots,
    transfers,
    volume_actions,
    volume_types,
    volumes,
)
from dashboard.panels.volumes.lists import BACKUPS, SNAPSHOTS, VOLUMES

from . import lists
from . import volumes_serializers as vs
from .common import errors, read
from .serializers import plain_text

MAX_SIZE = 16384

TAG = ["volumes"]
VOLUMES_QUERY, SNAPSHOTS_QUERY, BACKUPS_QUERY = lists.query(VOLUMES), lists.query(SNAPSHOTS), lists.query(BACKUPS)


def _json(obj) -> dict:
    data = asdict(obj)
    for key, value in data.items():
        if hasattr(value, "isoformat"):
            data[key] = value.isoformat()
    if hasattr(obj, "status_words"):  # volumes, snapshots, backups: their status for people
        data["status_words"] = obj.status_words
    return data


def volume_json(vol: volumes.Volume) -> dict:
    data = _json(vol)
    data["status_words"] = vol.status_words
    data["actions"] = sorted(volume_actions.allowed_actions(vol.status, bool(vol.attachments), vol.multiattach))
    return data


@extend_schema_serializer(component_name="VolumeCreate")
class NewVolume(serializers.Serializer):
    name = serializers.CharField(max_length=255, validators=[plain_text])
    size = serializers.IntegerField(min_value=1, max_value=MAX_SIZE)
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=255, default="", validators=[plain_text]
    )
    volume_type = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")
    availability_zone = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")
    image_id = serializers.UUIDField(required=False)
    snapshot_id = serializers.UUIDField(required=False)
    source_volid = serializers.UUIDField(required=False)
    backup_id = serializers.UUIDField(required=False)
    metadata = serializers.DictField(child=serializers.CharField(max_length=255), required=False, default=dict)

    def validate(self, attrs):
        sources = [k for k in ("image_id", "snapshot_id", "source_volid", "backup_id") if attrs.get(k)]
        if len(sources) > 1:
            raise serializers.ValidationError(_("Give at most one of image_id, snapshot_id, source_volid, backup_id."))
        return attrs


@extend_schema(
    methods=["GET"],
    tags=TAG,
    summary="The current project's volumes, one page (newest first)",
    operation_id="volumes_list",
    parameters=[VOLUMES_QUERY],
    responses={200: vs.VolumePageOut, **errors(400)},
)
@extend_schema(
    methods=["POST"],
    tags=TAG,
    summary="Create a volume: empty, or from one image, snapshot, volume or backup (quota checked first)",
    operation_id="volumes_create",
    request=NewVolume,
    responses={202: vs.VolumeCreated, **errors(400, 404)},
)
@api_view(["GET", "POST"])
def volume_list(request):
    conn = connection(request)
    if request.method == "POST":
        d = read(NewVolume, request.data)
        problem = volume_types.quota_problem(
            volume_types.get_volume_quota_set(conn, request.keystone.project_id), d["size"], d["volume_type"]
        )
        if problem:
            raise CloudError("quota", problem)
        new = volumes.NewVolume(**{k: str(v) if k.endswith("_id") or k == "source_volid" else v for k, v in d.items()})
        return Response({"volume": {"id": volumes.create_volume(conn, new)}}, status=202)
    page = lists.fetch_page(VOLUMES_QUERY, request, lambda params: volumes.list_volumes(conn, params))
    return Response(lists.page_body("volumes", page, [volume_json(v) for v in page.items]))


@extend_schema(
    methods=["GET"],
    tags=TAG,
    summary="One volume",
    operation_id="volumes_get",
    responses={200: vs.VolumeOne, **errors(404)},
)
@extend_schema(
    methods=["DELETE"],
    tags=TAG,
    summary="Delete a volume",
    operation_id="volumes_delete",
    request=None,
    responses={202: vs.VolumeAccepted, **errors(404, 409)},
)
@api_view(["GET", "DELETE"])
def volume_detail(request, volume_id):
    conn = connection(request)
    if request.method == "DELETE":
        volumes.delete_volume(conn, str(volume_id))
        return Response({"status": "accepted"}, status=202)
    return Response({"volume": volume_json(volumes.get_volume_with_names(conn, str(volume_id)))})


class VolumeAction(serializers.Serializer):
    action = serializers.ChoiceField(choices=["extend", "attach", "detach", "set_bootable", "retype", "revert"])
    new_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_SIZE)
    server_id = serializers.UUIDField(required=False)
    bootable = serializers.BooleanField(required=False)
    volume_type = serializers.CharField(required=False, max_length=255)
    migrate = serializers.BooleanField(required=False, default=False)

    NEEDS = {"extend": "new_size", "attach": "server_id", "detach": "server_id", "set_bootable": "bootable"}
    NEEDS["retype"] = "volume_type"

    def validate(self, attrs):
        needed = self.NEEDS.get(attrs["action"])
        if needed and attrs.get(needed) is None:
            raise serializers.ValidationError(
                {needed: _("%(action)s needs %(field)s.") % {"action": attrs["action"], "field": needed}}
            )
        return attrs


@extend_schema(
    tags=TAG,
    summary="extend, attach, detach, set_bootable, retype or revert (to the latest snapshot)",
    operation_id="volumes_action",
    request=VolumeAction,
    responses={202: vs.VolumeActionOut, **errors(400, 404, 409)},
)
@api_view(["POST"])
def volume_action(request, volume_id):
    d = read(VolumeAction, request.data)
    conn = connection(request)
    vid = str(volume_id)
    answer: dict = {"status": "accepted", "action": d["action"]}
    if d["action"] == "extend":
        current = volumes.get_volume_with_names(conn, vid)
        if d["new_size"] <= current.size:
            raise CloudError(
                "bad_request", _("The new size must be larger than the current %(size)s GiB.") % {"size": current.size}
            )
        volume_actions.extend_volume(conn, vid, d["new_size"])
    elif d["action"] == "attach":
        answer["device"] = instance_actions.attach_volume(conn, str(d["server_id"]), vid)
    elif d["action"] == "detach":
        instance_actions.detach_volume(conn, str(d["server_id"]), vid)
    elif d["action"] == "set_bootable":
        volume_actions.set_volume_bootable(conn, vid, d["bootable"])
    elif d["action"] == "retype":
        volume_actions.retype_volume(conn, vid, d["volume_type"], d["migrate"])
    else:
        answer["snapshot"] = volume_actions.revert_to_latest_snapshot(conn, vid)
    return Response(answer, status=202)


@extend_schema_serializer(component_name="VolumeSnapshotCreate")
class NewSnapshot(serializers.Serializer):
    volume_id = serializers.UUIDField()
    name = serializers.CharField(max_length=255, validators=[plain_text])
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=255, default="", validators=[plain_text]
    )
    force = serializers.BooleanField(required=False, default=False)


@extend_schema(
    methods=["GET"],
    tags=TAG,
    summary="The current project's volume snapshots, one page",
    operation_id="volume_snapshots_list",
    parameters=[SNAPSHOTS_QUERY],
    responses={200: vs.VolumeSnapshotPage, **errors(400)},
)
@extend_schema(
    methods=["POST"],
    tags=TAG,
    summary="Snapshot a volume (force: even an attached one)",
    operation_id="volume_snapshots_create",
    request=NewSnapshot,
    responses={202: vs.VolumeSnapshotCreated, **errors(400, 404, 409)},
)
@api_view(["GET", "POST"])
def snapshot_list(request):
    conn = connection(request)
    if request.method == "POST":
        d = read(NewSnapshot, request.data)
        snap_id = snapshots.create_snapshot(conn, str(d["volume_id"]), d["name"], d["description"], d["force"])
        return Response({"snapshot": {"id": snap_id}}, status=202)
    page, _names = lists.fetch_page(SNAPSHOTS_QUERY, request, lambda params: snapshots.list_snapshots(conn, params))
    return Response(lists.page_body("snapshots", page, [_json(s) for s in page.items]))


@extend_schema(
    methods=["GET"],
    tags=TAG,
    summary="One volume snapshot",
    operation_id="volume_snapshots_get",
    responses={200: vs.VolumeSnapshotOne, **errors(404)},
)
@extend_schema(
    methods=["DELETE"],
    tags=TAG,
    summary="Delete a volume snapshot",
    operation_id="volume_snapshots_delete",
    request=None,
    responses={202: vs.VolumeAccepted, **errors(404, 409)},
)
@api_view(["GET", "DELETE"])
def snapshot_detail(request, snapshot_id):
    conn = connection(request)
    if request.method == "DELETE":
        snapshots.delete_snapshot(conn, str(snapshot_id))
        return Response({"status": "accepted"}, status=202)
    return Response({"snapshot": _json(snapshots.get_snapshot(conn, str(snapshot_id)))})


@extend_schema_serializer(component_name="VolumeBackupCreate")
class NewBackup(serializers.Serializer):
    volume_id = serializers.UUIDField()
    name = serializers.CharField(max_length=255, validators=[plain_text])
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=255, default="", validators=[plain_text]
    )
    incremental = serializers.BooleanField(required=False, default=False)
    force = serializers.BooleanField(required=False, default=False)
    snapshot_id = serializers.UUIDField(required=False)


@extend_schema(
    methods=["GET"],
    tags=TAG,
    summary="The current project's volume backups, one page",
    operation_id="volume_backups_list",
    parameters=[BACKUPS_QUERY],
    responses={200: vs.VolumeBackupPage, **errors(400)},
)
@extend_schema(
    methods=["POST"],
    tags=TAG,
    summary="Back up a volume (full or incremental, or from one of its snapshots)",
    operation_id="volume_backups_create",
    request=NewBackup,
    responses={202: vs.VolumeBackupCreated, **errors(400, 404, 409)},
)
@api_view(["GET", "POST"])
def backup_list(request):
    conn = connection(request)
    if request.method == "POST":
        d = read(NewBackup, request.data)
        backup_id = backups.create_backup(
            conn,
            str(d["volume_id"]),
            d["name"],
            d["description"],
            incremental=d["incremental"],
            force=d["force"],
            snapshot_id=str(d.get("snapshot_id") or ""),
        )
        return Response({"backup": {"id": backup_id}}, status=202)
    page, _names = lists.fetch_page(BACKUPS_QUERY, request, lambda params: backups.list_backups(conn, params))
    return Response(lists.page_body("backups", page, [_json(b) for b in page.items]))


@extend_schema(
    methods=["GET"],
    tags=TAG,
    summary="One volume backup",
    operation_id="volume_backups_get",
    responses={200: vs.VolumeBackupOne, **errors(404)},
)
@extend_schema(
    methods=["DELETE"],
    tags=TAG,
    summary="Delete a volume backup",
    operation_id="volume_backups_delete",
    request=None,
    responses={202: vs.VolumeAccepted, **errors(404, 409)},
)
@api_view(["GET", "DELETE"])
def backup_detail(request, backup_id):
    conn = connection(request)
    if request.method == "DELETE":
        backups.delete_backup(conn, str(backup_id))
        return Response({"status": "accepted"}, status=202)
    return Response({"backup": _json(backups.get_backup(conn, str(backup_id)))})


@extend_schema_serializer(component_name="VolumeBackupRestore")
class Restore(serializers.Serializer):
    volume_id = serializers.UUIDField(required=False)
    name = serializers.CharField(required=False, max_length=255, validators=[plain_text])


@extend_schema(
    tags=TAG,
    summary="Restore a backup into an existing volume (volume_id) or a new one (name)",
    operation_id="volume_backups_restore",
    request=Restore,
    responses={202: vs.VolumeIdAccepted, **errors(400, 404, 409)},
)
@api_view(["POST"])
def backup_restore(request, backup_id):
    d = read(Restore, request.data)
    volume_id = backups.restore_backup(
        connection(request), str(backup_id), volume_id=str(d.get("volume_id") or ""), name=d.get("name") or ""
    )
    return Response({"status": "accepted", "volume_id": volume_id}, status=202)


@extend_schema_serializer(component_name="VolumeTransferCreate")
class NewTransfer(serializers.Serializer):
    volume_id = serializers.UUIDField()
    name = serializers.CharField(max_length=255, validators=[plain_text])


@extend_schema(
    methods=["GET"],
    tags=TAG,
    summary="The current project's open volume transfers (without their keys)",
    operation_id="volume_transfers_list",
    responses={200: vs.VolumeTransferList, **errors()},
)
@extend_schema(
    methods=["POST"],
    tags=TAG,
    summary="Offer a volume to another project: the answer's auth_key is shown once",
    operation_id="volume_transfers_create",
    request=NewTransfer,
    responses={201: vs.VolumeTransferCreated, **errors(400, 404, 409)},
)
@api_view(["GET", "POST"])
def transfer_list(request):
    conn = connection(request)
    if request.method == "POST":
        body = read(NewTransfer, request.data)
        created = transfers.create_transfer(conn, str(body["volume_id"]), body["name"])
        # the authorisation key is in this answer only: Zenith keeps no copy
        response = Response({"transfer": _json(created)}, status=201)
        response["Cache-Control"] = "no-store"
        return response
    return Response(
        {"transfers": [{k: v for k, v in _json(t).items() if k != "auth_key"} for t in transfers.list_transfers(conn)]}
    )


@extend_schema(
    tags=TAG,
    summary="Cancel a volume transfer",
    operation_id="volume_transfers_delete",
    request=None,
    responses={202: vs.VolumeAccepted, **errors(404)},
)
@api_view(["DELETE"])
def transfer_detail(request, transfer_id):
    transfers.delete_transfer(connection(request), str(transfer_id))
    return Response({"status": "accepted"}, status=202)


@extend_schema_serializer(component_name="VolumeTransferAccept")
class Accept(serializers.Serializer):
    auth_key = serializers.CharField(max_length=64)


@extend_schema(
    tags=TAG,
    summary="Accept a volume transfer into the current project (with its auth_key)",
    operation_id="volume_transfers_accept",
    request=Accept,
    responses={202: vs.VolumeIdAccepted, **errors(400, 404, 409)},
)
@api_view(["POST"])
def transfer_accept(request, transfer_id):
    body = read(Accept, request.data)
    volume_id = transfers.accept_transfer(connection(request), str(transfer_id), body["auth_key"])
    return Response({"status": "accepted", "volume_id": volume_id}, status=202)


urlpatterns = [
    path("volumes/", volume_list),
    path("volumes/<uuid:volume_id>/", volume_detail),
    path("volumes/<uuid:volume_id>/action/", volume_action),
    path("snapshots/", snapshot_list),
    path("snapshots/<uuid:snapshot_id>/", snapshot_detail),
    path("backups/", backup_list),
    path("backups/<uuid:backup_id>/", backup_detail),
    path("backups/<uuid:backup_id>/restore/", backup_restore),
    path("transfers/", transfer_list),
    path("transfers/<uuid:transfer_id>/", transfer_detail),
    path("transfers/<uuid:transfer_id>/accept/", transfer_accept),
]
