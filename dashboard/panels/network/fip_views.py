"""Floating IPs of the project: the list with the quota, allocate, associate, disassociate, release."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard.cloud import concurrently, connection, floatingips, instances, routers
from dashboard.ui.actions import next_url, run_action
from dashboard.ui.forms import form_page, posted
from dashboard.ui.rows import list_page, live_row

from . import forms
from .common import not_found, owned_or_none, project_id, quota_items, refuse_over_quota
from .lists import FLOATING_IPS


def _list_url() -> str:
    return reverse("floating_ips:list")


def _gone(request):
    return not_found(request, "floating_ip", _list_url(), _("Back to floating IPs"))


@require_GET
def fip_list(request):
    """One Neutron page of floating IPs, with what does not depend on its rows at once (4 calls):
    the pools' names, the project's instances' names and the floating-IP quota. A failing one
    leaves ids (names) or no quota beside the title."""
    conn = connection(request)
    pid = project_id(request)
    return list_page(
        request,
        FLOATING_IPS,
        lambda params: floatingips.list_floating_ips(conn, pid, params),
        also={
            "networks": lambda: routers.list_external_network_names(conn),
            "servers": lambda: instances.list_server_names(conn),
            "quotas": lambda: quota_items(conn, pid, ("floatingip",)),
        },
        name=lambda items, also: floatingips.name_all(items, also["networks"], also["servers"]),
    )


def _fip_or_none(request, conn, fip_id: str):
    return owned_or_none(request, lambda: floatingips.get_floating_ip(conn, fip_id, project_id(request)))


@require_GET
def fip_row(request, fip_id: str):
    fip = _fip_or_none(request, connection(request), fip_id)
    return live_row(request, FLOATING_IPS, fip)


@require_http_methods(["GET", "POST"])
def fip_allocate(request):
    conn = connection(request)
    pid = project_id(request)
    found = concurrently(
        {
            "externals": lambda: routers.list_external_network_choices(conn),
            "quotas": lambda: quota_items(conn, pid, ("floatingip",)),
        },
        optional=("quotas",),
    )
    form = forms.AllocateForm(posted(request), externals=found["externals"], is_admin=request.keystone.is_admin)

    def perform(cd):
        refuse_over_quota(conn, pid, {"floatingip": 1})
        address = floatingips.allocate_floating_ip(
            conn, cd["network_id"], cd.get("address", ""), cd["subnet_id"].strip()
        )
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
    form = forms.AssociateForm(posted(request), targets=floatingips.list_association_targets(conn, pid))

    def perform(cd):
        port_id, _sep, fixed_ip = cd["target"].partition("|")
        floatingips.associate_floating_ip(conn, fip.id, port_id, fixed_ip)
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
            floatingips.release_floating_ip(conn, fip.id)
        else:
            floatingips.disassociate_floating_ip(conn, fip.id)

    return run_action(request, spec, perform, subject=fip.address, back=next_url(request, _list_url()))
