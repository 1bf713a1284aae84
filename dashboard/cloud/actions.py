"""What can be done to a resource: one `Action` per action, in a table shared by every page and the API.

Each resource keeps its table (`ACTIONS = catalogue(...)`) and the pure rules saying which its
state allows (`allowed_actions`, `offered`) in one module: `instance_actions` and `volume_actions`
beside the calls that do them, the others' in the resource's own module (`snapshots`, `backups`,
`images`, `networks`, `routers`, `floatingips`, `secgroups`, `containers`, `objects`). Every page
that shows the resource, and the API where it says what is allowed, offer the same ones.
`dashboard.ui.actions` runs one from a POST (or several: bulk) once the panel's view has checked
its name against the table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    icon: str
    confirm: str = ""  # question asked before a destructive action
    form: bool = False  # True: the action has its own page with a form (URL name = action name)
    danger: bool = False
    target: str = ""  # the POST field naming a second object (a volume to detach, ...), if any
    # what the user reads once it is asked: a whole sentence of the action's own, with %(subject)s
    done: str = ""
    bulk_confirm: str = ""  # the question before a bulk action ("Stop the selected instances?")
    bulk_done: str = ""  # ngettext_lazy(..., "count"): what a bulk action says it started


def catalogue(*actions: Action) -> dict[str, Action]:
    """Actions by name, in display order."""
    return {a.name: a for a in actions}
