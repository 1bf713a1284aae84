"""Routers: the list (one Neutron page), a router's page with its interfaces, the forms."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard.cloud import concurrently, connection, routers
from dashboard.cloud.actions import Action
from dashboard.ui.actions import next_url, run_action
from dashboard.ui.forms import conflict_on, form_page, posted
from dashboard.ui.rows import found_or_none, list_page, live_row

from . import forms
from .common import (
    not_found,
    owned,
    owned_or_none,
    project_id,
    quota_items,
    refuse_over_quota,
)
from .lists import ROUTERS

REMOVE_INTERFACE = Action(
    "remove_interface",
    gettext_lazy("Remove interface"),
    "x-circle",
    danger=True,
    done=gettext_lazy("The interface was removed from the router “%(subject)s”."),
)


def _list_url() -> str:
    return reverse("routers:list")


def _detail_url(router_id: str) -> str:
    return reverse("routers:detail", args=[router_id])


def _gone(request):
    return not_found(request, "router", _list_url(), _("Back to routers"))


def _router_or_none(request, conn, router_id: str):
    return owned_or_none(request, lambda: routers.get_router(conn, router_id))


@require_GET
def router_list(request):
    """One Neutron page of routers and the external networks' names, at once (2 calls): the
    gateways' names are printed with the rows (ids when the names listing fails)."""
    conn = connection(request)
    return list_page(
        request,
        ROUTERS,
        lambda params: routers.list_routers(conn, project_id(request), params),
        also={"networks": lambda: routers.list_external_network_names(conn)},
        name=lambda items, also: routers.name_gateways(items, also["networks"]),
    )


@require_GET
def router_row(request, router_id: str):
    router = _router_or_none(request, connection(request), router_id)
    return live_row(request, ROUTERS, router)


@require_GET
def router_detail(request, router_id: str):
    conn = connection(request)
    data = found_or_none(lambda: routers.get_router_with_interfaces(conn, router_id))
    if data is None or not owned(data["router"], project_id(request)):
        return _gone(request)
    router = data["router"]
    here = request.get_full_path()
    return render(
        request,
        "network/router_detail.html",
        {"router": router, "interfaces": data["interfaces"], "actions": routers.offered(router), "back": here},
    )


def _crumbs(router=None):
    crumbs = [(_("Routers"), _list_url())]
    if router is not None:
        crumbs.append((router.label, _detail_url(router.id)))
    return crumbs


@require_http_methods(["GET", "POST"])
def router_create(request):
    conn = connection(request)
    pid = project_id(request)
    found = concurrently(
        {
            "externals": lambda: routers.list_external_network_choices(conn),
            "quotas": lambda: quota_items(conn, pid, ("router",)),
        },
        optional=("quotas",),
    )
    is_admin = request.keystone.is_admin
    form = forms.RouterCreateForm(posted(request), externals=found["externals"], is_admin=is_admin)

    def perform(cd):
        refuse_over_quota(conn, pid, {"router": 1})
        snat = cd.get("enable_snat") if is_admin and cd["external_network_id"] else None
        router_id = routers.create_router(conn, cd["name"], cd["external_network_id"], snat)
        return _("Router “%(name)s” created.") % {"name": cd["name"]}, router_id

    return form_page(
        request,
        form,
        perform,
        success_url=_detail_url,
        field_for=conflict_on("name"),
        context={
            "title": _("Create router"),
            "icon": "router",
            "crumbs": _crumbs(),
            "cancel_url": _list_url(),
            "aside": "network/_quota_aside.html",
            "quotas": found["quotas"] if isinstance(found["quotas"], list) else [],
        },
    )


def _router_form_page(request, router, action: str, form, perform):
    spec = routers.ACTIONS[action]
    return form_page(
        request,
        form,
        perform,
        success_url=_detail_url(router.id),
        context={
            "title": _("%(action)s: %(name)s") % {"action": spec.label, "name": router.label},
            "icon": spec.icon,
            "crumbs": _crumbs(router),
            "cancel_url": _detail_url(router.id),
        },
    )


@require_http_methods(["GET", "POST"])
def router_edit(request, router_id: str):
    conn = connection(request)
    router = _router_or_none(request, conn, router_id)
    if router is None:
        return _gone(request)
    form = forms.RouterEditForm(posted(request), initial={"name": router.name, "admin_state_up": router.admin_state_up})

    def perform(cd):
        routers.update_router(conn, router.id, name=cd["name"], admin_state_up=cd["admin_state_up"])
        return _("Router saved.")

    return _router_form_page(request, router, "edit", form, perform)


@require_http_methods(["GET", "POST"])
def router_gateway(request, router_id: str):
    conn = connection(request)
    router = _router_or_none(request, conn, router_id)
    if router is None:
        return _gone(request)
    is_admin = request.keystone.is_admin
    initial = {"network_id": router.external_network_id, "enable_snat": router.enable_snat is not False}
    form = forms.GatewayForm(
        posted(request), initial=initial, externals=routers.list_external_network_choices(conn), is_admin=is_admin
    )

    def perform(cd):
        routers.set_gateway(conn, router.id, cd["network_id"], cd.get("enable_snat") if is_admin else None)
        return _("Gateway set.")

    return _router_form_page(request, router, "gateway", form, perform)


@require_http_methods(["GET", "POST"])
def router_add_interface(request, router_id: str):
    conn = connection(request)
    router = _router_or_none(request, conn, router_id)
    if router is None:
        return _gone(request)
    form = forms.InterfaceForm(posted(request), subnets=routers.list_project_subnets(conn, project_id(request)))

    def perform(cd):
        routers.add_interface(conn, router.id, subnet_id=cd["subnet_id"], port_id=cd["port_id"].strip())
        return _("Interface added.")

    return _router_form_page(request, router, "add_interface", form, perform)


@require_http_methods(["GET", "POST"])
def router_routes(request, router_id: str):
    conn = connection(request)
    router = _router_or_none(request, conn, router_id)
    if router is None:
        return _gone(request)
    text = "\n".join(f"{r['destination']} {r['nexthop']}" for r in router.routes)
    form = forms.RoutesForm(posted(request), initial={"routes": text})

    def perform(cd):
        routers.set_routes(conn, router.id, cd["routes"])
        return _("Static routes saved.")

    return _router_form_page(request, router, "routes", form, perform)


@require_POST
def router_action(request, router_id: str, action: str):
    conn = connection(request)
    back = next_url(request, _detail_url(router_id))
    router = _router_or_none(request, conn, router_id)
    if router is None:
        return _gone(request)
    if action == "remove_interface":
        spec = REMOVE_INTERFACE
        port_id = request.POST.get("target", "")

        def perform():
            routers.remove_interface(conn, router.id, port_id=port_id)

    else:
        spec = routers.ACTIONS.get(action)
        if spec is None or spec.form or action not in routers.allowed_actions(router):
            raise Http404
        if action == "delete" and back.startswith(_detail_url(router_id)):
            back = _list_url()

        def perform():
            if action == "delete":
                routers.delete_router(conn, router.id)
            else:
                routers.clear_gateway(conn, router.id)

    return run_action(
        request,
        spec,
        perform,
        subject=router.label,
        back=back,
        failed_back=next_url(request, _detail_url(router_id)),
    )
