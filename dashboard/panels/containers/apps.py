from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dashboard.ui.nav import NavEntry


class ContainersConfig(AppConfig):
    name = "dashboard.panels.containers"
    label = "containers"
    nav = (NavEntry(_("Containers"), "containers:list", "archive", order=40),)

    def ready(self):
        from dashboard.cloud import objects
        from dashboard.uploads import register

        # PUT /uploads/containers/<id>/ streams the body to Swift (see dashboard.uploads)
        register("containers", send=objects.receive_upload, abandon=objects.abandon_upload)
