from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "dashboard.panels.identity"
    label = "identity"
