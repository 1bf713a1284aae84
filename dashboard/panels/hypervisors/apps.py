from django.apps import AppConfig


class HypervisorsConfig(AppConfig):
    name = "dashboard.panels.hypervisors"
    label = "hypervisors"
