from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dashboard.ui.nav import NavEntry


class ImagesConfig(AppConfig):
    name = "dashboard.panels.images"
    label = "images"
    nav = (NavEntry(_("Images"), "images:list", "hdd-stack", group="compute", order=30),)
