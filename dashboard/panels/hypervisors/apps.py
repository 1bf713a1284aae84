from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dashboard.ui.nav import NavEntry


class HypervisorsConfig(AppConfig):
    name = "dashboard.panels.hypervisors"
    label = "hypervisors"
    nav = (
        NavEntry(_("Hypervisors"), "hypervisors:index", "cpu", group="admin", order=30),
        NavEntry(_("Compute services"), "hypervisors:services", "hdd-rack", group="admin", order=31),
    )
