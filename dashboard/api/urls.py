from django.urls import include, path

from . import views

urlpatterns = [
    path("session/", views.session_info),
    path("instances/", views.instance_list),
    path("instances/<uuid:server_id>/", views.instance_detail),
    path("instances/<uuid:server_id>/action/", views.instance_action),
    path("admin/usage/", views.admin_usage),
    path("admin/hypervisors/", views.admin_hypervisors),
    path("images/", include("dashboard.api.images_urls")),
    path("", include("dashboard.api.network")),  # networks, routers, floating-ips, security-groups, topology
    path("", include("dashboard.api.volumes")),
    path("containers/", include("dashboard.api.containers")),
]
