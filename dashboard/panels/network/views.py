"""Networks, their subnets and ports: the list (one Neutron page), a network's page, the forms.

Cloud calls come from `dashboard.cloud.networks`; lists, forms and actions use the panel kit.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard.cloud import CloudError, concurrently, connection, networks, ports, secgroups
from dashboard.cloud.actions import Action
from dashboard.ui.actions import next_url, run_action
from dashboard.ui.forms import choices_part, conflict_on, form_page, posted
from dashboard.ui.name_parts import part_of
from dashboard.ui.rows import found_or_none, list_page, live_row

from . import forms
from .common import not_found, owned, project_id, quota_items, refuse_over_quota
from .lists import NETWORKS, offered_on_network

DELETE_SUBNET = Action(
    "delete_subnet",
    gettext_lazy("Delete subnet"),
    "trash",
    danger=True,
    done=gettext_lazy("The subnet was deleted from the network “%(subject)s”."),
)
DELETE_PORT = Action(
    "delete_port",
    gettext_lazy("Delete port"),
    "trash",
    danger=True,
    done=gettext_lazy("The port was deleted from the network “%(subject)s”."),
)


def _list_url() -> str:
    return reverse("networks:list")


def _detail_url(network_id: str) -> str:
    return reverse("networks:detail", args=[network_id])


def _gone(request):
    return not_found(request, "network", _list_url(), _("Back to networks"))


def _offered(request, net: networks.NetworkInfo) -> list[Action]:
    return offered_on_network(net, project_id(request), request.keystone.is_admin)


@require_GET
def network_list(request):
    """One Neutron page of networks and their subnets, in one response, 2 calls whatever the rows:
    for a member, every subnet they see at once with the page (bounded by their quota and the
    shared networks'); for an administrator, who sees every subnet of the cloud, the page's
    networks' subnets by network id after the page. A failing subnets call leaves their ids."""
    conn = connection(request)
    pid = project_id(request)
    if request.keystone.is_admin:
        return list_page(request, NETWORKS, lambda params: networks.list_networks_with_their_subnets(conn, pid, params))
    return list_page(
        request,
        NETWORKS,
        lambda params: networks.list_networks_without_subnets(conn, pid, params),
        also={"subnets": lambda: networks.list_visible_subnets(conn)},
        name=lambda items, also: networks.name_subnets(items, also["subnets"]),
    )


def _network_or_none(conn, network_id: str, pid: str, is_admin: bool):
    net = found_or_none(lambda: networks.get_network(conn, network_id))
    if net is None:
        return None
    # an admin token reads every project's networks: show this project's, shared and external ones
    if not (owned(net, pid) or net.shared or net.external) and is_admin:
        return None
    return net


@require_GET
def network_row(request, network_id: str):
    conn = connection(request)
    net = _network_or_none(conn, network_id, project_id(request), request.keystone.is_admin)
    return live_row(request, NETWORKS, net)


@require_GET
def network_detail(request, network_id: str):
    conn = connection(request)
    pid = project_id(request)
    data = found_or_none(lambda: networks.get_network_with_ports(conn, network_id))
    if data is None:
        return _gone(request)
    net = data["network"]
    if request.keystone.is_admin and not (owned(net, pid) or net.shared or net.external):
        return _gone(request)
    # ports of other projects on a shared network are not this project's business
    ports = [p for p in data["ports"] if owned(p, pid) or p.device_owner.startswith("network:")]
    here = request.get_full_path()
    return render(
        request,
        "network/network_detail.html",
        {
            "net": net,
            "ports": ports,
            "instances": data["instances"]
            if owned(net, pid)
            else [p for p in data["instances"] if p[0] in {x.device_id for x in ports}],
            "actions": _offered(request, net),
            "mine": owned(net, pid),
            "back": here,
        },
    )


def _crumbs(net=None):
    crumbs = [(_("Networks"), _list_url())]
    if net is not None:
        crumbs.append((net.label, _detail_url(net.id)))
    return crumbs


@require_http_methods(["GET", "POST"])
def network_create(request):
    conn = connection(request)
    pid = project_id(request)
    found = _form_reads(request, conn, pid, ("network", "subnet"), "network")
    is_admin = request.keystone.is_admin
    form = forms.NetworkCreateForm(posted(request), pools=found["pools"], is_admin=is_admin)

    def perform(cd):
        refuse_over_quota(conn, pid, {"network": 1, "subnet": len(cd["subnets"])})
        network_id = networks.create_network(
            conn,
            cd["name"],
            cd["subnets"],
            admin_state_up=cd["admin_state_up"],
            shared=cd.get("shared") if is_admin else None,
        )
        return _("Network “%(name)s” created.") % {"name": cd["name"]}, network_id

    return form_page(
        request,
        form,
        perform,
        success_url=_detail_url,
        field_for=conflict_on("name"),
        context={
            "title": _("Create network"),
            "icon": "diagram-3",
            "crumbs": _crumbs(),
            "cancel_url": _list_url(),
            "aside": "network/_quota_aside.html",
            "quotas": found["quotas"],
            "choices_url": found["choices_url"],
        },
    )


def _editable(request, conn, network_id: str):
    net = _network_or_none(conn, network_id, project_id(request), request.keystone.is_admin)
    if net is None or not _offered(request, net) or not (owned(net, project_id(request)) or request.keystone.is_admin):
        return None
    return net


@require_http_methods(["GET", "POST"])
def network_edit(request, network_id: str):
    conn = connection(request)
    net = _editable(request, conn, network_id)
    if net is None:
        return _gone(request)
    is_admin = request.keystone.is_admin
    initial = {"name": net.name, "admin_state_up": net.admin_state_up, "shared": net.shared}
    form = forms.NetworkEditForm(posted(request), initial=initial, is_admin=is_admin)

    def perform(cd):
        changes = {"name": cd["name"], "admin_state_up": cd["admin_state_up"]}
        if is_admin:
            changes["shared"] = cd["shared"]
        networks.update_network(conn, net.id, **changes)
        return _("Network “%(name)s” saved.") % {"name": cd["name"] or net.id}

    return form_page(
        request,
        form,
        perform,
        success_url=_detail_url(net.id),
        context={
            "title": _("Edit network"),
            "icon": "pencil",
            "crumbs": _crumbs(net),
            "cancel_url": _detail_url(net.id),
        },
    )


@require_http_methods(["GET", "POST"])
def subnet_create(request, network_id: str):
    conn = connection(request)
    pid = project_id(request)
    net = _editable(request, conn, network_id)
    if net is None:
        return _gone(request)
    found = _form_reads(request, conn, pid, ("subnet",), "subnet")
    form = forms.SubnetCreateForm(posted(request), pools=found["pools"], existing=tuple(s.cidr for s in net.subnets))

    def perform(cd):
        refuse_over_quota(conn, pid, {"subnet": 1})
        networks.create_subnet(conn, net.id, cd["subnet"])
        return _("Subnet added to “%(name)s”.") % {"name": net.label}

    return form_page(
        request,
        form,
        perform,
        success_url=_detail_url(net.id),
        context={
            "title": _("Add subnet"),
            "icon": "plus-lg",
            "crumbs": _crumbs(net),
            "cancel_url": _detail_url(net.id),
            "aside": "network/_quota_aside.html",
            "quotas": found["quotas"],
            "choices_url": found["choices_url"],
        },
    )


@require_GET
@part_of("networks:list")
def pool_choices(request):
    """The subnet forms' subnet pools (htmx, after the form page: most clouds have none, and the page
    does not wait for Neutron to say so): each pool select swapped into the form by id.
    `form`: "network" (the create-network form's subnets) or "subnet"."""
    kind = request.GET.get("form")
    if kind not in ("network", "subnet"):
        raise Http404()
    try:
        pools = _pool_choices(networks.list_subnet_pools(connection(request)))
    except CloudError as err:
        return render(request, "ui/_part_failed.html", {"what": _("The subnet pools"), "error": err})
    if kind == "network":
        form = forms.NetworkCreateForm(None, pools=pools, is_admin=request.keystone.is_admin)
        names = tuple(f"s{i}_subnetpool_id" for i in range(forms.SUBNET_SLOTS))
    else:
        form, names = forms.SubnetCreateForm(None, pools=pools), ("subnetpool_id",)
    return HttpResponse(choices_part(form, names))


def _pool_choices(pools: list[dict]) -> list[tuple[str, str]]:
    return [(p["id"], p["name"]) for p in pools]


def _form_reads(request, conn, pid: str, resources: tuple[str, ...], kind: str) -> dict:
    """A subnet form's reads: the quotas beside it; the subnet pools only to check a form sent (the
    page's selects get theirs from pool_choices, whose URL this gives for a GET)."""
    calls = {"quotas": lambda: quota_items(conn, pid, resources)}
    if request.method == "POST":
        calls["pools"] = lambda: networks.list_subnet_pools(conn)
    found = concurrently(calls, optional=tuple(calls))
    pools = found.get("pools")
    return {
        "quotas": found["quotas"] if isinstance(found["quotas"], list) else [],
        "pools": _pool_choices(pools) if isinstance(pools, list) else [],
        "choices_url": "" if request.method == "POST" else reverse("networks:pool_choices") + f"?form={kind}",
    }


@require_POST
def network_action(request, network_id: str, action: str):
    """Actions without a form: delete the network, delete one of its subnets or ports."""
    conn = connection(request)
    back = next_url(request, _detail_url(network_id))
    if action == "delete":
        spec = networks.ACTIONS["delete"]
        if back.startswith(_detail_url(network_id)):
            back = _list_url()

        def perform():
            # an admin token could delete any project's network: this project's only
            if not owned(networks.get_network(conn, network_id), project_id(request)):
                raise CloudError("not_found", _("That network is not in this project."))
            networks.delete_network(conn, network_id)

    elif action in ("delete_subnet", "delete_port"):
        spec = DELETE_SUBNET if action == "delete_subnet" else DELETE_PORT
        target = request.POST.get("target", "")
        net = _network_or_none(conn, network_id, project_id(request), request.keystone.is_admin)
        if net is None:
            return _gone(request)

        def perform():
            if action == "delete_subnet":
                if target not in net.subnet_ids:
                    raise CloudError("not_found", _("That subnet is not on this network."))
                networks.delete_subnet(conn, target)
            else:
                port = ports.get_port(conn, target)
                if port.network_id != net.id or not owned(port, project_id(request)):
                    raise CloudError("not_found", _("That port is not on this network."))
                ports.delete_port(conn, target)

    else:
        raise Http404
    return run_action(
        request,
        spec,
        perform,
        subject=request.POST.get("name", "")[:255] or network_id,
        back=back,
        failed_back=next_url(request, _detail_url(network_id)),
    )


# --- ports ---------------------------------------------------------------------------------------


def _port_form(request, conn, net, port=None):
    pid = project_id(request)
    groups = secgroups.list_group_names(conn, pid)
    initial = {}
    if port is not None:
        initial = {
            "name": port.name,
            "admin_state_up": port.admin_state_up,
            "fixed_ips": "\n".join(port.addresses),
            "port_security_enabled": port.port_security,
            "security_groups": port.security_group_ids,
            "allowed_address_pairs": "\n".join(p.get("ip_address", "") for p in port.allowed_address_pairs),
        }
    return forms.PortForm(posted(request), initial=initial, groups=groups, subnets=net.subnets)


@require_http_methods(["GET", "POST"])
def port_create(request, network_id: str):
    conn = connection(request)
    pid = project_id(request)
    net = _network_or_none(conn, network_id, pid, request.keystone.is_admin)
    if net is None:
        return _gone(request)
    form = _port_form(request, conn, net)
    quotas = quota_items(conn, pid, ("port",))

    def perform(cd):
        refuse_over_quota(conn, pid, {"port": 1})
        ports.create_port(conn, net.id, cd)
        return _("Port created on “%(name)s”.") % {"name": net.label}

    return form_page(
        request,
        form,
        perform,
        success_url=_detail_url(net.id),
        context={
            "title": _("Create port"),
            "icon": "plug",
            "crumbs": _crumbs(net),
            "cancel_url": _detail_url(net.id),
            "aside": "network/_quota_aside.html",
            "quotas": quotas,
        },
    )


@require_http_methods(["GET", "POST"])
def port_edit(request, port_id: str):
    conn = connection(request)
    pid = project_id(request)
    port = found_or_none(lambda: ports.get_port(conn, port_id))
    if port is None or not owned(port, pid):
        return not_found(request, "port", _list_url(), _("Back to networks"))
    net = networks.get_network(conn, port.network_id)
    form = _port_form(request, conn, net, port)

    def perform(cd):
        ports.update_port(conn, port.id, cd)
        return _("Port “%(name)s” saved.") % {"name": cd["name"] or port.id}

    return form_page(
        request,
        form,
        perform,
        success_url=_detail_url(net.id),
        context={"title": _("Edit port"), "icon": "pencil", "crumbs": _crumbs(net), "cancel_url": _detail_url(net.id)},
    )


@require_GET
def instance_ports(request, server_id: str):
    """An instance's ports (one Neutron call and the instance names)."""
    conn = connection(request)
    own = [p for p in ports.list_ports(conn, device_id=server_id) if owned(p, project_id(request))]
    return render(
        request,
        "network/instance_ports.html",
        {"ports": own, "server_id": server_id, "back": request.get_full_path()},
    )
