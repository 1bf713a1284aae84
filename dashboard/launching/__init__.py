"""Launching instances as the launch page and the JSON API both do it: the form's rules, the checks
against the cloud (source, flavor fit, quota) and following the new instance live.

The instances panel (`dashboard/panels/instances/launch.py`) draws the page around it; the API
(`dashboard/api/instances.py`) answers JSON from the same form's errors.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _

from dashboard.cloud.launch import LaunchContext, Launched, LaunchSpec, context_from_choices, get_launch_choices
from dashboard.cloud.launch_rules import (
    SOURCE_SNAPSHOT,
    Source,
    demand_of,
    flavor_fit_problem,
    quota_lines,
    volume_size_problem,
)
from dashboard.ui import humanize

from .forms import LaunchForm

log = logging.getLogger(__name__)


def form_source(form: LaunchForm, ctx: LaunchContext | None = None) -> Source:
    source = form.source()
    if ctx is not None and source.kind == SOURCE_SNAPSHOT and not source.volume_size:
        source.volume_size = ctx.needs.size_gib or None
    return source


def no_choices() -> dict:
    empty: dict = {name: [] for name in ("images", "volumes", "snapshots", "flavors", "networks", "ports")}
    empty.update(security_groups=[], keypairs=[], zones=[], server_groups=[])
    return empty


def checked_launch(
    conn, project_id: str, data, files=None, sees_every_project: bool = True
) -> tuple[LaunchForm, LaunchContext, LaunchSpec | None]:
    """The launch form bound to `data`, checked by its own rules and against the cloud (source,
    flavor fit, quota); with the LaunchSpec to launch when it has no error. The page and the JSON
    API (dashboard/api/instances.py) both launch through it. `sees_every_project`: the user is an
    administrator (see launch_choices)."""
    # the chosen source is read in the same round as the choices (it is only known from the input)
    source = LaunchForm(data, choices=no_choices()).source()
    choices = get_launch_choices(conn, project_id, source if source.id else None, sees_every_project=sees_every_project)
    form = LaunchForm(data, files, choices=choices)
    form.is_valid()
    source = form_source(form)
    ctx = context_from_choices(choices, source if source.id else None)
    source = form_source(form, ctx)
    check_against_cloud(form, ctx, source)
    if form.errors:
        return form, ctx, None
    spec = form.spec()
    spec.source = source
    return form, ctx, spec


def follow(project_id: str, server: Launched) -> None:
    """Have the live updates push the new instance's row as it goes BUILD → ACTIVE."""
    try:
        from dashboard.live.tasks import watch_instance

        watch_instance.delay(project_id, server.id)
    except Exception:  # noqa: BLE001 - without the worker the list's own polling still shows the row
        log.warning("could not start following instance %s", server.id, exc_info=True)


def check_against_cloud(form: LaunchForm, ctx: LaunchContext, source: Source) -> None:
    """The checks that need the cloud's state: the source exists, the flavor fits, the quota holds.

    They run on whatever part of the input is valid, so every problem is shown at once.
    """
    data = form.cleaned_data
    field = {"volume": "volume", "snapshot": "snapshot"}.get(source.kind, "image")
    if source.id and ctx.source_obj is None and field not in form.errors:
        form.add_error(
            field, _("The chosen %(field)s no longer exists or is not available to this project.") % {"field": field}
        )
    problem = volume_size_problem(source, ctx.needs) if ctx.source_obj is not None else None
    if problem and "volume_size" not in form.errors:
        form.add_error("volume_size", problem)
    flavor = ctx.flavor(data.get("flavor") or "")
    if data.get("flavor") and flavor is None:
        form.add_error("flavor", _("This flavor no longer exists; choose another."))
    reason = flavor_fit_problem(flavor, source, ctx.needs) if flavor and ctx.source_obj is not None else None
    if reason:
        form.add_error(
            "flavor",
            _("Flavor %(name)s cannot boot this source: %(reason)s.") % {"name": flavor.name, "reason": reason},
        )
    count = data.get("count")
    if not count:
        return
    demand = demand_of(count, flavor, source)
    over = [line for line in quota_lines(ctx.compute_limits, ctx.volume_limits, demand) if line.over]
    if over:
        form.add_error(
            None,
            _("Over quota, nothing was launched.") + " " + " ".join(line.refusal(humanize.size_in) for line in over),
        )
