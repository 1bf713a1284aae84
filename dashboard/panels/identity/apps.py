from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dashboard.ui.nav import NavEntry


class IdentityConfig(AppConfig):
    name = "dashboard.panels.identity"
    label = "identity"
    nav = (
        NavEntry(_("Projects"), "identity:project_list", "folder", section="admin", order=40),
        NavEntry(_("Users"), "identity:user_list", "people", section="admin", order=41),
        NavEntry(_("Groups"), "identity:group_list", "collection", section="admin", order=42),
        NavEntry(_("Roles"), "identity:role_list", "person-badge", section="admin", order=43),
    )
