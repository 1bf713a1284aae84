"""Volume transfers (offer a volume to another project, accept one with its key) and the volume types
page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard.cloud import (
    CloudError,
    concurrently,
    connection,
    volume_actions,
    volume_types,
    volumes,
)
from dashboard.cloud import transfers as volume_transfers  # the page listing them is `transfers`
from dashboard.ui.actions import run_action
from dashboard.ui.forms import posted

from . import forms
from .common import detail_url, list_url

# --- transfers ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def transfers(request):
    """The project's open transfers, and the form that accepts one given by another project."""
    conn = connection(request)
    form = forms.AcceptTransferForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            volume_id = volume_transfers.accept_transfer(
                conn, form.cleaned_data["transfer_id"], form.cleaned_data["auth_key"]
            )
        except CloudError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, _("Transfer accepted: the volume is now in this project."))
            return HttpResponseRedirect(detail_url(volume_id) if volume_id else list_url())
    found = concurrently(
        {"transfers": lambda: volume_transfers.list_transfers(conn), "names": lambda: volumes.list_volume_names(conn)},
        optional=("names",),
    )
    names = found["names"] if isinstance(found["names"], dict) else {}
    return render(
        request,
        "volumes/transfers.html",
        {"transfers": volumes.rows_with_volume_names(found["transfers"], names), "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def transfer_delete(request, transfer_id: str):
    conn = connection(request)
    spec = volume_actions.ACTIONS["delete"]
    return run_action(
        request,
        spec,
        lambda: volume_transfers.delete_transfer(conn, transfer_id),
        subject=request.POST.get("name", "")[:255] or transfer_id,
        back=reverse("volumes:transfers"),
        done=_("The transfer “%(subject)s” was cancelled."),
    )


# --- volume types -------------------------------------------------------------------------------


@require_GET
def types(request):
    """The volume types: members see those they may use with their descriptions; administrators
    also see extra specs, visibility and QoS specs (two calls at once)."""
    conn = connection(request)
    is_admin = request.keystone.is_admin
    calls = {"types": lambda: volume_types.list_volume_types(conn)}
    if is_admin:
        calls["qos"] = lambda: volume_types.list_qos_specs(conn)
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
