"""The network panel's pages, each resource in its own URL namespace (so action names such as
"edit" and "delete" can be the same on every resource): networks, routers, floating_ips,
security_groups, topology. Mounted under /project/."""

from django.urls import include, path, re_path

from . import fip_views, router_views, secgroup_views, topology_views, views

ID = r"(?P<{}>[0-9a-fA-F-]{{36}})"
NET, ROUTER, FIP, GROUP, PORT, SERVER = (
    ID.format(n) for n in ("network_id", "router_id", "fip_id", "group_id", "port_id", "server_id")
)

network_patterns = [
    path("", views.network_list, name="list"),
    path("create/", views.network_create, name="create"),
    path("-/pool-choices/", views.pool_choices, name="pool_choices"),
    re_path(rf"^{NET}/$", views.network_detail, name="detail"),
    re_path(rf"^{NET}/row/$", views.network_row, name="row"),
    re_path(rf"^{NET}/edit/$", views.network_edit, name="edit"),
    re_path(rf"^{NET}/create_subnet/$", views.subnet_create, name="create_subnet"),
    re_path(rf"^{NET}/create_port/$", views.port_create, name="create_port"),
    re_path(rf"^{NET}/action/(?P<action>[a-z_]+)/$", views.network_action, name="action"),
    re_path(rf"^ports/{PORT}/edit/$", views.port_edit, name="port_edit"),
    re_path(rf"^ports/instance/{SERVER}/$", views.instance_ports, name="instance_ports"),
]
router_patterns = [
    path("", router_views.router_list, name="list"),
    path("create/", router_views.router_create, name="create"),
    re_path(rf"^{ROUTER}/$", router_views.router_detail, name="detail"),
    re_path(rf"^{ROUTER}/row/$", router_views.router_row, name="row"),
    re_path(rf"^{ROUTER}/edit/$", router_views.router_edit, name="edit"),
    re_path(rf"^{ROUTER}/gateway/$", router_views.router_gateway, name="gateway"),
    re_path(rf"^{ROUTER}/add_interface/$", router_views.router_add_interface, name="add_interface"),
    re_path(rf"^{ROUTER}/routes/$", router_views.router_routes, name="routes"),
    re_path(rf"^{ROUTER}/action/(?P<action>[a-z_]+)/$", router_views.router_action, name="action"),
]
fip_patterns = [
    path("", fip_views.fip_list, name="list"),
    path("allocate/", fip_views.fip_allocate, name="allocate"),
    re_path(rf"^{FIP}/row/$", fip_views.fip_row, name="row"),
    re_path(rf"^{FIP}/associate/$", fip_views.fip_associate, name="associate"),
    re_path(rf"^{FIP}/action/(?P<action>[a-z_]+)/$", fip_views.fip_action, name="action"),
]
group_patterns = [
    path("", secgroup_views.group_list, name="list"),
    path("create/", secgroup_views.group_create, name="create"),
    re_path(rf"^{GROUP}/$", secgroup_views.group_detail, name="detail"),
    re_path(rf"^{GROUP}/edit/$", secgroup_views.group_edit, name="edit"),
    re_path(rf"^{GROUP}/add_rule/$", secgroup_views.group_add_rule, name="add_rule"),
    re_path(rf"^{GROUP}/action/(?P<action>[a-z_]+)/$", secgroup_views.group_action, name="action"),
]
topology_patterns = [
    path("", topology_views.topology_page, name="index"),
    path("svg/", topology_views.topology_svg, name="svg"),
]

urlpatterns = [
    path("networks/", include((network_patterns, "networks"))),
    path("routers/", include((router_patterns, "routers"))),
    path("floating-ips/", include((fip_patterns, "floating_ips"))),
    path("security-groups/", include((group_patterns, "security_groups"))),
    path("topology/", include((topology_patterns, "topology"))),
]
