"""The network panel's lists, declared once: networks, routers, floating IPs and security groups.
Each page, its live rows and its GET endpoint of the JSON API read them."""

from django.utils.translation import gettext_lazy as _

from dashboard.cloud import floatingips, labels, networks, routers, secgroups
from dashboard.cloud.actions import Action
from dashboard.ui.lists import Column, Filter, Table


def offered_on_network(net: networks.NetworkInfo, project_id: str, is_admin: bool) -> list[Action]:
    """A network's actions: none on another project's (external and shared ones belong to someone
    else: a member may only look at them)."""
    if not (is_admin or net.project_id == project_id):
        return []
    if not is_admin and (net.external or net.shared) and net.project_id != "":
        return []
    return list(networks.ACTIONS.values())


NETWORKS = Table(
    name="networks",
    url_name="networks:list",
    template="network/network_list.html",
    of=networks.NetworkInfo,
    cells="network/network_cells.html",
    columns=(
        Column("name", _("Name"), sort="name", first_direction="asc"),
        Column("subnets", _("Subnets")),
        Column("shared", _("Shared")),
        Column("external", _("External")),
        Column("status", _("Status"), sort="status"),
        Column("admin_state_up", _("Admin state")),
        Column("availability_zones", _("Availability zones")),
        Column("actions", _("Actions"), css="text-end"),
    ),
    filters=(
        Filter("name", _("Name (exact)")),
        Filter("show", _("Show"), choices=networks.SHOW_CHOICES, any_label=_("This project's")),
    ),
    default_sort="name",
    default_direction="asc",
    row_id="network",
    live="networks",
    row_url_name="networks:row",
    actions=("networks:action", "networks"),
    row=lambda request, net: {
        "actions": offered_on_network(net, request.keystone.project_id, request.keystone.is_admin)
    },
    noun=(_("network"), _("networks")),
    empty=_("No networks in this project yet."),
    icon="diagram-3",
    api="networks/",
)

ROUTERS = Table(
    name="routers",
    url_name="routers:list",
    template="network/router_list.html",
    of=routers.Router,
    cells="network/router_cells.html",
    columns=(
        Column("name", _("Name"), sort="name", first_direction="asc"),
        Column("status", _("Status"), sort="status"),
        Column("external_network_id", _("External network")),
        Column("external_ips", _("External IPs")),
        Column("admin_state_up", _("Admin state")),
        Column("actions", _("Actions"), css="text-end"),
    ),
    filters=(Filter("name", _("Name (exact)")),),
    default_sort="name",
    default_direction="asc",
    row_id="router",
    live="routers",
    row_url_name="routers:row",
    actions=("routers:action", "routers"),
    row=lambda request, router: {"actions": routers.offered(router)},
    noun=(_("router"), _("routers")),
    empty=_("No routers in this project yet."),
    icon="router",
    api="routers/",
)

FIP_STATUSES = labels.choices(labels.FLOATING_IP_STATUS)

FLOATING_IPS = Table(
    name="fips",
    url_name="floating_ips:list",
    template="network/fip_list.html",
    of=floatingips.FloatingIPInfo,
    cells="network/fip_cells.html",
    columns=(
        Column("address", _("Address"), sort="address", first_direction="asc"),
        Column("status", _("Status"), sort="status"),
        Column("network_id", _("Pool")),
        Column("device_id", _("Instance")),
        Column("fixed_ip", _("Fixed IP")),
        Column("actions", _("Actions"), css="text-end"),
    ),
    filters=(
        Filter("address", _("Address"), max_length=64),
        Filter("status", _("Status"), choices=FIP_STATUSES, clean=str.upper),
    ),
    default_sort="address",
    default_direction="asc",
    row_id="fip",
    live="floating_ips",
    row_url_name="floating_ips:row",
    actions=("floating_ips:action", "floating_ips"),
    row=lambda request, fip: {"actions": floatingips.offered(fip)},
    noun=(_("floating IP"), _("floating IPs")),
    empty=_("No floating IPs in this project yet."),
    icon="globe",
    api="floating-ips/",
)

SECURITY_GROUPS = Table(
    name="groups",
    url_name="security_groups:list",
    template="network/secgroup_list.html",
    of=secgroups.Group,
    cells="network/secgroup_cells.html",
    columns=(
        Column("name", _("Name"), sort="name", first_direction="asc"),
        Column("description", _("Description")),
        Column("rules", _("Rules")),
        Column("actions", _("Actions"), css="text-end"),
    ),
    filters=(Filter("name", _("Name (exact)")),),
    default_sort="name",
    default_direction="asc",
    actions=("security_groups:action", "security_groups"),
    row=lambda request, group: {"actions": list(secgroups.ACTIONS.values())},
    noun=(_("security group"), _("security groups")),
    empty=_("No security groups in this project yet."),
    icon="shield-lock",
    api="security-groups/",
)
