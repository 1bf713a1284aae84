from django.apps import AppConfig


class InstancesConfig(AppConfig):
    name = "dashboard.panels.instances"
    label = "instances"
