from django.apps import AppConfig

from dashboard.ui.nav import NavEntry


class OverviewConfig(AppConfig):
    name = "dashboard.panels.overview"
    label = "overview"
    nav = (NavEntry("Overview", "overview:index", "speedometer2", order=10),)
