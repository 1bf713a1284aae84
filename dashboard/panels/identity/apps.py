from django.apps import AppConfig

from dashboard.ui.nav import NavEntry


class IdentityConfig(AppConfig):
    name = "dashboard.panels.identity"
    label = "identity"
    nav = (
        NavEntry("Projects", "identity:project_list", "folder", section="admin", order=40),
        NavEntry("Users", "identity:user_list", "people", section="admin", order=41),
        NavEntry("Groups", "identity:group_list", "collection", section="admin", order=42),
        NavEntry("Roles", "identity:role_list", "person-badge", section="admin", order=43),
    )
