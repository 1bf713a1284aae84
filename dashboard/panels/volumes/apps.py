from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dashboard.ui.nav import NavEntry


class VolumesConfig(AppConfig):
    name = "dashboard.panels.volumes"
    label = "volumes"
    nav = (
        NavEntry(_("Volumes"), "volumes:list", "hdd-stack", order=30),
        NavEntry(_("Volume snapshots"), "volumes:snapshots:list", "camera", order=31),
        NavEntry(_("Volume backups"), "volumes:backups:list", "cloud-arrow-up", order=32),
        NavEntry(_("Volume transfers"), "volumes:transfers", "box-arrow-right", order=33),
        NavEntry(_("Volume types"), "volumes:types", "collection", order=34),
    )
