from django.apps import AppConfig

from dashboard.ui.nav import NavEntry


class UsageConfig(AppConfig):
    name = "dashboard.panels.usage"
    label = "usage"
    nav = (
        NavEntry("Usage", "usage:project_usage", "bar-chart", order=90),
        NavEntry("Usage overview", "usage:admin_overview", "graph-up", section="admin", order=10),
    )
