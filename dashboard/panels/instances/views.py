"""Instances: the list (one Nova page at a time), one instance's detail tabs, and the actions on it.

Which actions an instance's state allows, and their labels, come from `dashboard.cloud.instances`
(shared with the all-projects list); lists, forms and action POSTs use the panel kit in
`dashboard.ui` (see docs/adding-a-panel.md).
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard.cloud import (
    CloudError,
    concurrently,
    connection,
    flavors,
    floatingips,
    identity,
    images,
    instance_actions,
    instance_logs,
    instances,
    networks,
    ports,
    secgroups,
    telemetry,
    volumes,
)
from dashboard.live import consoles
from dashboard.ui.actions import next_url, run_action, run_bulk
from dashboard.ui.forms import form_page, posted
from dashboard.ui.rows import found_or_none, list_page, live_row

from . import action_forms, usage
from .lists import INSTANCES

CONSOLE_LINES = (50, 200, 1000)


def _list_url() -> str:
    return reverse("instances:list")


def _detail_url(server_id: str, tab: str = "") -> str:
    url = reverse("instances:detail", args=[server_id])
    return url + (f"?tab={tab}" if tab and tab != "overview" else "")


def _not_found(request, server_id: str = ""):
    return render(request, "instances/not_found.html", {"server_id": server_id}, status=404)


# --- the list -----------------------------------------------------------------------------------


@require_GET
def instance_list(request):
    """One Nova page, then its rows' images' names (1 Glance call by their ids) and, when a row boots
    from a volume, the project's volumes (1 Cinder call), at once, in the page's response: the
    sources printed by name (ids when a names call fails). Measured against listing every image at
    once with Nova's page: no slower here, and bounded by the page rather than the cloud's images."""
    conn = connection(request)
    return list_page(
        request,
        INSTANCES,
        lambda params: instances.list_instances(conn, params),
        context={"bulk_actions": [instance_actions.ACTIONS[name] for name in instance_actions.BULK]},
    )


@require_GET
def instance_row(request, server_id: str):
    """One row of the list (for live updates): the <tr> only, or an empty 404 when it is gone."""
    inst = found_or_none(lambda: instances.get_instance(connection(request), server_id))
    return live_row(request, INSTANCES, inst)


@require_POST
def bulk_action(request):
    conn = connection(request)
    return run_bulk(
        request,
        instance_actions.ACTIONS,
        instance_actions.BULK,
        lambda server_id, action: instance_actions.run_simple_action(conn, server_id, action),
        noun=(_("instance"), _("instances")),
        back=next_url(request, _list_url()),
    )


# --- one instance -------------------------------------------------------------------------------

TABS = [
    ("overview", _("Overview")),
    ("log", _("Action log")),
    ("console", _("Console log")),
    ("interfaces", _("Interfaces")),
]


def _console_lines(request) -> int:
    try:
        lines = int(request.GET.get("lines", CONSOLE_LINES[0]))
    except ValueError:
        lines = CONSOLE_LINES[0]
    return lines if lines in CONSOLE_LINES else CONSOLE_LINES[0]


def _tab_calls(request, conn, server_id: str, tab: str) -> dict:
    """What a tab shows, as calls that need only the instance's id: made beside the server's read
    (one round of calls, not the server and then the tab)."""
    if tab == "log":
        calls = {"events": lambda: instance_logs.list_action_events(conn, server_id)}
        if request.keystone.is_admin:
            # who did what, by name: Keystone lists users for administrators only (one call a page);
            # a member knows their own name, and other users keep their ids
            calls["users"] = lambda: identity.list_users(conn)
        return calls
    if tab == "console":
        lines = _console_lines(request)
        return {"console": lambda: instance_logs.get_console_output(conn, server_id, lines)}
    if tab == "interfaces":
        # members: their project's floating IPs; admins: every project's (those of the ports kept)
        return ports.instance_ports_calls(conn, server_id, _scope(request))
    # the overview: the project's volumes (the attached ones' names), read beside the server; the
    # image's name by its id after it, in the same response; the Usage card's series from Gnocchi
    return {"volumes": lambda: volumes.list_all_volumes(conn), **usage.page_calls(conn, server_id)}


def _tab_context(request, tab: str, found: dict, inst: instances.Instance) -> dict:
    if tab == "log":
        names = (
            {} if isinstance(found.get("users"), (CloudError, type(None))) else {u.id: u.name for u in found["users"]}
        )
        names[request.keystone.user_id] = request.keystone.username
        return {"events": instance_logs.name_users(found["events"], names)}
    if tab == "console":
        return {"console": found["console"], "lines": _console_lines(request), "line_choices": CONSOLE_LINES}
    if tab == "interfaces":
        return {"ports": ports.named_ports(found, inst.networks)}
    return {}


def _detail_context(request, conn, inst: instances.Instance, tab: str, found: dict) -> dict:
    is_admin = request.keystone.is_admin
    context = {
        "server": inst,
        "tab": tab,
        "tabs": TABS,
        "actions": instance_actions.offered(inst, is_admin),
        "allowed": instance_actions.allowed_actions(inst.status, inst.task_state, inst.locked, is_admin),
        "is_admin": is_admin,
        "back": _detail_url(inst.id, tab),
        "console_choices": consoles.choices(),
    }
    if tab == "overview":
        # the Usage card: Gnocchi's charts where the catalog has a metric service
        context["metric_service"] = telemetry.offered(conn)
        if context["metric_service"]:
            context["usage"] = usage.card_context(found, inst)
        # names are a nicety: a failing Glance or Cinder (its CloudError here) leaves the ids
        by_id = instances.fill_names(conn, [inst], known_volumes=found["volumes"])
        context["attached"] = [
            {
                "id": vid,
                "name": by_id[vid].name if vid in by_id else "",
                "size": by_id[vid].size if vid in by_id else "",
            }
            for vid in inst.volume_ids
        ]
    context.update(_tab_context(request, tab, found, inst))
    return context


def _load_tab(request, conn, server_id: str, tab: str):
    """The instance and its tab's data in one round of concurrent calls; None when it is not there."""
    calls = _tab_calls(request, conn, server_id, tab)
    try:
        found = concurrently(
            {"server": lambda: instances.get_instance(conn, server_id, names=False), **calls},
            optional=("volumes", "users", *telemetry.SERIES),
        )
    except CloudError as err:
        if err.kind == "not_found":
            return None
        raise
    return found.pop("server"), found


@require_GET
def instance_detail(request, server_id: str):
    tab = request.GET.get("tab", "overview")
    tab = tab if tab in dict(TABS) else "overview"
    conn = connection(request)
    loaded = _load_tab(request, conn, server_id, tab)
    if loaded is None:
        return _not_found(request, server_id)
    inst, found = loaded
    return render(request, "instances/detail.html", _detail_context(request, conn, inst, tab, found))


@require_GET
def instance_tab(request, server_id: str, tab: str):
    """The tabs with one tab's content (htmx): switching tabs, refreshing the console log."""
    if not request.headers.get("HX-Request"):
        return HttpResponseRedirect(_detail_url(server_id, tab))
    conn = connection(request)
    loaded = _load_tab(request, conn, server_id, tab)
    if loaded is None:
        return HttpResponse(gettext("This instance no longer exists."), status=404)
    inst, found = loaded
    return render(request, "instances/_tabs.html", _detail_context(request, conn, inst, tab, found))


# --- actions ------------------------------------------------------------------------------------


def _targeted(conn, request, server_id: str, action: str) -> None:
    """The actions on a second object of the instance: a volume, an interface, a floating IP."""
    if action == "detach_volume":
        instance_actions.detach_volume(conn, server_id, request.POST.get("volume_id", ""))
    elif action == "detach_interface":
        instance_actions.detach_interface(conn, server_id, request.POST.get("port_id", ""))
    elif action == "disassociate_floating_ip":
        # the floating IP must belong to one of this instance's ports (and so to this project)
        own = ports.list_instance_ports(conn, server_id, _scope(request))
        fip_id = request.POST.get("floating_ip_id", "")
        if fip_id not in {f for p in own for f, _ in p.floating_ips}:
            raise CloudError("not_found", _("That floating IP is not associated with this instance."))
        floatingips.disassociate_floating_ip(conn, fip_id)


@require_POST
def instance_action(request, server_id: str, action: str):
    """The actions without a form: start, stop, reboot, ..., delete, detach a volume or interface."""
    spec = instance_actions.ACTIONS.get(action)
    if spec is None or spec.form:
        raise Http404
    conn = connection(request)
    back = next_url(request, _detail_url(server_id))
    if action == "delete" and back.startswith(_detail_url(server_id)):
        back = _list_url()  # the instance's own page is about to go

    def perform():
        if spec.target:
            _targeted(conn, request, server_id, action)
        else:
            instance_actions.run_simple_action(conn, server_id, action)

    return run_action(
        request,
        spec,
        perform,
        subject=request.POST.get("name", "")[:255] or server_id,
        back=back,
        failed_back=next_url(request, _detail_url(server_id)),
        gone=None if spec.target else (lambda: _not_found(request, server_id)),
    )


def _scope(request) -> str:
    """The project to narrow Neutron listings to before the instance is read: the user's own for
    members; none for admins, who may act on another project's instance (their lists are then
    narrowed to the instance's project by `_owned`)."""
    return "" if request.keystone.is_admin else request.keystone.project_id


def _owned(items: list, inst: instances.Instance, shared_ok: bool = False) -> list:
    """What belongs to the instance's project (an admin token lists every project's), plus shared
    and external networks when `shared_ok`."""
    return [
        i
        for i in items
        if i.project_id == inst.project_id
        or (shared_ok and (getattr(i, "is_shared", False) or getattr(i, "is_router_external", False)))
    ]


def _load(conn, server_id: str, **extra):
    """The instance and what its form needs, read at once; None when the instance is not there."""
    try:
        found = concurrently({"server": lambda: instances.get_instance(conn, server_id, names=False), **extra})
    except CloudError as err:
        if err.kind == "not_found":
            return None
        raise
    return found.pop("server"), found


def _action_page(request, inst: instances.Instance, action: str, form, perform):
    """An instance action's form page (form_page with the instance's breadcrumbs and state)."""
    spec = instance_actions.ACTIONS[action]
    allowed = instance_actions.allowed_actions(inst.status, inst.task_state, inst.locked, request.keystone.is_admin)
    name = inst.name or inst.id
    warning = ""
    if action not in allowed:
        state = inst.status_words.lower() + (f" ({inst.task_words.lower()})" if inst.task_state else "")
        warning = _("The instance is %(state)s: Nova will probably refuse this now.") % {"state": state}
    return form_page(
        request,
        form,
        perform,
        success_url=_detail_url(inst.id),
        context={
            "title": gettext("%(action)s: %(name)s") % {"action": spec.label, "name": name},  # "Redimensionner : web"
            "icon": spec.icon,
            "crumbs": [(_("Instances"), _list_url()), (name, _detail_url(inst.id))],
            "cancel_url": _detail_url(inst.id),
            "warning": warning,
            "confirm": spec.confirm if spec.danger else "",
            "server": inst,
        },
    )


# Each form action: read the instance and the form's choices at once, then hand the form and the
# cloud call to `_action_page` (the kit's form_page with the instance's breadcrumbs).


@require_http_methods(["GET", "POST"])
def rename(request, server_id: str):
    conn = connection(request)
    loaded = _load(conn, server_id)
    if loaded is None:
        return _not_found(request, server_id)
    inst, _choices = loaded
    form = action_forms.RenameForm(posted(request), initial={"name": inst.name})

    def perform(cd):
        instance_actions.rename_instance(conn, inst.id, cd["name"])
        return _("Renamed to “%(name)s”.") % {"name": cd["name"]}

    return _action_page(request, inst, "rename", form, perform)


@require_http_methods(["GET", "POST"])
def resize(request, server_id: str):
    conn = connection(request)
    loaded = _load(conn, server_id, flavors=lambda: flavors.list_flavors(conn))
    if loaded is None:
        return _not_found(request, server_id)
    inst, data = loaded
    form = action_forms.ResizeForm(posted(request), flavors=data["flavors"], current=inst.flavor.name)

    def perform(cd):
        instance_actions.resize_instance(conn, inst.id, cd["flavor"])
        return _("Resize started; when the instance waits for it, confirm or revert the resize.")

    return _action_page(request, inst, "resize", form, perform)


@require_http_methods(["GET", "POST"])
def rebuild(request, server_id: str):
    conn = connection(request)
    project_id = request.keystone.project_id
    loaded = _load(conn, server_id, images=lambda: images.list_active_images(conn, project_id))
    if loaded is None:
        return _not_found(request, server_id)
    inst, data = loaded
    form = action_forms.RebuildForm(posted(request), images=data["images"], initial={"image": inst.image_id})

    def perform(cd):
        instance_actions.rebuild_instance(conn, inst.id, cd["image"])
        return _("Rebuild started.")

    return _action_page(request, inst, "rebuild", form, perform)


@require_http_methods(["GET", "POST"])
def snapshot(request, server_id: str):
    conn = connection(request)
    loaded = _load(conn, server_id)
    if loaded is None:
        return _not_found(request, server_id)
    inst, _choices = loaded
    form = action_forms.SnapshotForm(posted(request), initial={"name": f"{inst.name}-snapshot"})

    def perform(cd):
        instance_actions.snapshot_instance(conn, inst.id, cd["name"])
        return _("Snapshot “%(name)s” is being created; it appears among the images.") % {"name": cd["name"]}

    return _action_page(request, inst, "snapshot", form, perform)


@require_http_methods(["GET", "POST"])
def attach_volume(request, server_id: str):
    conn = connection(request)
    loaded = _load(conn, server_id, volumes=lambda: volumes.list_available_volumes(conn))
    if loaded is None:
        return _not_found(request, server_id)
    inst, data = loaded
    form = action_forms.AttachVolumeForm(posted(request), volumes=data["volumes"])

    def perform(cd):
        instance_actions.attach_volume(conn, inst.id, cd["volume"])
        return _("Volume attachment requested.")

    return _action_page(request, inst, "attach_volume", form, perform)


@require_http_methods(["GET", "POST"])
def attach_interface(request, server_id: str):
    conn = connection(request)
    scope = _scope(request)
    loaded = _load(
        conn,
        server_id,
        networks=lambda: networks.list_visible_networks(conn, scope),
        ports=lambda: ports.list_free_ports(conn, scope),
    )
    if loaded is None:
        return _not_found(request, server_id)
    inst, data = loaded
    nets = [n for n in _owned(data["networks"], inst, shared_ok=True) if not n.is_router_external]
    form = action_forms.AttachInterfaceForm(posted(request), networks=nets, ports=_owned(data["ports"], inst))

    def perform(cd):
        instance_actions.attach_interface(conn, inst.id, network_id=cd.get("network", ""), port_id=cd.get("port", ""))
        return _("Interface attachment requested.")

    return _action_page(request, inst, "attach_interface", form, perform)


@require_http_methods(["GET", "POST"])
def floating_ip(request, server_id: str):
    conn = connection(request)
    loaded = _load(
        conn,
        server_id,
        # the ports' network names come from the server's addresses (no listing of every network)
        ports=lambda: ports.list_server_ports(conn, server_id),
        pools=lambda: networks.list_external_networks(conn),
        fips=lambda: floatingips.list_all_floating_ips(conn, _scope(request)),
    )
    if loaded is None:
        return _not_found(request, server_id)
    inst, data = loaded
    names = ports.network_names_by_mac(inst.networks)
    targets = [(p.id, ip, names.get(p.mac, p.network_id)) for p in data["ports"] for ip in p.fixed_ips if ":" not in ip]
    free = [f for f in _owned(data["fips"], inst) if not f.port_id]
    pools = data["pools"]
    form = action_forms.FloatingIPForm(posted(request), targets=targets, free_ips=free, pools=pools)

    def perform(cd):
        address = floatingips.add_floating_ip_to_port(
            conn, cd["port_id"], cd["fixed_ip"], floating_ip_id=cd.get("floating_ip", ""), pool_id=cd.get("pool", "")
        )
        return _("Floating IP %(address)s now points to %(fixed_ip)s.") % {
            "address": address,
            "fixed_ip": cd["fixed_ip"],
        }

    return _action_page(request, inst, "floating_ip", form, perform)


@require_http_methods(["GET", "POST"])
def security_groups(request, server_id: str):
    conn = connection(request)
    loaded = _load(
        conn,
        server_id,
        groups=lambda: secgroups.list_groups_without_rules(conn, _scope(request)),
        ports=lambda: ports.list_server_ports(conn, server_id),
    )
    if loaded is None:
        return _not_found(request, server_id)
    inst, data = loaded
    current = {g for p in data["ports"] for g in p.security_group_ids}
    groups = _owned(data["groups"], inst)
    form = action_forms.SecurityGroupsForm(posted(request), groups=groups, initial={"groups": sorted(current)})

    def perform(cd):
        chosen = set(cd["groups"])
        instance_actions.set_security_groups(
            conn, inst.id, add=sorted(chosen - current), remove=sorted(current - chosen)
        )
        return _("Security groups updated.")

    return _action_page(request, inst, "security_groups", form, perform)


FORM_VIEWS = {
    "rename": rename,
    "resize": resize,
    "rebuild": rebuild,
    "snapshot": snapshot,
    "attach_volume": attach_volume,
    "attach_interface": attach_interface,
    "floating_ip": floating_ip,
    "security_groups": security_groups,
}
