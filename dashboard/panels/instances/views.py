"""Instances: the list (one Nova page at a time), one instance's detail tabs, and the actions on it."""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard.cloud import CloudError, compute, concurrently, connection

from . import actions as act

UUID = re.compile(r"^[0-9a-fA-F-]{1,64}$")
PAGE_SIZES = (10, 20, 50, 100)
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
CONSOLE_LINES = (50, 200, 1000)


# --- helpers ------------------------------------------------------------------------------------


def _list_url(**params) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return "/project/instances/" + ("?" + query if query else "")


def _detail_url(server_id: str, tab: str = "") -> str:
    return f"/project/instances/{server_id}/" + (f"?tab={tab}" if tab and tab != "overview" else "")


def _next_url(request, default: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return default


def _not_found(request, server_id: str = ""):
    return render(request, "instances/not_found.html", {"server_id": server_id}, status=404)


def _row_context(request, inst: compute.Instance, back: str) -> dict:
    return {
        "server": inst,
        "actions": act.offered(inst.status, inst.task_state, inst.locked, request.keystone.is_admin),
        "back": back,
    }


def _list_query(request) -> compute.ListQuery:
    g = request.GET
    status = g.get("status", "").upper()
    sort = g.get("sort", "created")
    try:
        limit = int(g.get("limit", DEFAULT_PAGE_SIZE))
    except ValueError:
        limit = DEFAULT_PAGE_SIZE
    marker, before = g.get("marker", ""), g.get("before", "")
    return compute.ListQuery(
        name=g.get("name", "").strip()[:255],
        status=status if status in compute.STATUSES else "",
        sort=sort if sort in compute.SORT_KEYS else "created",
        direction="asc" if g.get("dir") == "asc" else "desc",
        limit=min(max(limit, 1), MAX_PAGE_SIZE),
        marker=marker if UUID.match(marker) else "",
        before=before if UUID.match(before) and not marker else "",
    )


# --- the list -----------------------------------------------------------------------------------


@require_GET
def instance_list(request):
    query = _list_query(request)
    conn = connection(request)
    base = {"name": query.name, "status": query.status, "sort": query.sort, "dir": query.direction}
    if query.limit != DEFAULT_PAGE_SIZE:
        base["limit"] = query.limit
    try:
        page = compute.list_instances(conn, query)
    except CloudError as err:
        if err.kind == "bad_request" and (query.marker or query.before):
            # the instance the page started from is gone: Nova no longer knows the marker
            messages.warning(request, "That page no longer exists (an instance was deleted); here is the first page.")
            return HttpResponseRedirect(_list_url(**base))
        raise
    here = request.get_full_path()
    sort_links = {}
    for key in compute.SORT_KEYS:
        direction = "asc" if query.sort == key and query.direction == "desc" else "desc"
        sort_links[key] = _list_url(**{**base, "sort": key, "dir": direction})
    return render(
        request,
        "instances/list.html",
        {
            "rows": [_row_context(request, inst, here) for inst in page.instances],
            "query": query,
            "statuses": compute.STATUSES,
            "page_sizes": sorted({*PAGE_SIZES, query.limit}),
            "sort_links": sort_links,
            "next_url": _list_url(**base, marker=page.next_marker) if page.next_marker else "",
            "prev_url": _list_url(**base, before=page.prev_before) if page.prev_before else "",
            "first_url": _list_url(**base) if (query.marker or query.before) else "",
            "filtered": bool(query.name or query.status),
            # instances new to the project go on top only where they belong: first page, newest first
            "live_insert": not (query.name or query.status or query.marker or query.before)
            and query.sort == "created"
            and query.direction == "desc",
            "bulk_actions": [act.ACTIONS[name] for name in act.BULK],
            "here": here,
        },
    )


@require_GET
def instance_row(request, server_id: str):
    """One row of the list (for live updates): the <tr> only, or an empty 404 when it is gone."""
    try:
        inst = compute.get_instance(connection(request), server_id)
    except CloudError as err:
        if err.kind == "not_found":
            return HttpResponse(status=404)
        raise
    # row actions return to the page the row is shown on (live updates fetch rows from the list)
    referer = urlsplit(request.headers.get("Referer", ""))
    shown_on = referer.path + (f"?{referer.query}" if referer.query else "")
    default = shown_on if shown_on.startswith("/project/instances/") else "/project/instances/"
    return render(request, "instances/_row.html", _row_context(request, inst, _next_url(request, default)))


@require_POST
def bulk_action(request):
    action = request.POST.get("action", "")
    ids = [i for i in request.POST.getlist("ids") if UUID.match(i)]
    back = _next_url(request, "/project/instances/")
    if action not in act.BULK:
        messages.error(request, "Choose start, stop or delete.")
        return HttpResponseRedirect(back)
    if not ids:
        messages.warning(request, "Select one or more instances first.")
        return HttpResponseRedirect(back)
    conn = connection(request)
    calls = {i: (lambda i=i: compute.run_simple_action(conn, i, action)) for i in ids}
    results = concurrently(calls, services=dict.fromkeys(ids, "compute"), optional=tuple(ids))
    failed = {i: r for i, r in results.items() if isinstance(r, CloudError)}
    done = len(ids) - len(failed)
    label = act.ACTIONS[action].label
    if done:
        messages.success(request, f"{label}: requested for {done} instance{'s' if done != 1 else ''}.")
    for err in failed.values():
        messages.error(request, f"{label} failed: {err.message}")
    return HttpResponseRedirect(back)


# --- one instance -------------------------------------------------------------------------------

TABS = [("overview", "Overview"), ("log", "Action log"), ("console", "Console log"), ("interfaces", "Interfaces")]


def _tab_context(request, conn, inst: compute.Instance, tab: str) -> dict:
    if tab == "log":
        return {"events": compute.action_log(conn, inst.id)}
    if tab == "console":
        try:
            lines = int(request.GET.get("lines", CONSOLE_LINES[0]))
        except ValueError:
            lines = CONSOLE_LINES[0]
        lines = lines if lines in CONSOLE_LINES else CONSOLE_LINES[0]
        return {"console": compute.console_log(conn, inst.id, lines), "lines": lines, "line_choices": CONSOLE_LINES}
    if tab == "interfaces":
        return {"ports": compute.instance_ports(conn, inst.id)}
    return {}


def _detail_context(request, conn, inst: compute.Instance, tab: str) -> dict:
    context = {
        "server": inst,
        "tab": tab,
        "tabs": TABS,
        "actions": act.offered(inst.status, inst.task_state, inst.locked, request.keystone.is_admin),
        "allowed": act.allowed_actions(inst.status, inst.task_state, inst.locked, request.keystone.is_admin),
        "is_admin": request.keystone.is_admin,
        "back": _detail_url(inst.id, tab),
    }
    if tab == "overview":
        volumes = compute.fill_names(conn, [inst], all_volumes=True)
        context["attached"] = [
            {
                "id": vid,
                "name": getattr(volumes.get(vid), "name", "") or "",
                "size": getattr(volumes.get(vid), "size", ""),
            }
            for vid in inst.volume_ids
        ]
    context.update(_tab_context(request, conn, inst, tab))
    return context


def _instance_or_none(conn, server_id: str) -> compute.Instance | None:
    try:
        return compute.get_instance(conn, server_id, names=False)
    except CloudError as err:
        if err.kind == "not_found":
            return None
        raise


@require_GET
def instance_detail(request, server_id: str):
    tab = request.GET.get("tab", "overview")
    tab = tab if tab in dict(TABS) else "overview"
    conn = connection(request)
    inst = _instance_or_none(conn, server_id)
    if inst is None:
        return _not_found(request, server_id)
    return render(request, "instances/detail.html", _detail_context(request, conn, inst, tab))


@require_GET
def instance_tab(request, server_id: str, tab: str):
    """The tabs with one tab's content (htmx): switching tabs, refreshing the console log."""
    if not request.headers.get("HX-Request"):
        return HttpResponseRedirect(_detail_url(server_id, tab))
    conn = connection(request)
    inst = _instance_or_none(conn, server_id)
    if inst is None:
        return HttpResponse("This instance no longer exists.", status=404)
    return render(request, "instances/_tabs.html", _detail_context(request, conn, inst, tab))


# --- actions ------------------------------------------------------------------------------------


@require_POST
def instance_action(request, server_id: str, action: str):
    """The actions without a form: start, stop, reboot, ..., delete, detach a volume or interface."""
    spec = act.ACTIONS.get(action)
    if spec is None or spec.form:
        raise Http404
    conn = connection(request)
    name = request.POST.get("name", "")[:255] or server_id
    back = _next_url(request, _detail_url(server_id))
    try:
        if action == "detach_volume":
            compute.detach_volume(conn, server_id, request.POST.get("volume_id", ""))
        elif action == "detach_interface":
            compute.detach_interface(conn, server_id, request.POST.get("port_id", ""))
        elif action == "disassociate_floating_ip":
            # the floating IP must belong to one of this instance's ports (and so to this project)
            ports = compute.instance_ports(conn, server_id)
            fip_id = request.POST.get("floating_ip_id", "")
            if fip_id not in {f for p in ports for f, _ in p.floating_ips}:
                raise CloudError("not_found", "That floating IP is not associated with this instance.")
            compute.disassociate_floating_ip(conn, fip_id)
        else:
            compute.run_simple_action(conn, server_id, action)
    except CloudError as err:
        if err.kind == "not_found" and action not in act.TARGETED:
            return _not_found(request, server_id)
        messages.error(request, f"{spec.label} failed: {err.message}")
        return HttpResponseRedirect(back)
    messages.success(request, f"{spec.label}: requested for “{name}”.")
    if action == "delete" and back.startswith(f"/project/instances/{server_id}/"):
        back = "/project/instances/"
    return HttpResponseRedirect(back)


def _load(request, server_id: str, extra: dict) -> tuple[compute.Instance, dict] | None:
    """The instance and what its form needs, fetched at once; None when the instance is not there."""
    conn = connection(request)
    services = {"server": "compute", **{k: v[1] for k, v in extra.items()}}
    calls = {"server": lambda: conn.compute.get_server(server_id), **{k: v[0] for k, v in extra.items()}}
    try:
        found = concurrently(calls, services=services)
    except CloudError as err:
        if err.kind == "not_found":
            return None
        raise
    return compute.instance_from(found.pop("server")), found


def _form_page(request, server_id: str, action: str, extra: dict, make_form, perform, done: str):
    """GET: the action's form; POST: validate, ask the cloud, and go back or show the refusal."""
    spec = act.ACTIONS[action]
    loaded = _load(request, server_id, extra)
    if loaded is None:
        return _not_found(request, server_id)
    inst, data = loaded
    form = make_form(request.POST if request.method == "POST" else None, inst, data)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                message = perform(connection(request), inst, form.cleaned_data, data)
            except CloudError as err:
                form.add_error(None, err.message)
            else:
                messages.success(request, message or f"{spec.label}: requested for “{inst.name}”.")
                return HttpResponseRedirect(_detail_url(inst.id))
        status = 400
    allowed = act.allowed_actions(inst.status, inst.task_state, inst.locked, request.keystone.is_admin)
    return render(
        request,
        "instances/action_form.html",
        {"server": inst, "action": spec, "form": form, "allowed_now": action in allowed, "done": done},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def rename(request, server_id: str):
    def make(post, inst, data):
        return act.RenameForm(post, initial={"name": inst.name})

    def perform(conn, inst, cd, data):
        compute.rename(conn, inst.id, cd["name"])
        return f"Renamed to “{cd['name']}”."

    return _form_page(request, server_id, "rename", {}, make, perform, "")


@require_http_methods(["GET", "POST"])
def resize(request, server_id: str):
    conn = connection(request)
    extra = {"flavors": (lambda: conn.compute.flavors(details=True), "compute")}

    def make(post, inst, data):
        return act.ResizeForm(post, flavors=data["flavors"], current=inst.flavor.name)

    def perform(conn, inst, cd, data):
        compute.resize(conn, inst.id, cd["flavor"])
        return "Resize started; when the instance waits for it, confirm or revert the resize."

    return _form_page(request, server_id, "resize", extra, make, perform, "")


@require_http_methods(["GET", "POST"])
def rebuild(request, server_id: str):
    conn = connection(request)
    extra = {"images": (lambda: compute.active_images(conn), "image")}

    def make(post, inst, data):
        return act.RebuildForm(post, images=data["images"], initial={"image": inst.image_id})

    def perform(conn, inst, cd, data):
        compute.rebuild(conn, inst.id, cd["image"])
        return "Rebuild started."

    return _form_page(request, server_id, "rebuild", extra, make, perform, "")


@require_http_methods(["GET", "POST"])
def snapshot(request, server_id: str):
    def make(post, inst, data):
        return act.SnapshotForm(post, initial={"name": f"{inst.name}-snapshot"})

    def perform(conn, inst, cd, data):
        compute.snapshot(conn, inst.id, cd["name"])
        return f"Snapshot “{cd['name']}” is being created; it appears among the images."

    return _form_page(request, server_id, "snapshot", {}, make, perform, "")


@require_http_methods(["GET", "POST"])
def attach_volume(request, server_id: str):
    conn = connection(request)
    extra = {"volumes": (lambda: compute.available_volumes(conn), "volume")}

    def make(post, inst, data):
        return act.AttachVolumeForm(post, volumes=data["volumes"])

    def perform(conn, inst, cd, data):
        compute.attach_volume(conn, inst.id, cd["volume"])
        return "Volume attachment requested."

    return _form_page(request, server_id, "attach_volume", extra, make, perform, "")


@require_http_methods(["GET", "POST"])
def attach_interface(request, server_id: str):
    conn = connection(request)
    extra = {
        "networks": (lambda: conn.network.networks(), "network"),
        "ports": (lambda: compute.free_ports(conn), "network"),
    }

    def make(post, inst, data):
        nets = [n for n in data["networks"] if not n.is_router_external]
        return act.AttachInterfaceForm(post, networks=nets, ports=data["ports"])

    def perform(conn, inst, cd, data):
        compute.attach_interface(conn, inst.id, network_id=cd.get("network", ""), port_id=cd.get("port", ""))
        return "Interface attachment requested."

    return _form_page(request, server_id, "attach_interface", extra, make, perform, "")


@require_http_methods(["GET", "POST"])
def floating_ip(request, server_id: str):
    conn = connection(request)
    extra = {
        "ports": (lambda: conn.network.ports(device_id=server_id), "network"),
        "networks": (lambda: conn.network.networks(), "network"),
        "fips": (lambda: conn.network.ips(), "network"),
    }

    def make(post, inst, data):
        names = {n.id: n.name for n in data["networks"]}
        targets = [
            (p.id, ip.get("ip_address", ""), names.get(p.network_id, p.network_id))
            for p in data["ports"]
            for ip in p.fixed_ips or []
            if ":" not in ip.get("ip_address", "")
        ]
        free = [f for f in data["fips"] if not f.port_id]
        pools = [n for n in data["networks"] if n.is_router_external]
        return act.FloatingIPForm(post, targets=targets, free_ips=free, pools=pools)

    def perform(conn, inst, cd, data):
        address = compute.associate_floating_ip(
            conn, cd["port_id"], cd["fixed_ip"], floating_ip_id=cd.get("floating_ip", ""), pool_id=cd.get("pool", "")
        )
        return f"Floating IP {address} now points to {cd['fixed_ip']}."

    return _form_page(request, server_id, "floating_ip", extra, make, perform, "")


@require_http_methods(["GET", "POST"])
def security_groups(request, server_id: str):
    conn = connection(request)
    extra = {
        "groups": (lambda: conn.network.security_groups(), "network"),
        "ports": (lambda: conn.network.ports(device_id=server_id), "network"),
    }

    def current(data) -> set[str]:
        return {g for p in data["ports"] for g in p.security_group_ids or []}

    def make(post, inst, data):
        return act.SecurityGroupsForm(post, groups=data["groups"], initial={"groups": sorted(current(data))})

    def perform(conn, inst, cd, data):
        chosen, now = set(cd["groups"]), current(data)
        compute.set_security_groups(conn, inst.id, add=sorted(chosen - now), remove=sorted(now - chosen))
        return "Security groups updated."

    return _form_page(request, server_id, "security_groups", extra, make, perform, "")


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
