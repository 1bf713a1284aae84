"""The response shapes of the network panels' JSON API (dashboard/api/network.py): the cloud
dataclasses (dashboard.cloud.networks, routers, floatingips, secgroups, topology) as
`dataclasses.asdict` returns them. Only for the OpenAPI schema: the endpoints answer dicts."""

from __future__ import annotations

from rest_framework import serializers

from .serializers import Page


class NetworkActionDone(serializers.Serializer):
    status = serializers.ChoiceField(choices=("done",))
    action = serializers.CharField(help_text="the action that was done")


# --- networks ------------------------------------------------------------------------------------


class SubnetOut(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    network_id = serializers.CharField()
    cidr = serializers.CharField(allow_blank=True)
    ip_version = serializers.IntegerField()
    gateway_ip = serializers.CharField(allow_blank=True, help_text="empty: no gateway")
    enable_dhcp = serializers.BooleanField()
    allocation_pools = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()), help_text='[{"start", "end"}]'
    )
    dns_nameservers = serializers.ListField(child=serializers.CharField())
    host_routes = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()), help_text='[{"destination", "nexthop"}]'
    )
    subnetpool_id = serializers.CharField(allow_blank=True)
    project_id = serializers.CharField(allow_blank=True)


class NetworkOut(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    status = serializers.CharField(allow_blank=True)
    admin_state_up = serializers.BooleanField()
    shared = serializers.BooleanField()
    external = serializers.BooleanField()
    availability_zones = serializers.ListField(child=serializers.CharField())
    subnet_ids = serializers.ListField(child=serializers.CharField())
    subnets = SubnetOut(many=True)
    project_id = serializers.CharField(allow_blank=True)
    mtu = serializers.IntegerField(allow_null=True)


class NetworkPage(Page):
    networks = NetworkOut(many=True)


class NetworkEnvelope(serializers.Serializer):
    network = NetworkOut()


# --- routers -------------------------------------------------------------------------------------


class RouterOut(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    status = serializers.CharField(allow_blank=True)
    admin_state_up = serializers.BooleanField()
    external_network_id = serializers.CharField(allow_blank=True, help_text="empty: no gateway")
    external_network_name = serializers.CharField(allow_blank=True)
    external_ips = serializers.ListField(child=serializers.CharField())
    enable_snat = serializers.BooleanField(allow_null=True)
    routes = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()), help_text='[{"destination", "nexthop"}]'
    )
    project_id = serializers.CharField(allow_blank=True)


class RouterInterfaceOut(serializers.Serializer):
    port_id = serializers.CharField()
    subnet_id = serializers.CharField(allow_blank=True)
    ip_address = serializers.CharField(allow_blank=True)
    network_id = serializers.CharField(allow_blank=True)
    status = serializers.CharField(allow_blank=True)
    subnet_label = serializers.CharField(allow_blank=True, help_text="the subnet's name (cidr)")


class RouterPage(Page):
    routers = RouterOut(many=True)


class RouterEnvelope(serializers.Serializer):
    router = RouterOut()


class RouterDetailOut(serializers.Serializer):
    router = RouterOut()
    interfaces = RouterInterfaceOut(many=True)


# --- floating IPs --------------------------------------------------------------------------------


class FloatingIPInfoOut(serializers.Serializer):
    id = serializers.CharField()
    address = serializers.CharField()
    status = serializers.CharField(allow_blank=True)
    network_id = serializers.CharField(allow_blank=True)
    network_name = serializers.CharField(allow_blank=True)
    port_id = serializers.CharField(allow_blank=True, help_text="empty: not associated")
    fixed_ip = serializers.CharField(allow_blank=True)
    device_id = serializers.CharField(allow_blank=True)
    device_name = serializers.CharField(allow_blank=True)
    project_id = serializers.CharField(allow_blank=True)


class FloatingIPPage(Page):
    floating_ips = FloatingIPInfoOut(many=True)


class FloatingIPEnvelope(serializers.Serializer):
    floating_ip = FloatingIPInfoOut()


class FloatingIPAllocatedOut(serializers.Serializer):
    floating_ip_address = serializers.CharField(help_text="the address allocated")


# --- security groups -----------------------------------------------------------------------------


class SecurityGroupRuleOut(serializers.Serializer):
    id = serializers.CharField()
    direction = serializers.ChoiceField(choices=("ingress", "egress"))
    ethertype = serializers.ChoiceField(choices=("IPv4", "IPv6"))
    protocol = serializers.CharField(allow_blank=True, help_text="empty: any")
    port_range_min = serializers.IntegerField(allow_null=True)
    port_range_max = serializers.IntegerField(allow_null=True)
    remote_ip_prefix = serializers.CharField(allow_blank=True)
    remote_group_id = serializers.CharField(allow_blank=True)
    remote_group_name = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)


class SecurityGroupOut(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    project_id = serializers.CharField(allow_blank=True)
    rules = SecurityGroupRuleOut(many=True)


class SecurityGroupPage(Page):
    security_groups = SecurityGroupOut(many=True)


class SecurityGroupEnvelope(serializers.Serializer):
    security_group = SecurityGroupOut()


class RulesAdded(serializers.Serializer):
    added = serializers.IntegerField(help_text="how many rules were added (a preset may add several)")


# --- topology ------------------------------------------------------------------------------------


class TopologyNodeOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=("external", "router", "network", "instance"))
    id = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    status = serializers.CharField(allow_blank=True)
    detail = serializers.CharField(allow_blank=True, help_text="CIDRs of a network, addresses of an instance")
    x = serializers.IntegerField()
    y = serializers.IntegerField()


class TopologyEdgeOut(serializers.Serializer):
    x1 = serializers.IntegerField()
    y1 = serializers.IntegerField()
    x2 = serializers.IntegerField()
    y2 = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=("gateway", "interface", "port"))


class TopologyOut(serializers.Serializer):
    nodes = TopologyNodeOut(many=True)
    edges = TopologyEdgeOut(many=True)
