"""Volumes (Cinder): the volumes list and detail with every volume action, and the snapshots,
backups, transfers and volume types pages.

Which actions a volume's state allows, and their labels, come from `dashboard.cloud.volumes`
(`ACTIONS`, `allowed_actions`); lists, forms and action POSTs use the panel kit in `dashboard.ui`.
What a page costs in cloud calls is said in `dashboard.cloud.volumes`: the list is one Cinder page
plus one Nova listing of names, made at once, whatever the number of rows.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard.cloud import CloudError, concurrently, connection, images, volumes
from dashboard.ui.actions import next_url, run_action, run_bulk
from dashboard.ui.forms import form_page, posted
from dashboard.ui.lists import Column, Filter, ListSpec, list_context, page_or_first
from dashboard.ui.rows import found_or_none, live_list_context, live_row
from dashboard.ui.validators import metadata_text

from . import forms

BOOTABLE = (("true", gettext_lazy("Bootable")), ("false", gettext_lazy("Not bootable")))

LIST = ListSpec(
    url_name="volumes:list",
    sorts=tuple(volumes.SORT_KEYS),
    default_sort="created",
    filters=(
        Filter("name", gettext_lazy("Name")),
        Filter(
            "status",
            gettext_lazy("Status"),
            choices=tuple((s, volumes.status_words(s)) for s in volumes.STATUSES),
            any_label=gettext_lazy("Any"),
            clean=str.lower,
        ),
        Filter("bootable", gettext_lazy("Bootable"), choices=BOOTABLE, any_label=gettext_lazy("Any")),
    ),
)
COLUMNS = [
    Column(gettext_lazy("Name"), "name", first_direction="asc"),
    Column(gettext_lazy("Size"), "size"),
    Column(gettext_lazy("Status"), "status"),
    Column(gettext_lazy("Type")),
    Column(gettext_lazy("Bootable")),
    Column(gettext_lazy("Encrypted")),
    Column(gettext_lazy("Attached to")),
    Column(gettext_lazy("Zone")),
    Column(gettext_lazy("Age"), "created", inverted=True),
    Column(gettext_lazy("Actions"), css="text-end"),
]


def _list_url() -> str:
    return reverse("volumes:list")


def _detail_url(volume_id: str) -> str:
    return reverse("volumes:detail", args=[volume_id])


def _not_found(request, what: str = "volume"):
    return render(request, "volumes/not_found.html", {"what": what}, status=404)


def _row_context(vol: volumes.Volume, back: str) -> dict:
    return {"vol": vol, "actions": volumes.offered(vol), "back": back}


# --- the list -----------------------------------------------------------------------------------


@require_GET
def volume_list(request):
    params = LIST.params(request)
    conn = connection(request)
    page = page_or_first(request, LIST, params, lambda: volumes.list_volumes(conn, params))
    if isinstance(page, HttpResponse):
        return page
    context = live_list_context(request, LIST, params, page, COLUMNS, row=_row_context, row_url="volumes:row")
    context.update(bulk_actions=[volumes.ACTIONS[name] for name in volumes.BULK])
    return render(request, "volumes/list.html", context)


@require_GET
def volume_row(request, volume_id: str):
    """One row of the list (for live updates): the <tr> only, or an empty 404 when it is gone."""
    vol = found_or_none(lambda: volumes.volume_detail(connection(request), volume_id))
    return live_row(request, vol, "volumes/_row.html", _row_context, list_url=_list_url())


@require_POST
def bulk_action(request):
    conn = connection(request)
    return run_bulk(
        request,
        volumes.ACTIONS,
        volumes.BULK,
        lambda volume_id, action: volumes.delete_volume(conn, volume_id),
        noun=(_("volume"), _("volumes")),
        back=next_url(request, _list_url()),
    )


# --- one volume ---------------------------------------------------------------------------------


def _volume_or_none(conn, volume_id: str) -> volumes.Volume | None:
    return found_or_none(lambda: volumes.volume_detail(conn, volume_id))


@require_GET
def volume_detail(request, volume_id: str):
    conn = connection(request)
    vol = _volume_or_none(conn, volume_id)
    if vol is None:
        return _not_found(request)
    allowed = volumes.allowed_actions(vol.status, bool(vol.attachments), vol.multiattach)
    return render(
        request,
        "volumes/detail.html",
        {
            "vol": vol,
            "actions": volumes.offered(vol),
            "can_detach": "detach" in allowed,
            "back": _detail_url(vol.id),
        },
    )


@require_POST
def volume_action(request, volume_id: str, action: str):
    """The actions without a form: detach, revert, delete."""
    spec = volumes.ACTIONS.get(action)
    if spec is None or spec.form:
        raise Http404
    conn = connection(request)
    back = next_url(request, _detail_url(volume_id))
    if action == "delete" and back.startswith(_detail_url(volume_id)):
        back = _list_url()

    def perform():
        if action == "detach":
            volumes.detach_from_instance(conn, volume_id, request.POST.get("server_id", ""))
        elif action == "revert":
            volumes.revert_to_latest_snapshot(conn, volume_id)
        elif action == "delete":
            volumes.delete_volume(conn, volume_id)

    return run_action(
        request,
        spec,
        perform,
        subject=request.POST.get("name", "")[:255] or volume_id,
        back=back,
        failed_back=next_url(request, _detail_url(volume_id)),
        gone=None if spec.target else (lambda: _not_found(request)),
    )


# --- create -------------------------------------------------------------------------------------


def _create_choices(conn, project_id: str) -> dict:
    """What the create form offers, read at once (the parts a page can do without are optional)."""
    calls = {
        "images": lambda: images.active_images(conn, project_id),
        "snapshots": lambda: volumes.available_snapshots(conn),
        "volumes": lambda: [v for v in volumes.project_volumes(conn) if v.status in ("available", "in-use")],
        "backups": lambda: volumes.available_backups(conn),
        "types": lambda: volumes.volume_types(conn),
        "zones": lambda: volumes.availability_zones(conn),
        "limits": lambda: volumes.volume_limits(conn, project_id),
    }
    found = concurrently(calls, optional=tuple(calls))
    missing = [name for name, value in found.items() if isinstance(value, CloudError)]
    for name in missing:
        found[name] = {} if name == "limits" else []
    return {**found, "missing": missing}


def quota_rows(limits: dict[str, volumes.Limit]) -> list[dict]:
    labels = {"volumes": _("Volumes"), "gigabytes": _("Volume storage (GiB)"), "snapshots": _("Snapshots")}
    rows = []
    for key, label in labels.items():
        limit = limits.get(key)
        if limit is not None:
            rows.append({"label": label, "used": limit.in_use, "limit": limit.limit, "left": limit.left})
    for key, limit in sorted(limits.items()):
        if key.startswith(("volumes_", "gigabytes_")) and limit.limit >= 0:
            kind, _sep, type_name = key.partition("_")
            label = _("Volumes of type %(type)s") if kind == "volumes" else _("GiB of type %(type)s")
            rows.append(
                {"label": label % {"type": type_name}, "used": limit.in_use, "limit": limit.limit, "left": limit.left}
            )
    return rows


@require_http_methods(["GET", "POST"])
def volume_create(request):
    conn = connection(request)
    choices = _create_choices(conn, request.keystone.project_id)
    initial = {}
    for source in ("image", "snapshot", "volume", "backup"):
        chosen = request.GET.get(source, "")
        if chosen and forms.ID.match(chosen):
            initial.update(source=source, **{source: chosen})
    form = forms.CreateVolumeForm(
        posted(request),
        initial=initial,
        images=choices["images"],
        snapshots=choices["snapshots"],
        volumes=choices["volumes"],
        backups=choices["backups"],
        types=choices["types"],
        zones=choices["zones"],
    )

    def perform(cd):
        source = cd["source"]
        problem = volumes.quota_problem(choices["limits"], cd["size"], cd.get("volume_type") or "")
        if problem:
            raise CloudError("quota", problem)
        new = volumes.NewVolume(
            name=cd["name"],
            size=cd["size"],
            description=cd.get("description") or "",
            volume_type=cd.get("volume_type") or "",
            availability_zone=cd.get("availability_zone") or "",
            metadata=cd.get("metadata") or {},
            image_id=cd["image"] if source == "image" else "",
            snapshot_id=cd["snapshot"] if source == "snapshot" else "",
            source_volid=cd["volume"] if source == "volume" else "",
            backup_id=cd["backup"] if source == "backup" else "",
        )
        volume_id = volumes.create_volume(conn, new)
        return _("Volume “%(name)s” is being created.") % {"name": cd["name"]}, volume_id

    return form_page(
        request,
        form,
        perform,
        success_url=_detail_url,
        field_for=lambda err: "size" if err.kind == "quota" else None,
        context={
            "title": _("Create volume"),
            "icon": "plus-lg",
            "crumbs": [(_("Volumes"), _list_url())],
            "cancel_url": _list_url(),
            "aside": "volumes/_quota.html",
            "quota": quota_rows(choices["limits"]),
            "missing": choices["missing"],
        },
    )


# --- the actions with a form --------------------------------------------------------------------


def _load(conn, volume_id: str, **extra):
    """The volume and what its form needs, read at once; None when the volume is not there."""
    found = found_or_none(lambda: concurrently({"volume": lambda: volumes.volume_detail(conn, volume_id), **extra}))
    return None if found is None else (found.pop("volume"), found)


def _action_page(request, vol: volumes.Volume, action: str, form, perform, success_url: str = ""):
    spec = volumes.ACTIONS[action]
    allowed = volumes.allowed_actions(vol.status, bool(vol.attachments), vol.multiattach)
    name = vol.name or vol.id
    warning = ""
    if action not in allowed:
        warning = _("The volume is %(status)s: Cinder will probably refuse this now.") % {
            "status": vol.status_words.lower()
        }
    return form_page(
        request,
        form,
        perform,
        success_url=success_url or _detail_url(vol.id),
        context={
            "title": f"{spec.label}: {name}",
            "icon": spec.icon,
            "crumbs": [(_("Volumes"), _list_url()), (name, _detail_url(vol.id))],
            "cancel_url": _detail_url(vol.id),
            "warning": warning,
        },
    )


def _simple_form_view(action: str, build, do):
    """A volume action whose form needs nothing but the volume: `build(request, vol)` makes the
    form, `do(conn, vol, cleaned_data)` calls Cinder and returns the success message."""

    @require_http_methods(["GET", "POST"])
    def view(request, volume_id: str):
        conn = connection(request)
        loaded = _load(conn, volume_id)
        if loaded is None:
            return _not_found(request)
        vol, _found = loaded
        return _action_page(request, vol, action, build(request, vol), lambda cd: do(conn, vol, cd))

    view.__name__ = action
    return view


def _edit(conn, vol, cd):
    volumes.update_volume(conn, vol.id, cd["name"], cd["description"])
    return _("Volume saved.")


def _extend(conn, vol, cd):
    volumes.extend_volume(conn, vol.id, cd["new_size"])
    return _("Extending to %(size)s GiB.") % {"size": cd["new_size"]}


def _bootable(conn, vol, cd):
    volumes.set_bootable(conn, vol.id, cd["bootable"])
    return _("The volume is now bootable.") if cd["bootable"] else _("The volume is no longer bootable.")


def _snapshot(conn, vol, cd):
    volumes.create_snapshot(conn, vol.id, cd["name"], cd["description"], force=cd["force"])
    return _("Snapshot “%(name)s” is being created.") % {"name": cd["name"]}


def _upload(conn, vol, cd):
    volumes.upload_to_image(conn, vol.id, cd["image_name"], cd["disk_format"], cd["force"])
    return _("Uploading to image “%(name)s”.") % {"name": cd["image_name"]}


def _metadata(conn, vol, cd):
    volumes.set_metadata(conn, vol.id, cd["metadata"])
    return _("Metadata saved.")


edit = _simple_form_view(
    "edit",
    lambda request, vol: forms.EditForm(posted(request), initial={"name": vol.name, "description": vol.description}),
    _edit,
)
extend = _simple_form_view(
    "extend",
    lambda request, vol: forms.ExtendForm(posted(request), current=vol.size, initial={"new_size": vol.size + 1}),
    _extend,
)
bootable = _simple_form_view(
    "bootable", lambda request, vol: forms.BootableForm(posted(request), initial={"bootable": vol.bootable}), _bootable
)
snapshot = _simple_form_view(
    "snapshot",
    lambda request, vol: forms.SnapshotForm(
        posted(request), initial={"name": f"{vol.name or vol.id}-snapshot", "force": vol.status == "in-use"}
    ),
    _snapshot,
)
upload = _simple_form_view(
    "upload",
    lambda request, vol: forms.UploadForm(
        posted(request), initial={"image_name": vol.name or vol.id, "force": vol.status == "in-use"}
    ),
    _upload,
)
metadata = _simple_form_view(
    "metadata",
    lambda request, vol: forms.MetadataForm(posted(request), initial={"metadata": metadata_text(vol.metadata)}),
    _metadata,
)


@require_http_methods(["GET", "POST"])
def attach(request, volume_id: str):
    conn = connection(request)
    loaded = _load(conn, volume_id, servers=lambda: volumes.server_names(conn))
    if loaded is None:
        return _not_found(request)
    vol, data = loaded
    attached = {a.server_id for a in vol.attachments}
    servers = {sid: name for sid, name in data["servers"].items() if sid not in attached}
    form = forms.AttachForm(posted(request), servers=servers)

    def perform(cd):
        device = volumes.attach_to_instance(conn, vol.id, cd["server"])
        name = servers.get(cd["server"]) or cd["server"]
        return _("Attaching to %(server)s as %(device)s.") % {"server": name, "device": device or "?"}

    return _action_page(request, vol, "attach", form, perform)


@require_http_methods(["GET", "POST"])
def retype(request, volume_id: str):
    conn = connection(request)
    loaded = _load(conn, volume_id, types=lambda: volumes.volume_types(conn))
    if loaded is None:
        return _not_found(request)
    vol, data = loaded
    form = forms.RetypeForm(posted(request), types=data["types"], current=vol.volume_type)

    def perform(cd):
        volumes.retype_volume(conn, vol.id, cd["volume_type"], cd["migrate"])
        return _("Changing the type to %(type)s.") % {"type": cd["volume_type"]}

    return _action_page(request, vol, "retype", form, perform)


@require_http_methods(["GET", "POST"])
def backup(request, volume_id: str):
    conn = connection(request)
    loaded = _load(conn, volume_id, snapshots=lambda: volumes.available_snapshots(conn))
    if loaded is None:
        return _not_found(request)
    vol, data = loaded
    own = [s for s in data["snapshots"] if s.volume_id == vol.id]
    form = forms.BackupForm(
        posted(request),
        snapshots=own,
        initial={"name": f"{vol.name or vol.id}-backup", "force": vol.status == "in-use"},
    )

    def perform(cd):
        volumes.create_backup(
            conn,
            vol.id,
            cd["name"],
            cd["description"],
            incremental=cd["incremental"],
            force=cd["force"],
            snapshot_id=cd.get("snapshot") or "",
        )
        return _("Backup “%(name)s” is being created.") % {"name": cd["name"]}

    return _action_page(request, vol, "backup", form, perform, success_url=reverse("volumes:backups:list"))


@require_http_methods(["GET", "POST"])
def transfer(request, volume_id: str):
    """Create a transfer: its ID and authorisation key are shown once, on the answer page (never
    stored by Zenith)."""
    conn = connection(request)
    loaded = _load(conn, volume_id)
    if loaded is None:
        return _not_found(request)
    vol, _found = loaded
    form = forms.TransferForm(posted(request), initial={"name": vol.name or vol.id})
    created: list[volumes.Transfer] = []

    def perform(cd):
        created.append(volumes.create_transfer(conn, vol.id, cd["name"]))
        return ""

    response = _action_page(request, vol, "transfer", form, perform)
    if created:
        shown_once = render(request, "volumes/transfer_created.html", {"transfer": created[0], "vol": vol})
        shown_once["Cache-Control"] = "no-store"  # the key must not stay in a cache
        return shown_once
    return response


@require_GET
def launch(request, volume_id: str):
    """Launch an instance from this volume: the launch page with the volume as its source."""
    return HttpResponseRedirect(reverse("instances:launch") + "?" + urlencode({"volume": volume_id}))


FORM_VIEWS = {
    "edit": edit,
    "extend": extend,
    "attach": attach,
    "bootable": bootable,
    "retype": retype,
    "snapshot": snapshot,
    "backup": backup,
    "upload": upload,
    "transfer": transfer,
    "metadata": metadata,
    "launch": launch,
}


# --- snapshots ----------------------------------------------------------------------------------

SNAPSHOT_LIST = ListSpec(
    url_name="volumes:snapshots:list",
    sorts=tuple(volumes.SORT_KEYS),
    default_sort="created",
    filters=(Filter("name", gettext_lazy("Name")),),
)
SNAPSHOT_COLUMNS = [
    Column(gettext_lazy("Name"), "name", first_direction="asc"),
    Column(gettext_lazy("Size"), "size"),
    Column(gettext_lazy("Status"), "status"),
    Column(gettext_lazy("Volume")),
    Column(gettext_lazy("Age"), "created", inverted=True),
    Column(gettext_lazy("Actions"), css="text-end"),
]


@require_GET
def snapshot_list(request):
    params = SNAPSHOT_LIST.params(request)
    conn = connection(request)
    found = page_or_first(request, SNAPSHOT_LIST, params, lambda: volumes.list_snapshots(conn, params))
    if isinstance(found, HttpResponse):
        return found
    page, names = found
    context = list_context(request, SNAPSHOT_LIST, params, page, SNAPSHOT_COLUMNS)
    here = request.get_full_path()
    context.update(
        rows=[
            {"snap": s, "volume_name": names.get(s.volume_id, ""), "actions": volumes.snapshot_offered(s)}
            for s in page.items
        ],
        here=here,
    )
    return render(request, "volumes/snapshots.html", context)


def _snapshot_or_none(conn, snapshot_id: str):
    return found_or_none(lambda: volumes.snapshot_detail(conn, snapshot_id))


@require_GET
def snapshot_detail(request, snapshot_id: str):
    conn = connection(request)
    snap = _snapshot_or_none(conn, snapshot_id)
    if snap is None:
        return _not_found(request, "snapshot")
    return render(
        request,
        "volumes/snapshot_detail.html",
        {
            "snap": snap,
            "status_words": volumes.status_words(snap.status),
            "status_tone": volumes.status_tone(snap.status),
            "actions": volumes.snapshot_offered(snap),
            "back": reverse("volumes:snapshots:detail", args=[snap.id]),
        },
    )


@require_POST
def snapshot_action(request, snapshot_id: str, action: str):
    spec = volumes.SNAPSHOT_ACTIONS.get(action)
    if spec is None or spec.form:
        raise Http404
    conn = connection(request)
    own_page = reverse("volumes:snapshots:detail", args=[snapshot_id])
    back = next_url(request, own_page)
    if back.startswith(own_page):
        back = reverse("volumes:snapshots:list")
    return run_action(
        request,
        spec,
        lambda: volumes.delete_snapshot(conn, snapshot_id),
        subject=request.POST.get("name", "")[:255] or snapshot_id,
        back=back,
        failed_back=next_url(request, own_page),
        gone=lambda: _not_found(request, "snapshot"),
    )


@require_http_methods(["GET", "POST"])
def snapshot_edit(request, snapshot_id: str):
    conn = connection(request)
    snap = _snapshot_or_none(conn, snapshot_id)
    if snap is None:
        return _not_found(request, "snapshot")
    form = forms.EditForm(posted(request), initial={"name": snap.name, "description": snap.description})
    detail = reverse("volumes:snapshots:detail", args=[snap.id])

    def perform(cd):
        volumes.update_snapshot(conn, snap.id, cd["name"], cd["description"])
        return _("Snapshot saved.")

    return form_page(
        request,
        form,
        perform,
        success_url=detail,
        context={
            "title": _("Edit snapshot: %(name)s") % {"name": snap.name or snap.id},
            "icon": "pencil",
            "crumbs": [(_("Volume snapshots"), reverse("volumes:snapshots:list")), (snap.name or snap.id, detail)],
            "cancel_url": detail,
        },
    )


@require_GET
def snapshot_create_volume(request, snapshot_id: str):
    return HttpResponseRedirect(reverse("volumes:create") + "?" + urlencode({"snapshot": snapshot_id}))


@require_GET
def snapshot_launch(request, snapshot_id: str):
    return HttpResponseRedirect(reverse("instances:launch") + "?" + urlencode({"snapshot": snapshot_id}))


# --- backups ------------------------------------------------------------------------------------

BACKUP_LIST = ListSpec(
    url_name="volumes:backups:list",
    sorts=tuple(volumes.SORT_KEYS),
    default_sort="created",
    filters=(Filter("name", gettext_lazy("Name")),),
)
BACKUP_COLUMNS = [
    Column(gettext_lazy("Name"), "name", first_direction="asc"),
    Column(gettext_lazy("Size"), "size"),
    Column(gettext_lazy("Status"), "status"),
    Column(gettext_lazy("Kind")),
    Column(gettext_lazy("Volume")),
    Column(gettext_lazy("Age"), "created", inverted=True),
    Column(gettext_lazy("Actions"), css="text-end"),
]


@require_GET
def backup_list(request):
    params = BACKUP_LIST.params(request)
    conn = connection(request)
    found = page_or_first(request, BACKUP_LIST, params, lambda: volumes.list_backups(conn, params))
    if isinstance(found, HttpResponse):
        return found
    page, names = found
    context = list_context(request, BACKUP_LIST, params, page, BACKUP_COLUMNS)
    context.update(
        rows=[
            {"backup": b, "volume_name": names.get(b.volume_id, ""), "actions": volumes.backup_offered(b)}
            for b in page.items
        ],
        here=request.get_full_path(),
    )
    return render(request, "volumes/backups.html", context)


@require_POST
def backup_action(request, backup_id: str, action: str):
    spec = volumes.BACKUP_ACTIONS.get(action)
    if spec is None or spec.form:
        raise Http404
    conn = connection(request)
    back = next_url(request, reverse("volumes:backups:list"))
    return run_action(
        request,
        spec,
        lambda: volumes.delete_backup(conn, backup_id),
        subject=request.POST.get("name", "")[:255] or backup_id,
        back=back,
        gone=lambda: _not_found(request, "backup"),
    )


@require_http_methods(["GET", "POST"])
def backup_restore(request, backup_id: str):
    conn = connection(request)
    found = found_or_none(
        lambda: concurrently(
            {
                "backup": lambda: volumes.backup_detail(conn, backup_id),
                "volumes": lambda: volumes.available_volumes(conn),
            }
        )
    )
    if found is None:
        return _not_found(request, "backup")
    bk = found["backup"]
    fits = [v for v in found["volumes"] if v.size >= bk.size]
    form = forms.RestoreForm(posted(request), volumes=fits, initial={"name": f"{bk.name or bk.id}-restored"})

    def perform(cd):
        volume_id = volumes.restore_backup(conn, bk.id, volume_id=cd.get("volume") or "", name=cd.get("name") or "")
        return _("Restoring backup “%(name)s”.") % {"name": bk.name or bk.id}, volume_id

    return form_page(
        request,
        form,
        perform,
        success_url=lambda volume_id: _detail_url(volume_id) if volume_id else _list_url(),
        context={
            "title": _("Restore backup: %(name)s") % {"name": bk.name or bk.id},
            "icon": "cloud-arrow-down",
            "crumbs": [(_("Volume backups"), reverse("volumes:backups:list"))],
            "cancel_url": reverse("volumes:backups:list"),
        },
    )


# --- transfers ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def transfers(request):
    """The project's open transfers, and the form that accepts one given by another project."""
    conn = connection(request)
    form = forms.AcceptTransferForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            volume_id = volumes.accept_transfer(conn, form.cleaned_data["transfer_id"], form.cleaned_data["auth_key"])
        except CloudError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, _("Transfer accepted: the volume is now in this project."))
            return HttpResponseRedirect(_detail_url(volume_id) if volume_id else _list_url())
    found = concurrently(
        {"transfers": lambda: volumes.list_transfers(conn), "names": lambda: volumes.all_volume_names(conn)},
        optional=("names",),
    )
    names = found["names"] if isinstance(found["names"], dict) else {}
    return render(
        request,
        "volumes/transfers.html",
        {"transfers": volumes.volume_names(found["transfers"], names), "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def transfer_delete(request, transfer_id: str):
    conn = connection(request)
    spec = volumes.ACTIONS["delete"]
    return run_action(
        request,
        spec,
        lambda: volumes.delete_transfer(conn, transfer_id),
        subject=request.POST.get("name", "")[:255] or transfer_id,
        back=reverse("volumes:transfers"),
    )


# --- volume types -------------------------------------------------------------------------------


@require_GET
def types(request):
    """The volume types: members see those they may use with their descriptions; administrators
    also see extra specs, visibility and QoS specs (two calls at once)."""
    conn = connection(request)
    is_admin = request.keystone.is_admin
    calls = {"types": lambda: volumes.volume_types(conn)}
    if is_admin:
        calls["qos"] = lambda: volumes.qos_specs(conn)
    found = concurrently(calls, optional=("qos",))
    qos = found.get("qos")
    return render(
        request,
        "volumes/types.html",
        {
            "types": found["types"],
            "is_admin": is_admin,
            "qos": qos if isinstance(qos, list) else [],
            "qos_error": qos.message if isinstance(qos, CloudError) else "",
        },
    )
