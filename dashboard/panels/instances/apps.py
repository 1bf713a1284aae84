from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dashboard.ui.nav import NavEntry


class InstancesConfig(AppConfig):
    name = "dashboard.panels.instances"
    label = "instances"
    nav = (NavEntry(_("Instances"), "instances:list", "pc-display", group="compute", order=20),)
