"""The sidebar: each panel declares its entries (`nav` on its AppConfig); this collects them.

    class InstancesConfig(AppConfig):
        nav = (NavEntry("Instances", "instances:list", "pc-display", order=20),)

"project" entries show to anyone working in a project, "admin" entries to cloud administrators.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django import urls
from django.apps import apps


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    icon: str
    section: str = "project"  # "project" or "admin"
    order: int = 50

    @property
    def url(self) -> str:
        return urls.reverse(self.url_name)  # the kept reverse (dashboard.ui.reversing): nav loads before it is in place


@functools.cache
def entries(section: str) -> tuple[tuple[str, str, str], ...]:
    """(label, url, icon) of every panel's entries in a section, in order."""
    found = [e for app in apps.get_app_configs() for e in getattr(app, "nav", ()) if e.section == section]
    return tuple((e.label, e.url, e.icon) for e in sorted(found, key=lambda e: (e.order, e.label)))
