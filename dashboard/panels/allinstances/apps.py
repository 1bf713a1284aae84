from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dashboard.ui.nav import NavEntry


class AllInstancesConfig(AppConfig):
    name = "dashboard.panels.allinstances"
    label = "allinstances"
    nav = (NavEntry(_("All instances"), "allinstances:list", "hdd-stack", group="admin", order=20),)
