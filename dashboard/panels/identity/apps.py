from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dashboard.ui.nav import NavEntry


class IdentityConfig(AppConfig):
    name = "dashboard.panels.identity"
    label = "identity"
    nav = (
        NavEntry(_("Projects"), "identity:project_list", "folder", group="identity", order=40),
        NavEntry(_("Users"), "identity:user_list", "people", group="identity", order=41),
        NavEntry(_("Groups"), "identity:group_list", "collection", group="identity", order=42),
        NavEntry(_("Roles"), "identity:role_list", "person-badge", group="identity", order=43),
    )
