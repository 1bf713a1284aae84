"""Volumes (Cinder): the list, one volume's page, its actions without a form, and creating one.

Which actions a volume's state allows, and their labels, come from `dashboard.cloud.volume_actions`
(`ACTIONS`, `allowed_actions`); lists, forms and action POSTs use the panel kit in `dashboard.ui`.
The list is one Cinder page plus one Nova listing of names, made at once, whatever the number of
rows. The actions with a form are in action_views, snapshots, backups, transfers and types in
their own modules."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard.cloud import (
    CloudError,
    backups,
    concurrently,
    connection,
    images,
    instance_actions,
    snapshots,
    volume_actions,
    volume_types,
    volumes,
)
from dashboard.ui.actions import next_url, run_action, run_bulk
from dashboard.ui.forms import form_page, posted
from dashboard.ui.rows import found_or_none, list_page, live_row

from . import forms
from .common import detail_url, list_url, not_found
from .lists import VOLUMES

# --- the list -----------------------------------------------------------------------------------


@require_GET
def volume_list(request):
    conn = connection(request)
    return list_page(
        request,
        VOLUMES,
        lambda params: volumes.list_volumes(conn, params),
        context={"bulk_actions": [volume_actions.ACTIONS[name] for name in volume_actions.BULK]},
    )


@require_GET
def volume_row(request, volume_id: str):
    """One row of the list (for live updates): the <tr> only, or an empty 404 when it is gone."""
    vol = found_or_none(lambda: volumes.get_volume_with_names(connection(request), volume_id))
    return live_row(request, VOLUMES, vol)


@require_POST
def bulk_action(request):
    conn = connection(request)
    return run_bulk(
        request,
        volume_actions.ACTIONS,
        volume_actions.BULK,
        lambda volume_id, action: volumes.delete_volume(conn, volume_id),
        noun=(_("volume"), _("volumes")),
        back=next_url(request, list_url()),
    )


# --- one volume ---------------------------------------------------------------------------------


def _volume_or_none(conn, volume_id: str) -> volumes.Volume | None:
    return found_or_none(lambda: volumes.get_volume_with_names(conn, volume_id))


@require_GET
def volume_detail(request, volume_id: str):
    conn = connection(request)
    vol = _volume_or_none(conn, volume_id)
    if vol is None:
        return not_found(request)
    allowed = volume_actions.allowed_actions(vol.status, bool(vol.attachments), vol.multiattach)
    return render(
        request,
        "volumes/detail.html",
        {
            "vol": vol,
            "actions": volume_actions.offered(vol),
            "can_detach": "detach" in allowed,
            "back": detail_url(vol.id),
        },
    )


@require_POST
def volume_action(request, volume_id: str, action: str):
    """The actions without a form: detach, revert, delete."""
    spec = volume_actions.ACTIONS.get(action)
    if spec is None or spec.form:
        raise Http404
    conn = connection(request)
    back = next_url(request, detail_url(volume_id))
    if action == "delete" and back.startswith(detail_url(volume_id)):
        back = list_url()

    def perform():
        if action == "detach":
            instance_actions.detach_volume(conn, request.POST.get("server_id", ""), volume_id)
        elif action == "revert":
            volume_actions.revert_to_latest_snapshot(conn, volume_id)
        elif action == "delete":
            volumes.delete_volume(conn, volume_id)

    return run_action(
        request,
        spec,
        perform,
        subject=request.POST.get("name", "")[:255] or volume_id,
        back=back,
        failed_back=next_url(request, detail_url(volume_id)),
        gone=None if spec.target else (lambda: not_found(request)),
    )


# --- create -------------------------------------------------------------------------------------


def _create_choices(conn, project_id: str) -> dict:
    """What the create form offers, read at once (the parts a page can do without are optional)."""
    calls = {
        "images": lambda: images.list_active_images(conn, project_id),
        "snapshots": lambda: snapshots.list_available_snapshots(conn),
        "volumes": lambda: [v for v in volumes.list_all_volumes(conn) if v.status in ("available", "in-use")],
        "backups": lambda: backups.list_available_backups(conn),
        "types": lambda: volume_types.list_volume_types(conn),
        "zones": lambda: volume_types.list_availability_zones(conn),
        "limits": lambda: volume_types.get_volume_quota_set(conn, project_id),
    }
    found = concurrently(calls, optional=tuple(calls))
    missing = [name for name, value in found.items() if isinstance(value, CloudError)]
    for name in missing:
        found[name] = {} if name == "limits" else []
    return {**found, "missing": missing}


def quota_rows(limits: dict[str, volume_types.Limit]) -> list[dict]:
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
        problem = volume_types.quota_problem(choices["limits"], cd["size"], cd.get("volume_type") or "")
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
        success_url=detail_url,
        field_for=lambda err: "size" if err.kind == "quota" else None,
        context={
            "title": _("Create volume"),
            "icon": "plus-lg",
            "crumbs": [(_("Volumes"), list_url())],
            "cancel_url": list_url(),
            "aside": "volumes/_quota.html",
            "quota": quota_rows(choices["limits"]),
            "missing": choices["missing"],
        },
    )
