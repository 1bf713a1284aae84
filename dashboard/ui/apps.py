from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "dashboard.ui"
    label = "ui"

    def ready(self):
        from .reversing import keep_reversed_urls

        keep_reversed_urls()
