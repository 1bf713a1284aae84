from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dashboard.api"
    label = "zenith_api"

    def ready(self):
        from . import schema  # noqa: F401 - registers the schema's authentication extensions
