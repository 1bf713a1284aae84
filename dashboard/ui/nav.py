"""The sidebar: each panel declares its entries (`nav` on its AppConfig), each in a group; this
collects them into the groups, in the order and under the names of GROUPS.

    class InstancesConfig(AppConfig):
        nav = (NavEntry(_("Instances"), "instances:list", "pc-display", group="compute", order=20),)

The groups are the services as users of other OpenStack dashboards know them (Compute, Volumes,
Network, ...); a group without entries is not shown. The admin-only groups (Admin, Identity) show to
cloud administrators only. A user folds a group and the sidebar remembers it in a cookie the server
reads (FOLDED_COOKIE, written by static/zenith/zenith.js), so the page is printed folded as they
left it, with no flash; the current page's group is always open.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.apps import apps
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

# the groups a user folded, as their keys joined with "." (static/zenith/zenith.js writes it)
FOLDED_COOKIE = "zenith_nav_folded"


@dataclass(frozen=True)
class NavGroup:
    key: str  # its word in the page (nav-<key>) and in FOLDED_COOKIE: letters and "-"
    label: str
    icon: str
    admin: bool = False  # shown to cloud administrators only


# every group, in the sidebar's order; a panel names its group by key
GROUPS = (
    NavGroup("compute", _("Compute"), "cpu"),
    NavGroup("volumes", _("Volumes"), "hdd-stack"),
    NavGroup("network", _("Network"), "diagram-3"),
    NavGroup("object-store", _("Object Store"), "archive"),
    NavGroup("orchestration", _("Orchestration"), "stack"),
    NavGroup("load-balancers", _("Load balancers"), "distribute-vertical"),
    NavGroup("dns", _("DNS"), "signpost-split"),
    NavGroup("admin", _("Admin"), "speedometer", admin=True),
    NavGroup("identity", _("Identity"), "person-badge", admin=True),
)
GROUP_KEYS = frozenset(g.key for g in GROUPS)


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    icon: str
    group: str = "compute"  # a key of GROUPS
    order: int = 50

    def __post_init__(self):
        if self.group not in GROUP_KEYS:
            raise ValueError(f"NavEntry {self.url_name}: no navigation group {self.group!r} (see GROUPS)")

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class ShownGroup:
    """A group as the sidebar prints it: its entries as (label, url, icon), in order."""

    group: NavGroup
    entries: tuple[tuple[str, str, str], ...]

    @property
    def urls(self) -> frozenset[str]:
        return frozenset(url for _label, url, _icon in self.entries)


def groups(admin: bool) -> tuple[ShownGroup, ...]:
    """The groups a user sees, with their entries: the admin-only ones to an administrator only."""
    return tuple(g for g in _groups(get_script_prefix()) if admin or not g.group.admin)


def urls() -> tuple[str, ...]:
    """Every entry's URL, of every group."""
    return tuple(url for g in _groups(get_script_prefix()) for url in g.urls)


def folded(cookie: str | None) -> frozenset[str]:
    """The groups the user folded, from FOLDED_COOKIE's value: only known keys (it comes from the
    browser), so the sidebar is printed in one of a few known states."""
    return frozenset((cookie or "").split(".")) & GROUP_KEYS


# kept per process (docs/caches.md): the apps and URLs do not change while it runs
@functools.cache
def _groups(_prefix: str) -> tuple[ShownGroup, ...]:
    found = [e for app in apps.get_app_configs() for e in getattr(app, "nav", ())]
    shown = []
    for group in GROUPS:
        mine = sorted((e for e in found if e.group == group.key), key=lambda e: (e.order, e.url_name))
        if mine:
            shown.append(ShownGroup(group, tuple((e.label, e.url, e.icon) for e in mine)))
    return tuple(shown)
