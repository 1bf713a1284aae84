from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dashboard.ui.nav import NavEntry


class VolumesConfig(AppConfig):
    name = "dashboard.panels.volumes"
    label = "volumes"
    nav = (
        NavEntry(_("Volumes"), "volumes:list", "hdd-stack", group="volumes", order=10),
        NavEntry(_("Snapshots"), "volumes:snapshots:list", "camera", group="volumes", order=20),
        NavEntry(_("Backups"), "volumes:backups:list", "cloud-arrow-up", group="volumes", order=30),
        NavEntry(_("Transfers"), "volumes:transfers", "box-arrow-right", group="volumes", order=40),
        NavEntry(_("Types"), "volumes:types", "collection", group="volumes", order=50),
    )
