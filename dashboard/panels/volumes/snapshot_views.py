"""Volume snapshots: their list (one Cinder page, the volumes named in one listing), one snapshot's
page, edit, delete, and a volume or an instance made from one."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard.cloud import (
    connection,
    snapshots,
    volumes,
)
from dashboard.ui.actions import next_url, run_action
from dashboard.ui.forms import form_page, posted
from dashboard.ui.rows import found_or_none, list_page, live_row

from . import forms
from .common import not_found, with_volume_names
from .lists import SNAPSHOTS

# --- snapshots ----------------------------------------------------------------------------------


@require_GET
def snapshot_list(request):
    conn = connection(request)
    fetch, volume_name = with_volume_names(lambda params: snapshots.list_snapshots(conn, params))
    return list_page(request, SNAPSHOTS, fetch, row_extra=volume_name)


@require_GET
def snapshot_row(request, snapshot_id: str):
    """One row of the list (for live updates): the snapshot and the volume names at once (two
    Cinder calls); an empty 404 when it is gone."""
    conn = connection(request)
    found = found_or_none(lambda: volumes.with_volume_names(conn, lambda: snapshots.get_snapshot(conn, snapshot_id)))
    snap, names = found or (None, {})
    return live_row(request, SNAPSHOTS, snap, extra=lambda s: {"volume_name": names.get(s.volume_id, "")})


def _snapshot_or_none(conn, snapshot_id: str):
    return found_or_none(lambda: snapshots.get_snapshot(conn, snapshot_id))


@require_GET
def snapshot_detail(request, snapshot_id: str):
    conn = connection(request)
    snap = _snapshot_or_none(conn, snapshot_id)
    if snap is None:
        return not_found(request, "snapshot")
    return render(
        request,
        "volumes/snapshot_detail.html",
        {
            "snap": snap,
            "status_words": snap.status_words,
            "status_tone": snap.status_tone,
            "actions": snapshots.offered(snap),
            "back": reverse("volumes:snapshots:detail", args=[snap.id]),
        },
    )


@require_POST
def snapshot_action(request, snapshot_id: str, action: str):
    spec = snapshots.ACTIONS.get(action)
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
        lambda: snapshots.delete_snapshot(conn, snapshot_id),
        subject=request.POST.get("name", "")[:255] or snapshot_id,
        back=back,
        failed_back=next_url(request, own_page),
        gone=lambda: not_found(request, "snapshot"),
    )


@require_http_methods(["GET", "POST"])
def snapshot_edit(request, snapshot_id: str):
    conn = connection(request)
    snap = _snapshot_or_none(conn, snapshot_id)
    if snap is None:
        return not_found(request, "snapshot")
    form = forms.EditForm(posted(request), initial={"name": snap.name, "description": snap.description})
    detail = reverse("volumes:snapshots:detail", args=[snap.id])

    def perform(cd):
        snapshots.update_snapshot(conn, snap.id, cd["name"], cd["description"])
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
