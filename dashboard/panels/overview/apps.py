from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dashboard.ui.nav import NavEntry


class OverviewConfig(AppConfig):
    name = "dashboard.panels.overview"
    label = "overview"
    nav = (NavEntry(_("Overview"), "overview:index", "speedometer2", group="compute", order=10),)
