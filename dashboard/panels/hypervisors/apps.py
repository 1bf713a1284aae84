from django.apps import AppConfig

from dashboard.ui.nav import NavEntry


class HypervisorsConfig(AppConfig):
    name = "dashboard.panels.hypervisors"
    label = "hypervisors"
    nav = (NavEntry("Hypervisors", "hypervisors:index", "cpu", section="admin", order=30),)
