from django.urls import include, path
from django.views.generic import RedirectView

from dashboard.ui import views as ui_views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="instances:list")),
    path("healthz", ui_views.healthz),
    path("auth/", include("dashboard.accounts.urls")),
    path("api/v1/", include("dashboard.api.urls")),
    path("api/", include("dashboard.api.docs_urls")),
    path("project/", include("dashboard.panels.overview.urls")),
    path("project/instances/", include("dashboard.panels.instances.urls")),
    # usage: /project/usage/ for members, /admin/overview/ for administrators
    path("", include("dashboard.panels.usage.urls")),
    path("admin/hypervisors/", include("dashboard.panels.hypervisors.urls")),
    path("admin/instances/", include("dashboard.panels.allinstances.urls")),
    path("identity/", include("dashboard.panels.identity.urls")),
    path("live/", include("dashboard.live.urls")),
]

handler403 = "dashboard.ui.views.forbidden"
handler404 = "dashboard.ui.views.not_found"
handler500 = "dashboard.ui.views.server_error"
