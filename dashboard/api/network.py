"""The network panels' JSON API (/api/v1/networks/, routers/, floating-ips/, security-groups/,
topology/): the same rules as the pages (current project only, checks before Neutron is asked)
and the same error shape as dashboard/api/views.py: {"error": kind, "message": text}."""

from __future__ import annotations

from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from dashboard.accounts.api import HasProject
from dashboard.cloud import CloudError, connection, floatingips, networks, ports, routers, secgroups, topology
from dashboard.panels.network.lists import FLOATING_IPS, NETWORKS, ROUTERS, SECURITY_GROUPS
from dashboard.ui import network_validation as validation

from . import lists
from . import network_serializers as o
from .common import errors, read
from .serializers import plain_text

NET = ["networks"]
ROUTER = ["routers"]
FIP = ["floating IPs"]
SG = ["security groups"]
NETWORKS_QUERY, ROUTERS_QUERY = lists.query(NETWORKS), lists.query(ROUTERS)
FLOATING_IPS_QUERY, SECURITY_GROUPS_QUERY = lists.query(FLOATING_IPS), lists.query(SECURITY_GROUPS)
TOPO = ["topology"]


def _pid(request) -> str:
    return request.keystone.project_id


def _mine(obj, request) -> bool:
    return not obj.project_id or obj.project_id == _pid(request)


# --- networks ------------------------------------------------------------------------------------


class SubnetSpec(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=255, default="", validators=[plain_text])
    ip_version = serializers.ChoiceField(choices=(4, 6), default=4)
    cidr = serializers.CharField(required=False, max_length=64)
    subnetpool_id = serializers.UUIDField(required=False)
    prefixlen = serializers.IntegerField(required=False, min_value=1, max_value=128)
    gateway_ip = serializers.CharField(required=False, allow_null=True, max_length=64)
    enable_dhcp = serializers.BooleanField(default=True)
    allocation_pools = serializers.ListField(child=serializers.CharField(max_length=100), required=False, default=list)
    dns_nameservers = serializers.ListField(child=serializers.CharField(max_length=64), required=False, default=list)
    host_routes = serializers.ListField(child=serializers.CharField(max_length=130), required=False, default=list)

    def validate(self, attrs):
        if not attrs.get("cidr") and not attrs.get("subnetpool_id"):
            raise serializers.ValidationError(_("Give a cidr or a subnetpool_id."))
        version = attrs["ip_version"]
        spec = {"name": attrs["name"], "ip_version": version, "enable_dhcp": attrs["enable_dhcp"]}
        try:
            net = validation.parse_cidr(attrs["cidr"], version) if attrs.get("cidr") else None
            if net is not None:
                spec["cidr"] = str(net)
            else:
                spec["subnetpool_id"] = str(attrs["subnetpool_id"])
                spec["prefixlen"] = attrs.get("prefixlen")
            gateway = ""
            if "gateway_ip" in attrs and attrs["gateway_ip"] is None:
                spec["no_gateway"] = True
            elif attrs.get("gateway_ip"):
                gateway = validation.check_gateway(attrs["gateway_ip"], net) if net else attrs["gateway_ip"]
                spec["gateway_ip"] = gateway
            spec["allocation_pools"] = validation.parse_pools("\n".join(attrs["allocation_pools"]), net, gateway)
            spec["dns_nameservers"] = validation.parse_dns("\n".join(attrs["dns_nameservers"]), version)
            spec["host_routes"] = validation.parse_routes("\n".join(attrs["host_routes"]), version)
        except ValidationError as err:
            raise serializers.ValidationError(" ".join(err.messages)) from None
        return spec


class NetworkSpec(serializers.Serializer):
    name = serializers.CharField(max_length=255, validators=[plain_text])
    admin_state_up = serializers.BooleanField(default=True)
    subnets = SubnetSpec(many=True, required=False, default=list)

    def validate(self, attrs):
        try:
            validation.check_no_overlap([s["cidr"] for s in attrs["subnets"] if s.get("cidr")])
        except ValidationError as err:
            raise serializers.ValidationError(" ".join(err.messages)) from None
        return attrs


@extend_schema(
    methods=["GET"],
    tags=NET,
    summary="The current project's networks (and shared, external ones), one page",
    operation_id="networks_list",
    parameters=[NETWORKS_QUERY],
    responses={200: o.NetworkPage, **errors(400)},
)
@extend_schema(
    methods=["POST"],
    tags=NET,
    summary="Create a network with its subnets",
    operation_id="networks_create",
    request=NetworkSpec,
    responses={201: o.NetworkEnvelope, **errors(400, 409)},
)
@api_view(["GET", "POST"])
@permission_classes([HasProject])
def network_list(request):
    conn = connection(request)
    if request.method == "POST":
        spec = read(NetworkSpec, request.data)
        network_id = networks.create_network(conn, spec["name"], spec["subnets"], admin_state_up=spec["admin_state_up"])
        return Response({"network": asdict(networks.get_network(conn, network_id))}, status=201)
    page = lists.fetch_page(NETWORKS_QUERY, request, lambda params: networks.list_networks(conn, _pid(request), params))
    return Response(lists.page_body("networks", page, [asdict(n) for n in page.items]))


@extend_schema(
    methods=["GET"],
    tags=NET,
    summary="One network with its subnets",
    operation_id="networks_get",
    responses={200: o.NetworkEnvelope, **errors(404)},
)
@extend_schema(
    methods=["DELETE"],
    tags=NET,
    summary="Delete a network of the current project (and its subnets)",
    operation_id="networks_delete",
    request=None,
    responses={204: None, **errors(404, 409)},
)
@api_view(["GET", "DELETE"])
@permission_classes([HasProject])
def network_detail(request, network_id):
    conn = connection(request)
    net = networks.get_network(conn, str(network_id))
    if not (_mine(net, request) or net.shared or net.external):
        raise CloudError("not_found", _("The network was not found; it may have been deleted."))
    if request.method == "DELETE":
        if not _mine(net, request):
            raise PermissionDenied(_("This network belongs to another project."))
        networks.delete_network(conn, net.id)
        return Response(status=204)
    return Response({"network": asdict(net)})


# --- routers -------------------------------------------------------------------------------------


class RouterSpec(serializers.Serializer):
    name = serializers.CharField(max_length=255, validators=[plain_text])
    external_network_id = serializers.UUIDField(required=False)


class RouterAction(serializers.Serializer):
    action = serializers.ChoiceField(choices=("set_gateway", "clear_gateway", "add_interface", "remove_interface"))
    network_id = serializers.UUIDField(required=False)
    subnet_id = serializers.UUIDField(required=False)
    port_id = serializers.UUIDField(required=False)


@extend_schema(
    methods=["GET"],
    tags=ROUTER,
    summary="The current project's routers, one page",
    operation_id="routers_list",
    parameters=[ROUTERS_QUERY],
    responses={200: o.RouterPage, **errors(400)},
)
@extend_schema(
    methods=["POST"],
    tags=ROUTER,
    summary="Create a router, with a gateway if external_network_id is given",
    operation_id="routers_create",
    request=RouterSpec,
    responses={201: o.RouterEnvelope, **errors(400, 409)},
)
@api_view(["GET", "POST"])
@permission_classes([HasProject])
def router_list(request):
    conn = connection(request)
    if request.method == "POST":
        spec = read(RouterSpec, request.data)
        router_id = routers.create_router(conn, spec["name"], str(spec.get("external_network_id") or ""))
        return Response({"router": asdict(routers.get_router(conn, router_id))}, status=201)
    page = lists.fetch_page(
        ROUTERS_QUERY, request, lambda params: routers.list_routers(conn, _pid(request), params, network_names=True)
    )
    return Response(lists.page_body("routers", page, [asdict(r) for r in page.items]))


def _router(request, conn, router_id):
    router = routers.get_router(conn, str(router_id))
    if not _mine(router, request):
        raise CloudError("not_found", _("The router was not found; it may have been deleted."))
    return router


@extend_schema(
    methods=["GET"],
    tags=ROUTER,
    summary="One router with its interfaces",
    operation_id="routers_get",
    responses={200: o.RouterDetailOut, **errors(404)},
)
@extend_schema(
    methods=["DELETE"],
    tags=ROUTER,
    summary="Delete a router",
    operation_id="routers_delete",
    request=None,
    responses={204: None, **errors(404, 409)},
)
@api_view(["GET", "DELETE"])
@permission_classes([HasProject])
def router_detail(request, router_id):
    conn = connection(request)
    router = _router(request, conn, router_id)
    if request.method == "DELETE":
        routers.delete_router(conn, router.id)
        return Response(status=204)
    data = routers.get_router_with_interfaces(conn, router.id)
    return Response({"router": asdict(router), "interfaces": [asdict(i) for i in data["interfaces"]]})


@extend_schema(
    tags=ROUTER,
    summary="set_gateway (network_id), clear_gateway, add_interface / remove_interface (subnet_id or port_id)",
    operation_id="routers_action",
    request=RouterAction,
    responses={200: o.NetworkActionDone, **errors(400, 404, 409)},
)
@api_view(["POST"])
@permission_classes([HasProject])
def router_action(request, router_id):
    conn = connection(request)
    a = read(RouterAction, request.data)
    router = _router(request, conn, router_id)
    ids = {k: str(a[k]) if a.get(k) else "" for k in ("network_id", "subnet_id", "port_id")}
    if a["action"] == "set_gateway":
        if not ids["network_id"]:
            raise CloudError("bad_request", _("set_gateway needs network_id."))
        routers.set_gateway(conn, router.id, ids["network_id"])
    elif a["action"] == "clear_gateway":
        routers.clear_gateway(conn, router.id)
    else:
        if bool(ids["subnet_id"]) == bool(ids["port_id"]):
            raise CloudError("bad_request", _("Give subnet_id or port_id."))
        fn = routers.add_interface if a["action"] == "add_interface" else routers.remove_interface
        fn(conn, router.id, subnet_id=ids["subnet_id"], port_id=ids["port_id"])
    return Response({"status": "done", "action": a["action"]})


# --- floating IPs --------------------------------------------------------------------------------


class AllocateSpec(serializers.Serializer):
    network_id = serializers.UUIDField()
    address = serializers.IPAddressField(required=False, protocol="IPv4")
    subnet_id = serializers.UUIDField(required=False)


class FipAction(serializers.Serializer):
    action = serializers.ChoiceField(choices=("associate", "disassociate"))
    port_id = serializers.UUIDField(required=False)
    fixed_ip = serializers.IPAddressField(required=False, protocol="IPv4")


@extend_schema(
    methods=["GET"],
    tags=FIP,
    summary="The current project's floating IPs, one page (name is ignored)",
    operation_id="floating_ips_list",
    parameters=[FLOATING_IPS_QUERY],
    responses={200: o.FloatingIPPage, **errors(400)},
)
@extend_schema(
    methods=["POST"],
    tags=FIP,
    summary="Allocate a floating IP from an external network",
    operation_id="floating_ips_allocate",
    request=AllocateSpec,
    responses={201: o.FloatingIPAllocatedOut, **errors(400, 404, 409)},
)
@api_view(["GET", "POST"])
@permission_classes([HasProject])
def fip_list(request):
    conn = connection(request)
    if request.method == "POST":
        a = read(AllocateSpec, request.data)
        address = floatingips.allocate_floating_ip(
            conn, str(a["network_id"]), a.get("address") or "", str(a.get("subnet_id") or "")
        )
        return Response({"floating_ip_address": address}, status=201)
    page = lists.fetch_page(
        FLOATING_IPS_QUERY,
        request,
        lambda params: floatingips.list_floating_ips(conn, _pid(request), params, names=True),
    )
    return Response(lists.page_body("floating_ips", page, [asdict(f) for f in page.items]))


@extend_schema(
    methods=["GET"],
    tags=FIP,
    summary="One floating IP",
    operation_id="floating_ips_get",
    responses={200: o.FloatingIPEnvelope, **errors(404)},
)
@extend_schema(
    methods=["DELETE"],
    tags=FIP,
    summary="Release a floating IP",
    operation_id="floating_ips_release",
    request=None,
    responses={204: None, **errors(404, 409)},
)
@api_view(["GET", "DELETE"])
@permission_classes([HasProject])
def fip_detail(request, fip_id):
    conn = connection(request)
    fip = floatingips.get_floating_ip(conn, str(fip_id), _pid(request))
    if not _mine(fip, request):
        raise CloudError("not_found", _("The floating IP was not found; it may have been deleted."))
    if request.method == "DELETE":
        floatingips.release_floating_ip(conn, fip.id)
        return Response(status=204)
    return Response({"floating_ip": asdict(fip)})


@extend_schema(
    tags=FIP,
    summary="associate (port_id, optional fixed_ip) or disassociate",
    operation_id="floating_ips_action",
    request=FipAction,
    responses={200: o.NetworkActionDone, **errors(400, 404, 409)},
)
@api_view(["POST"])
@permission_classes([HasProject])
def fip_action(request, fip_id):
    conn = connection(request)
    a = read(FipAction, request.data)
    fip = floatingips.get_floating_ip(conn, str(fip_id), _pid(request))
    if not _mine(fip, request):
        raise CloudError("not_found", _("The floating IP was not found; it may have been deleted."))
    if a["action"] == "associate":
        if not a.get("port_id"):
            raise CloudError("bad_request", _("associate needs port_id."))
        port = ports.get_port(conn, str(a["port_id"]))
        if not _mine(port, request):
            raise CloudError("not_found", _("The port was not found; it may have been deleted."))
        floatingips.associate_floating_ip(conn, fip.id, port.id, a.get("fixed_ip") or "")
    else:
        floatingips.disassociate_floating_ip(conn, fip.id)
    return Response({"status": "done", "action": a["action"]})


# --- security groups -----------------------------------------------------------------------------


class GroupSpec(serializers.Serializer):
    name = serializers.CharField(max_length=255, validators=[plain_text])
    description = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default="", validators=[plain_text]
    )


class RuleSpec(serializers.Serializer):
    preset = serializers.ChoiceField(choices=sorted(secgroups.PRESETS), required=False)
    direction = serializers.ChoiceField(choices=("ingress", "egress"), default="ingress")
    ethertype = serializers.ChoiceField(choices=("IPv4", "IPv6"), default="IPv4")
    protocol = serializers.ChoiceField(
        choices=("", "tcp", "udp", "icmp", "ipv6-icmp", "sctp"), required=False, default=""
    )
    port_range_min = serializers.IntegerField(required=False, allow_null=True, default=None)
    port_range_max = serializers.IntegerField(required=False, allow_null=True, default=None)
    remote_ip_prefix = serializers.CharField(required=False, max_length=64)
    remote_group_id = serializers.UUIDField(required=False)
    description = serializers.CharField(required=False, max_length=255, allow_blank=True, validators=[plain_text])

    def validate(self, attrs):
        try:
            if attrs.get("remote_ip_prefix"):
                attrs["remote_ip_prefix"] = str(validation.parse_cidr(attrs["remote_ip_prefix"]))
            if not attrs.get("preset"):
                low, high = validation.parse_port_range(
                    attrs["protocol"], attrs["port_range_min"], attrs["port_range_max"]
                )
                attrs["port_range_min"], attrs["port_range_max"] = low, high
        except ValidationError as err:
            raise serializers.ValidationError(" ".join(err.messages)) from None
        if attrs.get("remote_group_id"):
            attrs["remote_group_id"] = str(attrs["remote_group_id"])
        return attrs


@extend_schema(
    methods=["GET"],
    tags=SG,
    summary="The current project's security groups with their rules, one page",
    operation_id="security_groups_list",
    parameters=[SECURITY_GROUPS_QUERY],
    responses={200: o.SecurityGroupPage, **errors(400)},
)
@extend_schema(
    methods=["POST"],
    tags=SG,
    summary="Create a security group",
    operation_id="security_groups_create",
    request=GroupSpec,
    responses={201: o.SecurityGroupEnvelope, **errors(400, 409)},
)
@api_view(["GET", "POST"])
@permission_classes([HasProject])
def group_list(request):
    conn = connection(request)
    if request.method == "POST":
        body = read(GroupSpec, request.data)
        group_id = secgroups.create_group(conn, body["name"], body["description"])
        return Response({"security_group": asdict(secgroups.get_group(conn, group_id, _pid(request)))}, status=201)
    page = lists.fetch_page(
        SECURITY_GROUPS_QUERY, request, lambda params: secgroups.list_groups(conn, _pid(request), params)
    )
    return Response(lists.page_body("security_groups", page, [asdict(g) for g in page.items]))


def _group(request, conn, group_id):
    group = secgroups.get_group(conn, str(group_id), _pid(request))
    if not _mine(group, request):
        raise CloudError("not_found", _("The security group was not found; it may have been deleted."))
    return group


@extend_schema(
    methods=["GET"],
    tags=SG,
    summary="One security group with its rules",
    operation_id="security_groups_get",
    responses={200: o.SecurityGroupEnvelope, **errors(404)},
)
@extend_schema(
    methods=["DELETE"],
    tags=SG,
    summary="Delete a security group",
    operation_id="security_groups_delete",
    request=None,
    responses={204: None, **errors(404, 409)},
)
@api_view(["GET", "DELETE"])
@permission_classes([HasProject])
def group_detail(request, group_id):
    conn = connection(request)
    group = _group(request, conn, group_id)
    if request.method == "DELETE":
        secgroups.delete_group(conn, group.id)
        return Response(status=204)
    return Response({"security_group": asdict(group)})


@extend_schema(
    tags=SG,
    summary="Add a rule, or a preset's rules, to a security group",
    operation_id="security_groups_rules_add",
    request=RuleSpec,
    responses={201: o.RulesAdded, **errors(400, 404, 409)},
)
@api_view(["POST"])
@permission_classes([HasProject])
def group_rules(request, group_id):
    conn = connection(request)
    body = read(RuleSpec, request.data)
    group = _group(request, conn, group_id)
    added = secgroups.add_rules(conn, group.id, body)
    return Response({"added": added}, status=201)


@extend_schema(
    tags=SG,
    summary="Delete a rule of a security group",
    operation_id="security_groups_rules_delete",
    request=None,
    responses={204: None, **errors(404)},
)
@api_view(["DELETE"])
@permission_classes([HasProject])
def group_rule_detail(request, group_id, rule_id):
    conn = connection(request)
    group = _group(request, conn, group_id)
    if str(rule_id) not in {r.id for r in group.rules}:
        raise CloudError("not_found", _("The rule was not found; it may have been deleted."))
    secgroups.delete_rule(conn, str(rule_id))
    return Response(status=204)


@extend_schema(
    tags=TOPO,
    summary="The current project's network topology: nodes placed in bands, and the lines joining them",
    operation_id="network_topology",
    responses={200: o.TopologyOut, **errors()},
)
@api_view(["GET"])
@permission_classes([HasProject])
def topology_view(request):
    topo = topology.get_project_topology(connection(request), _pid(request))
    return Response({"nodes": [asdict(n) for n in topo.nodes], "edges": [asdict(e) for e in topo.edges]})


# included by dashboard/api/urls.py
urlpatterns = [
    path("networks/", network_list),
    path("networks/<uuid:network_id>/", network_detail),
    path("routers/", router_list),
    path("routers/<uuid:router_id>/", router_detail),
    path("routers/<uuid:router_id>/action/", router_action),
    path("floating-ips/", fip_list),
    path("floating-ips/<uuid:fip_id>/", fip_detail),
    path("floating-ips/<uuid:fip_id>/action/", fip_action),
    path("security-groups/", group_list),
    path("security-groups/<uuid:group_id>/", group_detail),
    path("security-groups/<uuid:group_id>/rules/", group_rules),
    path("security-groups/<uuid:group_id>/rules/<uuid:rule_id>/", group_rule_detail),
    path("topology/", topology_view),
]
