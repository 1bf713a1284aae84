"""The topology page: an SVG drawn by the server, re-fetched (htmx) when the live pollers of
networks, routers or ports report a change for the project."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from dashboard.cloud import connection, topology

from .common import project_id


def _context(request) -> dict:
    return {"topo": topology.get_project_topology(connection(request), project_id(request))}


@require_GET
def topology_page(request):
    return render(request, "network/topology.html", _context(request))


@require_GET
def topology_svg(request):
    """The picture alone (htmx swaps it in place)."""
    return render(request, "network/_topology_svg.html", _context(request))
