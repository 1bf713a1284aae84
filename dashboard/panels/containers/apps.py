from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dashboard.ui.nav import NavEntry


class ContainersConfig(AppConfig):
    name = "dashboard.panels.containers"
    label = "containers"
    nav = (NavEntry(_("Containers"), "containers:list", "archive", group="object-store", order=10),)
