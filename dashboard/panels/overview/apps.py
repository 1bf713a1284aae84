from django.apps import AppConfig


class OverviewConfig(AppConfig):
    name = "dashboard.panels.overview"
    label = "overview"
