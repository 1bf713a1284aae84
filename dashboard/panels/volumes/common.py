"""What the volumes panel's pages share: where they link to, the not-found page, volume names for
the snapshots' and backups' rows."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse


def list_url() -> str:
    return reverse("volumes:list")


def detail_url(volume_id: str) -> str:
    return reverse("volumes:detail", args=[volume_id])


def not_found(request, what: str = "volume"):
    return render(request, "volumes/not_found.html", {"what": what}, status=404)


def with_volume_names(fetch):
    """A list page whose cloud call also names the rows' volumes: (the page, {volume id: name})."""
    names: dict[str, str] = {}

    def page(params):
        found, named = fetch(params)
        names.update(named)
        return found

    return page, lambda row_obj: {"volume_name": names.get(row_obj.volume_id, "")}
