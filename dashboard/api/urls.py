from django.urls import include, path

from . import admin, instance_metrics, instances, project, views

urlpatterns = [
    path("session/", views.session_info),
    # instances
    path("instances/", instances.instance_list),
    path("launch-options/", instances.launch_options),
    path("instances/<uuid:server_id>/", instances.instance_detail),
    path("instances/<uuid:server_id>/action/", instances.instance_action),
    path("instances/<uuid:server_id>/rename/", instances.rename),
    path("instances/<uuid:server_id>/resize/", instances.resize),
    path("instances/<uuid:server_id>/rebuild/", instances.rebuild),
    path("instances/<uuid:server_id>/snapshot/", instances.snapshot),
    path("instances/<uuid:server_id>/volumes/", instances.attach_volume),
    path("instances/<uuid:server_id>/volumes/<uuid:volume_id>/", instances.detach_volume),
    path("instances/<uuid:server_id>/interfaces/", instances.attach_interface),
    path("instances/<uuid:server_id>/interfaces/<uuid:port_id>/", instances.detach_interface),
    path("instances/<uuid:server_id>/floating-ips/", instances.associate_floating_ip),
    path("instances/<uuid:server_id>/floating-ips/<uuid:floating_ip_id>/", instances.disassociate_floating_ip),
    path("instances/<uuid:server_id>/security-groups/", instances.security_groups),
    path("instances/<uuid:server_id>/console/", instances.console),
    path("instances/<uuid:server_id>/console-log/", instances.console_log),
    path("instances/<uuid:server_id>/metrics/", instance_metrics.instance_metrics),
    # the project
    path("keypairs/", project.keypair_list),
    path("keypairs/<str:name>/", project.keypair_detail),
    path("quotas/", project.project_quotas),
    path("usage/", project.project_usage),
    # admin
    path("admin/usage/", admin.admin_usage),
    path("admin/hypervisors/", admin.admin_hypervisors),
    path("admin/projects/", admin.projects),
    path("admin/projects/<str:project_id>/assignments/", admin.project_assignments),
    path("admin/projects/<str:project_id>/quotas/", admin.admin_project_quotas),
    path("admin/users/", admin.users),
    path("admin/groups/", admin.groups),
    path("admin/roles/", admin.roles),
    # the panels' own endpoints
    path("images/", include("dashboard.api.images_urls")),
    path("", include("dashboard.api.network")),  # networks, routers, floating-ips, security-groups, topology
    path("", include("dashboard.api.volumes")),
    path("containers/", include("dashboard.api.containers")),
]
