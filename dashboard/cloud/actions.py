"""What can be done to a resource: one description per action, shared by every page and the API.

Each resource module (`instances`, later `volumes`, `images`, ...) keeps its table of actions and
the state rules that say which are allowed, beside the resource they describe, so every page
that shows the resource offers the same ones. `dashboard.ui.actions` runs them from a POST.
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

    @property
    def needs_target(self) -> bool:
        return bool(self.target)


def catalogue(*actions: Action) -> dict[str, Action]:
    """Actions by name, in display order."""
    return {a.name: a for a in actions}
