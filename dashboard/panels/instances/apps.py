from django.apps import AppConfig

from dashboard.ui.nav import NavEntry


class InstancesConfig(AppConfig):
    name = "dashboard.panels.instances"
    label = "instances"
    nav = (NavEntry("Instances", "instances:list", "pc-display", order=20),)
