from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dashboard.ui.nav import NavEntry


class ImagesConfig(AppConfig):
    name = "dashboard.panels.images"
    label = "images"
    nav = (NavEntry(_("Images"), "images:list", "hdd-stack", order=30),)

    def ready(self):
        from dashboard.cloud import images
        from dashboard.uploads import register

        # image files stream through dashboard.uploads straight to Glance
        register("images", send=images.upload_data, abandon=images.abandon_upload)
