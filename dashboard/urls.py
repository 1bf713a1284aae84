from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

from dashboard.metrics import views as metrics_views
from dashboard.ui import views as ui_views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="instances:list")),
    path("healthz", ui_views.healthz),
    path("metrics", metrics_views.metrics, name="metrics"),  # off unless DASHBOARD_METRICS (docs/metrics.md)
    # the JavaScript strings of the active language (gettext() in live.js, panels' js); pages ask for
    # /jsi18n/?l=<language>, so a browser may keep each language's copy for an hour
    path("jsi18n/", cache_control(max_age=3600)(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("auth/", include("dashboard.accounts.urls")),
    path("api/v1/", include("dashboard.api.urls")),
    path("api/", include("dashboard.api.docs_urls")),
    path("project/", include("dashboard.panels.overview.urls")),
    path("project/instances/", include("dashboard.panels.instances.urls")),
    path("project/images/", include("dashboard.panels.images.urls")),
    # networks, routers, floating-ips, security-groups, topology
    path("project/", include("dashboard.panels.network.urls")),
    path("project/volumes/", include("dashboard.panels.volumes.urls")),
    # usage: /project/usage/ for members, /admin/overview/ for administrators
    path("", include("dashboard.panels.usage.urls")),
    path("admin/hypervisors/", include("dashboard.panels.hypervisors.urls")),
    path("admin/instances/", include("dashboard.panels.allinstances.urls")),
    path("project/containers/", include("dashboard.panels.containers.urls")),
    path("identity/", include("dashboard.panels.identity.urls")),
    path("live/", include("dashboard.live.urls")),
]

handler403 = "dashboard.ui.views.forbidden"
handler404 = "dashboard.ui.views.not_found"
handler500 = "dashboard.ui.views.server_error"
