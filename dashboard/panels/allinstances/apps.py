from django.apps import AppConfig

from dashboard.ui.nav import NavEntry


class AllInstancesConfig(AppConfig):
    name = "dashboard.panels.allinstances"
    label = "allinstances"
    nav = (NavEntry("All instances", "allinstances:list", "hdd-stack", section="admin", order=20),)
