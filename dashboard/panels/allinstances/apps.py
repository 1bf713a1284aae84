from django.apps import AppConfig


class AllInstancesConfig(AppConfig):
    name = "dashboard.panels.allinstances"
    label = "allinstances"
