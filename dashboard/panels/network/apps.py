from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dashboard.ui.nav import NavEntry


class NetworkConfig(AppConfig):
    name = "dashboard.panels.network"
    label = "network"
    nav = (
        NavEntry(_("Networks"), "networks:list", "diagram-3", order=40),
        NavEntry(_("Routers"), "routers:list", "router", order=41),
        NavEntry(_("Floating IPs"), "floating_ips:list", "globe", order=42),
        NavEntry(_("Security groups"), "security_groups:list", "shield-lock", order=43),
        NavEntry(_("Network topology"), "topology:index", "bezier2", order=44),
    )
