from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dashboard.ui.nav import NavEntry


class UsageConfig(AppConfig):
    name = "dashboard.panels.usage"
    label = "usage"
    nav = (
        NavEntry(_("Usage"), "usage:project_usage", "bar-chart", group="compute", order=90),
        NavEntry(_("Usage overview"), "usage:admin_overview", "graph-up", group="admin", order=10),
    )
