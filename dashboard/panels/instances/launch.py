"""Launching instances: the form, its live quota/flavor preview, and key pairs made on the way."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from dashboard.cloud import CloudError, connection
from dashboard.cloud.keypairs import KeyPair, import_keypair, list_keypairs, new_ssh_keypair
from dashboard.cloud.launch import (
    USER_DATA_LIMIT,
    USER_DATA_RAW_LIMIT,
    LaunchContext,
    context_from_choices,
    get_launch_choices,
    get_launch_context,
    get_launch_extras,
    launch_instance,
)
from dashboard.cloud.launch_rules import Source, demand_of, flavor_fit_problem, quota_fit_problem, quota_lines
from dashboard.cloud.secrets import Unsealable, open_sealed, seal
from dashboard.launching import checked_launch, follow, form_source, no_choices
from dashboard.launching.forms import MAX_COUNT, MAX_NICS, KeypairCreateForm, KeypairImportForm, LaunchForm

log = logging.getLogger(__name__)

# private keys Zenith generated, kept in the (server-side) session until their one download, sealed
# like the tokens (a copy of the session table or of its Redis cache holds no usable key), and gone
# with the session if never downloaded
PRIVATE_KEYS = "launch_private_keys"


def _count(form: LaunchForm) -> int:
    try:
        return max(1, min(MAX_COUNT, int(form.data.get("count") or 1)))
    except (TypeError, ValueError):
        return 1


def _flavor_rows(ctx: LaunchContext, source: Source, count: int) -> list[dict]:
    """Each flavor with the reason it cannot be chosen (too small for the source, over quota)."""
    rows = []
    for flavor in ctx.flavors:
        reason = flavor_fit_problem(flavor, source if source.id else None, ctx.needs) or quota_fit_problem(
            flavor, count, source, ctx.compute_limits, ctx.volume_limits
        )
        rows.append({"flavor": flavor, "reason": reason})
    return rows


def _preview(form: LaunchForm, ctx: LaunchContext) -> dict:
    source = form_source(form, ctx)
    count = _count(form)
    flavor = ctx.flavor(form.data.get("flavor") or "")
    return {
        "flavor_rows": _flavor_rows(ctx, source, count),
        "selected_flavor": flavor.id if flavor else "",
        "quota": quota_lines(ctx.compute_limits, ctx.volume_limits, demand_of(count, flavor, source)),
        "volume_limits_missing": isinstance(ctx.volume_limits, Exception),
        "source_needs": ctx.needs if source.id else None,
        "count": count,
    }


def _page(request, form: LaunchForm, ctx: LaunchContext, status: int = 200, extras_pending: bool = False):
    choices = form.cloud
    if extras_pending:  # their placeholders take no choice: the part that follows replaces them
        for name in ("availability_zone", "server_group"):
            form.fields[name].widget.attrs["disabled"] = True
    context = {
        # the page (GET) comes without EXTRAS: they follow in launch_extras_part, which it loads
        "extras_pending": extras_pending,
        "extras_query": _extras_query(request, form) if extras_pending else "",
        "form": form,
        "choices": choices,
        "nic_slots": _nic_slots(form),
        "max_nics": MAX_NICS,
        "user_data_limit": USER_DATA_LIMIT,
        "user_data_raw_limit": USER_DATA_RAW_LIMIT,
        "keypairs": choices["keypairs"],
        "selected_keypair": form["key_name"].value() or "",
        "create_form": KeypairCreateForm(),
        "import_form": KeypairImportForm(),
        "keypair_note": _pending_download(request),
        "unavailable": _unavailable(choices),
        **_preview(form, ctx),
    }
    return render(request, "instances/launch.html", context, status=status)


def _unavailable(choices: dict) -> dict:
    """The optional choices that could not be read, with the reason."""
    return {
        name: choices[name].message
        for name in ("volumes", "snapshots", "zones", "server_groups", "ports", "keypairs", "security_groups")
        if isinstance(choices.get(name), CloudError)
    }


def _extras_query(request, form: LaunchForm) -> str:
    """The page's own preselection (a volume or a snapshot to launch from) and its number of
    network interface slots (each gets the free ports) for the extras part."""
    query = {kind: request.GET[kind] for kind in ("volume", "snapshot") if request.GET.get(kind)}
    query["nics"] = len(_nic_slots(form))
    return "?" + urlencode(query)


def _nic_count(request) -> int:
    try:
        return max(1, min(MAX_NICS, int(request.GET.get("nics") or 1)))
    except ValueError:
        return 1


def _nic_slots(form: LaunchForm) -> list[str]:
    """The chosen networks/ports in order, padded with one empty slot to add another."""
    chosen = form.data.getlist("nic") if form.is_bound else []
    chosen = [c for c in chosen if c]
    if not form.is_bound:
        nets = form.cloud["networks"]
        own = [n for n in nets if not n.is_shared and not n.is_router_external]
        if len(nets) == 1 or own:
            chosen = [f"net:{(own or nets)[0].id}"]
    return (chosen + [""])[:MAX_NICS] if len(chosen) < MAX_NICS else chosen


def _pending_download(request) -> dict | None:
    pending = request.session.get(PRIVATE_KEYS) or {}
    if pending:
        name = sorted(pending)[0]
        return {"kind": "download", "name": name}
    return None


def launch(request):
    conn = connection(request)
    if request.method == "GET":
        # 5 calls for a member (6 for an administrator), 2 of them to Nova and 1 to Neutron; the
        # other 7 choices follow (launch_extras_part)
        admin = request.keystone.is_admin
        choices = get_launch_choices(conn, request.keystone.project_id, extras=False, sees_every_project=admin)
        form = LaunchForm(choices=choices, initial=_initial(request, choices))
        return _page(request, form, context_from_choices(choices, None), extras_pending=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])

    form, ctx, spec = checked_launch(
        conn, request.keystone.project_id, request.POST, request.FILES, sees_every_project=request.keystone.is_admin
    )
    if spec is not None:
        try:
            server = launch_instance(conn, spec)
        except CloudError as err:
            form.add_error(None, err.message)
        else:
            follow(request.keystone.project_id, server)
            if spec.count > 1:
                messages.success(
                    request,
                    _("Launching %(count)s instances named “%(first)s” … “%(last)s”.")
                    % {"count": spec.count, "first": f"{spec.name}-1", "last": f"{spec.name}-{spec.count}"},
                )
            else:
                messages.success(request, _("Launching instance “%(name)s”.") % {"name": spec.name})
            return redirect("instances:list")
    return _page(request, form, ctx, status=400)


def _initial(request, choices) -> dict:
    initial = {}
    image = request.GET.get("image")
    if image and any(i.id == image for i in choices["images"]):
        initial["image"] = image
    elif len(choices["images"]) == 1:
        initial["image"] = choices["images"][0].id
    # "Launch as instance" from a volume or a volume snapshot (the volumes panel links here): the
    # page shows that source; its choice is made in the extras part, if that offers it
    for kind in ("volume", "snapshot"):
        if request.GET.get(kind):
            initial["source_type"] = kind
    return initial


@require_GET
def launch_extras_part(request):
    """What the launch page shows after it loads (htmx): the bootable volumes, the volume
    snapshots, the key pairs, the availability zones, the server groups, the security groups and
    the free ports (in each of the page's `nics` interface slots, with the "Add interface" button
    they enable), 7 calls at once, each swapped into its place on the form (out of band). A part
    that cannot be read keeps the page's placeholder and says why."""
    if not request.headers.get("HX-Request"):
        return HttpResponseRedirect(reverse("instances:launch"))
    found = get_launch_extras(connection(request), request.keystone.project_id)
    choices = {**no_choices(), **found}
    initial = {}
    for kind in ("volume", "snapshot"):
        chosen, offered = request.GET.get(kind), choices[f"{kind}s"]
        if chosen and isinstance(offered, list) and any(v.id == chosen for v in offered):
            initial[kind] = chosen
    for name in ("keypairs", "security_groups", "ports"):
        if isinstance(choices[name], CloudError):
            choices[name] = []
    form = LaunchForm(choices=choices, initial=initial)
    context = {
        "form": form,
        "choices": choices,
        "nic_slots": [""] * _nic_count(request),
        "max_nics": MAX_NICS,
        "keypairs": choices["keypairs"],
        "selected_keypair": "",
        "unavailable": _unavailable(found),
        "oob": True,
    }
    return render(request, "instances/launch_extras.html", context)


@require_POST
def launch_preview(request):
    """The flavor table and the quota panel for what the form holds now (htmx partial)."""
    conn = connection(request)
    form = LaunchForm(request.POST, choices=no_choices())
    source = form_source(form)
    try:
        ctx = get_launch_context(conn, source if source.id else None)
    except CloudError as err:
        # keep the form as it is; the panel says why it could not be refreshed
        return render(request, "instances/launch_quota.html", {"preview_error": err.message, "count": _count(form)})
    return render(request, "instances/launch_preview.html", _preview(form, ctx))


# --- key pairs ----------------------------------------------------------------------------------


def _keypair_section(request, selected: str, note: dict | None, create=None, imp=None, status=200):
    # htmx swaps only successful answers: the section with its errors comes back as 200 to htmx
    if request.headers.get("HX-Request") == "true":
        status = 200
    post = request.POST
    return render(
        request,
        "instances/launch_keypair.html",
        {
            "keypairs": _keypairs_or_none(request, selected),
            "selected_keypair": selected,
            "keypair_note": note,
            # the other box keeps what was typed in it
            "create_form": create or KeypairCreateForm(initial={"new_keypair_name": post.get("new_keypair_name", "")}),
            "import_form": imp
            or KeypairImportForm(
                initial={
                    "import_keypair_name": post.get("import_keypair_name", ""),
                    "public_key": post.get("public_key", ""),
                }
            ),
        },
        status=status,
    )


def _keypairs_or_none(request, selected: str) -> list[KeyPair]:
    try:
        return list_keypairs(connection(request))
    except CloudError as err:
        messages.error(request, err.message)
        return [KeyPair(name=selected)] if selected else []


@require_POST
def keypair_create(request):
    """Make a key pair: the public half goes to Nova, the private half waits in the session for one download."""
    form = KeypairCreateForm(request.POST)
    selected = request.POST.get("key_name", "")
    if not form.is_valid():
        return _keypair_section(request, selected, None, create=form, status=400)
    name = form.cleaned_data["new_keypair_name"]
    public, private = new_ssh_keypair(comment=f"{name}@zenith")
    try:
        import_keypair(connection(request), name, public)
    except CloudError as err:
        form.add_error("new_keypair_name", err.message)
        return _keypair_section(request, selected, None, create=form, status=400)
    pending = request.session.get(PRIVATE_KEYS) or {}
    pending[name] = seal(private)
    request.session[PRIVATE_KEYS] = pending
    return _keypair_section(request, name, {"kind": "download", "name": name}, create=KeypairCreateForm())


@require_POST
def keypair_import(request):
    form = KeypairImportForm(request.POST)
    selected = request.POST.get("key_name", "")
    if not form.is_valid():
        return _keypair_section(request, selected, None, imp=form, status=400)
    name = form.cleaned_data["import_keypair_name"]
    try:
        import_keypair(connection(request), name, form.cleaned_data["public_key"])
    except CloudError as err:
        form.add_error("import_keypair_name", err.message)
        return _keypair_section(request, selected, None, imp=form, status=400)
    return _keypair_section(request, name, {"kind": "imported", "name": name}, imp=KeypairImportForm())


@require_POST
def keypair_download(request, name: str):
    """The private key of a key pair Zenith just made, once; Zenith's copy is gone afterwards."""
    pending = request.session.get(PRIVATE_KEYS) or {}
    sealed = pending.pop(name, None)
    if sealed is not None:  # dropped at once, whether it opens or not
        if pending:
            request.session[PRIVATE_KEYS] = pending
        else:
            del request.session[PRIVATE_KEYS]
    try:
        private = open_sealed(sealed)
    except Unsealable:  # already downloaded, never made here, or sealed under another secret key
        return render(request, "instances/launch_key_gone.html", {"name": name}, status=410)
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
    response = HttpResponse(private, content_type="application/x-pem-file")
    response["Content-Disposition"] = f'attachment; filename="{safe}.pem"'
    response["Cache-Control"] = "no-store"
    return response
