"""Floating IPs of the project: the list with the quota, allocate, associate, disassociate, release."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard.cloud import concurrently, connection, floatingips, routers
from dashboard.ui.actions import next_url, run_action
from dashboard.ui.forms import form_page, posted
from dashboard.ui.lists import Column, Filter, ListSpec, page_or_first
from dashboard.ui.name_parts import asked_rows, names_part, part_of
from dashboard.ui.rows import live_list_context, live_row

from . import forms
from .common import not_found, owned_or_none, project_id, quota_items, refuse_over_quota

STATUSES = (("ACTIVE", gettext_lazy("Active")), ("DOWN", gettext_lazy("Down")), ("ERROR", gettext_lazy("Error")))
LIST = ListSpec(
    url_name="floating_ips:list",
    sorts=tuple(floatingips.SORT_KEYS),
    default_sort="address",
    default_direction="asc",
    filters=(
        Filter("address", gettext_lazy("Address"), max_length=64),
        Filter("status", gettext_lazy("Status"), choices=STATUSES, clean=str.upper),
    ),
)
COLUMNS = [
    Column(gettext_lazy("Address"), "address", first_direction="asc"),
    Column(gettext_lazy("Status"), "status"),
    Column(gettext_lazy("Pool")),
    Column(gettext_lazy("Instance")),
    Column(gettext_lazy("Fixed IP")),
    Column(gettext_lazy("Actions"), css="text-end"),
]


def _list_url() -> str:
    return reverse("floating_ips:list")


def _gone(request):
    return not_found(request, "floating_ip", _list_url(), _("Back to floating IPs"))


def _row_context(fip, back: str) -> dict:
    return {"fip": fip, "actions": floatingips.offered(fip), "back": back}


@require_GET
def fip_list(request):
    params = LIST.params(request)
    conn = connection(request)
    pid = project_id(request)

    # the page waits for Neutron's page alone: the floating-IP quota follows in fip_quota
    page = page_or_first(request, LIST, params, lambda: floatingips.list_floating_ips(conn, pid, params))
    if isinstance(page, HttpResponse):
        return page
    context = live_list_context(request, LIST, params, page, COLUMNS, row=_row_context, row_url="floating_ips:row")
    # the pools' and instances' names follow in fip_names (loaded by the page), short ids meanwhile
    context.update(
        names_part(
            "floating_ips:names",
            row=((fip.id, fip.device_id) for fip in page.items if fip.device_id),
            pool=((fip.id, fip.network_id) for fip in page.items if fip.network_id),
        )
    )
    return render(request, "network/fip_list.html", context)


@require_GET
@part_of("floating_ips:list")
def fip_names(request):
    """The list's names (htmx, after the page): the external networks' names (1 call) and, when a
    row is associated, one listing of the project's instances' ids and names (floatingips.server_names),
    at once, whatever the rows; each asked row's pool and instance cells swapped in by id (out of
    band). A failing call leaves the page's short ids."""
    conn = connection(request)
    rows = asked_rows(request.GET.getlist("row"), max(LIST.page_sizes))
    pools = asked_rows(request.GET.getlist("pool"), max(LIST.page_sizes))
    calls = {}
    if rows:
        calls["servers"] = lambda: floatingips.server_names(conn)
    if pools:
        calls["networks"] = lambda: routers.external_names(conn)
    found = concurrently(calls, optional=tuple(calls)) if calls else {}
    servers, networks = (found.get(k) if isinstance(found.get(k), dict) else {} for k in ("servers", "networks"))
    context = {
        "instances": [
            {"id": fip_id, "device_id": server_id, "device_name": servers[server_id]}
            for fip_id, server_id in rows
            if servers.get(server_id)
        ],
        "pools": [
            {"id": fip_id, "network_id": net_id, "network_name": networks[net_id]}
            for fip_id, net_id in pools
            if networks.get(net_id)
        ],
    }
    return render(request, "network/_fip_names.html", context)


@require_GET
@part_of("floating_ips:list")
def fip_quota(request):
    """The list's floating-IP quota (htmx, after the page; 1 call): "n of m allocated" beside the
    title, in place of the loader. A failing call shows nothing, as the page did."""
    conn = connection(request)
    pid = project_id(request)
    found = concurrently({"quotas": lambda: quota_items(conn, pid, ("floatingip",))}, optional=("quotas",))
    quotas = found["quotas"] if isinstance(found["quotas"], list) else []
    return render(request, "network/_fip_quota.html", {"quotas": quotas})


def _fip_or_none(request, conn, fip_id: str):
    return owned_or_none(request, lambda: floatingips.get_floating_ip(conn, fip_id, project_id(request)))


@require_GET
def fip_row(request, fip_id: str):
    fip = _fip_or_none(request, connection(request), fip_id)
    return live_row(request, fip, "network/_fip_row.html", _row_context, list_url=_list_url())


@require_http_methods(["GET", "POST"])
def fip_allocate(request):
    conn = connection(request)
    pid = project_id(request)
    found = concurrently(
        {
            "externals": lambda: routers.external_networks(conn),
            "quotas": lambda: quota_items(conn, pid, ("floatingip",)),
        },
        optional=("quotas",),
    )
    form = forms.AllocateForm(posted(request), externals=found["externals"])

    def perform(cd):
        refuse_over_quota(conn, pid, {"floatingip": 1})
        address = floatingips.allocate(conn, cd["network_id"], cd["address"], cd["subnet_id"].strip())
        return _("Floating IP %(address)s allocated.") % {"address": address}

    return form_page(
        request,
        form,
        perform,
        success_url=_list_url(),
        context={
            "title": _("Allocate floating IP"),
            "icon": "globe",
            "crumbs": [(_("Floating IPs"), _list_url())],
            "cancel_url": _list_url(),
            "aside": "network/_quota_aside.html",
            "quotas": found["quotas"] if isinstance(found["quotas"], list) else [],
        },
    )


@require_http_methods(["GET", "POST"])
def fip_associate(request, fip_id: str):
    conn = connection(request)
    pid = project_id(request)
    fip = _fip_or_none(request, conn, fip_id)
    if fip is None:
        return _gone(request)
    form = forms.AssociateForm(posted(request), targets=floatingips.instance_targets(conn, pid))

    def perform(cd):
        port_id, _sep, fixed_ip = cd["target"].partition("|")
        floatingips.associate(conn, fip.id, port_id, fixed_ip)
        return _("Floating IP %(address)s associated.") % {"address": fip.address}

    return form_page(
        request,
        form,
        perform,
        success_url=next_url(request, _list_url()),
        context={
            "title": _("Associate %(address)s") % {"address": fip.address},
            "icon": "link-45deg",
            "crumbs": [(_("Floating IPs"), _list_url())],
            "cancel_url": _list_url(),
        },
    )


@require_POST
def fip_action(request, fip_id: str, action: str):
    conn = connection(request)
    spec = floatingips.ACTIONS.get(action)
    if spec is None or spec.form:
        raise Http404
    fip = _fip_or_none(request, conn, fip_id)
    if fip is None:
        return _gone(request)

    def perform():
        if action == "release":
            floatingips.release(conn, fip.id)
        else:
            floatingips.disassociate(conn, fip.id)

    return run_action(request, spec, perform, subject=fip.address, back=next_url(request, _list_url()))
