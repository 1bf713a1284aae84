"""/api/v1/instances/: the instances panel as JSON — list, launch, detail, every action, console.

Costs in cloud calls are the pages': a list is one Nova page plus the names (fill_names), an
action one call (a floating IP: the instance's ports, then Neutron's update).
"""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from dashboard.cloud import (
    CloudError,
    SessionExpired,
    connection,
    floatingips,
    instance_actions,
    instance_logs,
    instances,
    ports,
)
from dashboard.cloud.launch import get_launch_choices, launch_instance
from dashboard.launching import checked_launch, follow
from dashboard.live import consoles
from dashboard.panels.instances.lists import INSTANCES

from . import lists
from . import serializers as s
from .common import errors, read

INSTANCES_QUERY = lists.query(INSTANCES)

TAG = ["instances"]


def _context(request) -> dict:
    return {"is_admin": request.user.is_admin}


@extend_schema(
    methods=["GET"],
    tags=TAG,
    summary="The current project's instances, one page",
    operation_id="instances_list",
    parameters=[INSTANCES_QUERY],
    responses={200: s.InstancePage, **errors(400)},
)
@extend_schema(
    methods=["POST"],
    tags=TAG,
    summary="Launch instances (the launch form's sources, options and checks)",
    request=s.LaunchRequest,
    responses={202: s.LaunchOut, **errors(400, 409)},
)
@api_view(["GET", "POST"])
def instance_list(request):
    if request.method == "POST":
        return launch(request)
    page = lists.fetch_page(
        INSTANCES_QUERY, request, lambda params: instances.list_instances(connection(request), params)
    )
    return Response(
        lists.page_body("instances", page, s.InstanceSerializer(page.items, many=True, context=_context(request)).data)
    )


@extend_schema(
    tags=TAG,
    summary="What a launch can use: images, volumes, snapshots, flavors, networks, ports, groups, key pairs…",
    responses={200: s.LaunchChoicesOut, **errors()},
)
@api_view(["GET"])
def launch_options(request):
    choices = get_launch_choices(connection(request), request.user.project_id, sees_every_project=request.user.is_admin)
    optional = {"volumes": [], "snapshots": [], "ports": [], "zones": [], "server_groups": []}
    unavailable = {}
    for name in optional:
        if isinstance(choices[name], CloudError):
            unavailable[name] = choices[name].message
            choices[name] = []
    body = {key: choices[key] for key in ("images", "volumes", "snapshots", "flavors", "networks", "ports")}
    body.update(
        security_groups=choices["security_groups"],
        keypairs=choices["keypairs"],
        availability_zones=choices["zones"],
        server_groups=choices["server_groups"],
        unavailable=unavailable,
    )
    for port in body["ports"]:
        port.name = port.name or port.label
    return Response(s.LaunchChoicesOut(body).data)


# the API's names for the form's fields
FORM_FIELD = {"nic": "networks", "__all__": "non_field_errors", "user_data_file": "user_data"}


def _form_data(body: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name in ("name", "source_type", "image", "volume", "snapshot", "flavor", "key_name", "availability_zone"):
        data[name] = body.get(name) or ""
    data["server_group"] = body.get("server_group") or ""
    data["user_data"] = body.get("user_data") or ""
    data["count"] = str(body.get("count", 1))
    if body.get("volume_size") is not None:
        data["volume_size"] = str(body["volume_size"])
    for flag in ("delete_on_termination", "config_drive"):
        if body.get(flag):
            data[flag] = "on"
    data.setlist("nic", [f"net:{n}" for n in body.get("networks", [])] + [f"port:{p}" for p in body.get("ports", [])])
    data.setlist("security_groups", body.get("security_groups", []))
    data["metadata"] = "\n".join(f"{k}={v}" for k, v in (body.get("metadata") or {}).items())
    return data


def launch(request):
    body = read(s.LaunchRequest, request.data)
    conn = connection(request)
    form, _ctx, spec = checked_launch(
        conn, request.user.project_id, _form_data(body), sees_every_project=request.user.is_admin
    )
    if spec is None:
        fields: dict[str, list[str]] = {}
        for name, messages in form.errors.items():
            fields.setdefault(FORM_FIELD.get(name, name), []).extend(str(m) for m in messages)
        raise serializers.ValidationError(fields)
    server = launch_instance(conn, spec)
    follow(request.user.project_id, server)
    return Response({"id": server.id, "name": server.name, "count": spec.count}, status=202)


@extend_schema(
    methods=["GET"],
    tags=TAG,
    summary="One instance",
    operation_id="instances_get",
    responses={200: s.InstanceOut, **errors(404)},
)
@extend_schema(
    methods=["DELETE"],
    tags=TAG,
    summary="Delete an instance",
    request=None,
    responses={202: s.Accepted, **errors(404, 409)},
)
@api_view(["GET", "DELETE"])
def instance_detail(request, server_id):
    conn = connection(request)
    if request.method == "DELETE":
        instance_actions.run_simple_action(conn, str(server_id), "delete")
        return _accepted("delete")
    inst = instances.get_instance(conn, str(server_id))
    return Response({"instance": s.InstanceSerializer(inst, context=_context(request)).data})


def _accepted(action: str) -> Response:
    return Response({"status": "accepted", "action": action}, status=202)


@extend_schema(
    tags=TAG,
    summary="start, stop, reboot, pause, suspend, shelve, lock, confirm/revert resize, delete…",
    request=s.ActionRequest,
    responses={202: s.Accepted, **errors(400, 404, 409)},
)
@api_view(["POST"])
def instance_action(request, server_id):
    action = read(s.ActionRequest, request.data)["action"]
    # Nova decides whether the action fits the instance's state; its refusal comes back as a 409
    instance_actions.run_simple_action(connection(request), str(server_id), action)
    return _accepted(action)


def _action(request_class, summary: str, ok=s.Accepted, status_code: int = 202):
    return extend_schema(
        tags=TAG, summary=summary, request=request_class, responses={status_code: ok, **errors(400, 404, 409)}
    )


@_action(s.RenameRequest, "Rename")
@api_view(["POST"])
def rename(request, server_id):
    instance_actions.rename_instance(connection(request), str(server_id), read(s.RenameRequest, request.data)["name"])
    return _accepted("rename")


@_action(s.ResizeRequest, "Resize to another flavor (then confirm or revert)")
@api_view(["POST"])
def resize(request, server_id):
    instance_actions.resize_instance(
        connection(request), str(server_id), read(s.ResizeRequest, request.data)["flavor_id"]
    )
    return _accepted("resize")


@_action(s.RebuildRequest, "Rebuild from an image")
@api_view(["POST"])
def rebuild(request, server_id):
    instance_actions.rebuild_instance(
        connection(request), str(server_id), str(read(s.RebuildRequest, request.data)["image_id"])
    )
    return _accepted("rebuild")


@_action(s.SnapshotRequest, "Snapshot to a new image", ok=s.SnapshotOut)
@api_view(["POST"])
def snapshot(request, server_id):
    image_id = instance_actions.snapshot_instance(
        connection(request), str(server_id), read(s.SnapshotRequest, request.data)["name"]
    )
    return Response({"image_id": image_id}, status=202)


@_action(s.VolumeRequest, "Attach a volume")
@api_view(["POST"])
def attach_volume(request, server_id):
    volume_id = str(read(s.VolumeRequest, request.data)["volume_id"])
    instance_actions.attach_volume(connection(request), str(server_id), volume_id)
    return _accepted("attach_volume")


@_action(None, "Detach a volume")
@api_view(["DELETE"])
def detach_volume(request, server_id, volume_id):
    instance_actions.detach_volume(connection(request), str(server_id), str(volume_id))
    return _accepted("detach_volume")


@_action(s.InterfaceRequest, "Attach an interface (a network or an existing port)")
@api_view(["POST"])
def attach_interface(request, server_id):
    body = read(s.InterfaceRequest, request.data)
    instance_actions.attach_interface(
        connection(request), str(server_id), str(body.get("network_id") or ""), str(body.get("port_id") or "")
    )
    return _accepted("attach_interface")


@_action(None, "Detach an interface")
@api_view(["DELETE"])
def detach_interface(request, server_id, port_id):
    instance_actions.detach_interface(connection(request), str(server_id), str(port_id))
    return _accepted("detach_interface")


@_action(s.FloatingIPRequest, "Associate a floating IP (a free one, or a new one from a pool)", ok=s.FloatingIPOut)
@api_view(["POST"])
def associate_floating_ip(request, server_id):
    body = read(s.FloatingIPRequest, request.data)
    conn = connection(request)
    # only the instance's own ports (so this project's); the first with an address by default
    own = [p for p in ports.list_instance_ports(conn, str(server_id), request.user.project_id) if p.fixed_ips]
    wanted = str(body.get("port_id") or "")
    port = next((p for p in own if p.id == wanted or not wanted), None)
    if port is None:
        raise CloudError("not_found", _("The instance has no such port with an address."))
    address = floatingips.add_floating_ip_to_port(
        conn,
        port.id,
        port.fixed_ips[0],
        floating_ip_id=str(body.get("floating_ip_id") or ""),
        pool_id=str(body.get("pool_id") or ""),
    )
    return Response({"floating_ip_address": address}, status=200)


@_action(None, "Disassociate a floating IP of the instance")
@api_view(["DELETE"])
def disassociate_floating_ip(request, server_id, floating_ip_id):
    conn = connection(request)
    own = ports.list_instance_ports(conn, str(server_id), request.user.project_id)
    if str(floating_ip_id) not in {f for p in own for f, _address in p.floating_ips}:
        raise CloudError("not_found", _("That floating IP is not associated with this instance."))
    floatingips.disassociate_floating_ip(conn, str(floating_ip_id))
    return _accepted("disassociate_floating_ip")


@_action(s.SecurityGroupsRequest, "Add and remove security groups (by name)")
@api_view(["POST"])
def security_groups(request, server_id):
    body = read(s.SecurityGroupsRequest, request.data)
    instance_actions.set_security_groups(connection(request), str(server_id), body["add"], body["remove"])
    return _accepted("security_groups")


@extend_schema(
    tags=TAG,
    summary="A remote console link (noVNC, SPICE or serial: the first the cloud offers)",
    responses={200: s.ConsoleOut, **errors(404, 409)},
)
@api_view(["GET"])
def console(request, server_id):
    answer = consoles.console_link(request.keystone, str(server_id))
    if "url" not in answer:
        if answer["kind"] == "session_expired":
            raise SessionExpired()
        raise CloudError(answer["kind"], answer["error"])
    return Response({"url": answer["url"], "type": answer["console_type"]})


class ConsoleLogQuery(serializers.Serializer):
    lines = serializers.IntegerField(required=False, min_value=1, max_value=10000, default=100)


@extend_schema(
    tags=TAG,
    summary="The last lines of the console log",
    parameters=[ConsoleLogQuery],
    responses={200: s.ConsoleLogOut, **errors(400, 404)},
)
@api_view(["GET"])
def console_log(request, server_id):
    lines = read(ConsoleLogQuery, request.query_params)["lines"]
    return Response({"output": instance_logs.get_console_output(connection(request), str(server_id), lines)})
