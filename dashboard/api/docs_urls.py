"""/api/schema/ (OpenAPI 3, generated from the serializers) and /api/docs/ (Swagger UI from
Zenith's own static files, started by a static script: no CDN, no inline script)."""

from django.urls import path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", TemplateView.as_view(template_name="api/docs.html"), name="api-docs"),
]
