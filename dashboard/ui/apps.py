from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "dashboard.ui"
    label = "ui"
