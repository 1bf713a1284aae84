"""Volume backups: their list (one Cinder page, the volumes named in one listing), delete, and a
restore into a new or an existing volume."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard.cloud import (
    backups,
    concurrently,
    connection,
    volumes,
)
from dashboard.ui.actions import next_url, run_action
from dashboard.ui.forms import form_page, posted
from dashboard.ui.rows import found_or_none, list_page, live_row

from . import forms
from .common import detail_url, list_url, not_found, with_volume_names
from .lists import BACKUPS

# --- backups ------------------------------------------------------------------------------------


@require_GET
def backup_list(request):
    conn = connection(request)
    fetch, volume_name = with_volume_names(lambda params: backups.list_backups(conn, params))
    return list_page(request, BACKUPS, fetch, row_extra=volume_name)


@require_GET
def backup_row(request, backup_id: str):
    """One row of the list (for live updates): the backup and the volume names at once (two Cinder
    calls); an empty 404 when it is gone."""
    conn = connection(request)
    found = found_or_none(lambda: volumes.with_volume_names(conn, lambda: backups.get_backup(conn, backup_id)))
    backup, names = found or (None, {})
    return live_row(request, BACKUPS, backup, extra=lambda b: {"volume_name": names.get(b.volume_id, "")})


@require_POST
def backup_action(request, backup_id: str, action: str):
    spec = backups.ACTIONS.get(action)
    if spec is None or spec.form:
        raise Http404
    conn = connection(request)
    back = next_url(request, reverse("volumes:backups:list"))
    return run_action(
        request,
        spec,
        lambda: backups.delete_backup(conn, backup_id),
        subject=request.POST.get("name", "")[:255] or backup_id,
        back=back,
        gone=lambda: not_found(request, "backup"),
    )


@require_http_methods(["GET", "POST"])
def backup_restore(request, backup_id: str):
    conn = connection(request)
    found = found_or_none(
        lambda: concurrently(
            {
                "backup": lambda: backups.get_backup(conn, backup_id),
                "volumes": lambda: volumes.list_available_volumes(conn),
            }
        )
    )
    if found is None:
        return not_found(request, "backup")
    bk = found["backup"]
    fits = [v for v in found["volumes"] if v.size >= bk.size]
    form = forms.RestoreForm(posted(request), volumes=fits, initial={"name": f"{bk.name or bk.id}-restored"})

    def perform(cd):
        volume_id = backups.restore_backup(conn, bk.id, volume_id=cd.get("volume") or "", name=cd.get("name") or "")
        return _("Restoring backup “%(name)s”.") % {"name": bk.name or bk.id}, volume_id

    return form_page(
        request,
        form,
        perform,
        success_url=lambda volume_id: detail_url(volume_id) if volume_id else list_url(),
        context={
            "title": _("Restore backup: %(name)s") % {"name": bk.name or bk.id},
            "icon": "cloud-arrow-down",
            "crumbs": [(_("Volume backups"), reverse("volumes:backups:list"))],
            "cancel_url": reverse("volumes:backups:list"),
        },
    )
