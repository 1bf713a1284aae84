"""A volume's actions that ask for input, each its own page: edit, extend, bootable, snapshot,
upload to an image, metadata, attach, retype, backup, transfer (FORM_VIEWS, by action name)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dashboard.cloud import (
    backups,
    concurrently,
    connection,
    instance_actions,
    instances,
    snapshots,
    volume_actions,
    volume_types,
    volumes,
)
from dashboard.cloud import transfers as volume_transfers  # the page listing them is `transfers`
from dashboard.ui.forms import form_page, posted
from dashboard.ui.rows import found_or_none
from dashboard.ui.validators import metadata_text

from . import forms
from .common import detail_url, list_url, not_found

# --- the actions with a form --------------------------------------------------------------------


def _load(conn, volume_id: str, **extra):
    """The volume and what its form needs, read at once; None when the volume is not there."""
    found = found_or_none(
        lambda: concurrently({"volume": lambda: volumes.get_volume_with_names(conn, volume_id), **extra})
    )
    return None if found is None else (found.pop("volume"), found)


def _action_page(request, vol: volumes.Volume, action: str, form, perform, success_url: str = ""):
    spec = volume_actions.ACTIONS[action]
    allowed = volume_actions.allowed_actions(vol.status, bool(vol.attachments), vol.multiattach)
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
        success_url=success_url or detail_url(vol.id),
        context={
            "title": _("%(action)s: %(name)s") % {"action": spec.label, "name": name},  # "Étendre : vol" in French
            "icon": spec.icon,
            "crumbs": [(_("Volumes"), list_url()), (name, detail_url(vol.id))],
            "cancel_url": detail_url(vol.id),
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
            return not_found(request)
        vol, _found = loaded
        return _action_page(request, vol, action, build(request, vol), lambda cd: do(conn, vol, cd))

    view.__name__ = action
    return view


def _edit(conn, vol, cd):
    volumes.update_volume(conn, vol.id, cd["name"], cd["description"])
    return _("Volume saved.")


def _extend(conn, vol, cd):
    volume_actions.extend_volume(conn, vol.id, cd["new_size"])
    return _("Extending to %(size)s GiB.") % {"size": cd["new_size"]}


def _bootable(conn, vol, cd):
    volume_actions.set_volume_bootable(conn, vol.id, cd["bootable"])
    return _("The volume is now bootable.") if cd["bootable"] else _("The volume is no longer bootable.")


def _snapshot(conn, vol, cd):
    snapshots.create_snapshot(conn, vol.id, cd["name"], cd["description"], force=cd["force"])
    return _("Snapshot “%(name)s” is being created.") % {"name": cd["name"]}


def _upload(conn, vol, cd):
    volume_actions.upload_volume_to_image(conn, vol.id, cd["image_name"], cd["disk_format"], cd["force"])
    return _("Uploading to image “%(name)s”.") % {"name": cd["image_name"]}


def _metadata(conn, vol, cd):
    volume_actions.set_volume_metadata(conn, vol.id, cd["metadata"])
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
    loaded = _load(conn, volume_id, servers=lambda: instances.list_server_names(conn))
    if loaded is None:
        return not_found(request)
    vol, data = loaded
    attached = {a.server_id for a in vol.attachments}
    servers = {sid: name for sid, name in data["servers"].items() if sid not in attached}
    form = forms.AttachForm(posted(request), servers=servers)

    def perform(cd):
        device = instance_actions.attach_volume(conn, cd["server"], vol.id)
        name = servers.get(cd["server"]) or cd["server"]
        return _("Attaching to %(server)s as %(device)s.") % {"server": name, "device": device or "?"}

    return _action_page(request, vol, "attach", form, perform)


@require_http_methods(["GET", "POST"])
def retype(request, volume_id: str):
    conn = connection(request)
    loaded = _load(conn, volume_id, types=lambda: volume_types.list_volume_types(conn))
    if loaded is None:
        return not_found(request)
    vol, data = loaded
    form = forms.RetypeForm(posted(request), types=data["types"], current=vol.volume_type)

    def perform(cd):
        volume_actions.retype_volume(conn, vol.id, cd["volume_type"], cd["migrate"])
        return _("Changing the type to %(type)s.") % {"type": cd["volume_type"]}

    return _action_page(request, vol, "retype", form, perform)


@require_http_methods(["GET", "POST"])
def backup(request, volume_id: str):
    conn = connection(request)
    loaded = _load(conn, volume_id, snapshots=lambda: snapshots.list_available_snapshots(conn))
    if loaded is None:
        return not_found(request)
    vol, data = loaded
    own = [s for s in data["snapshots"] if s.volume_id == vol.id]
    form = forms.BackupForm(
        posted(request),
        snapshots=own,
        initial={"name": f"{vol.name or vol.id}-backup", "force": vol.status == "in-use"},
    )

    def perform(cd):
        backups.create_backup(
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
        return not_found(request)
    vol, _found = loaded
    form = forms.TransferForm(posted(request), initial={"name": vol.name or vol.id})
    created: list[volume_transfers.Transfer] = []

    def perform(cd):
        created.append(volume_transfers.create_transfer(conn, vol.id, cd["name"]))
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
