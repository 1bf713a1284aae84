from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dashboard.ui.nav import NavEntry


class NetworkConfig(AppConfig):
    name = "dashboard.panels.network"
    label = "network"
    nav = (
        NavEntry(_("Networks"), "networks:list", "diagram-3", group="network", order=20),
        NavEntry(_("Routers"), "routers:list", "router", group="network", order=30),
        NavEntry(_("Floating IPs"), "floating_ips:list", "globe", group="network", order=50),
        NavEntry(_("Security groups"), "security_groups:list", "shield-lock", group="network", order=40),
        NavEntry(_("Topology"), "topology:index", "bezier2", group="network", order=10),
    )
