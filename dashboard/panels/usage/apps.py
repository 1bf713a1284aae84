from django.apps import AppConfig


class UsageConfig(AppConfig):
    name = "dashboard.panels.usage"
    label = "usage"
