from django.urls import path, re_path

from . import launch, usage, views

# instance ids are UUIDs, so other pages (e.g. launch/) never collide with an instance's URL
ID = r"(?P<server_id>[0-9a-fA-F-]{36})"

app_name = "instances"
urlpatterns = [
    path("", views.instance_list, name="list"),
    path("bulk/", views.bulk_action, name="bulk"),
    path("launch/", launch.launch, name="launch"),
    path("launch/preview/", launch.launch_preview, name="launch_preview"),
    path("launch/extras/", launch.launch_extras_part, name="launch_extras"),
    path("launch/keypairs/create/", launch.keypair_create, name="keypair_create"),
    path("launch/keypairs/import/", launch.keypair_import, name="keypair_import"),
    path("launch/keypairs/<str:name>/download/", launch.keypair_download, name="keypair_download"),
    re_path(rf"^{ID}/$", views.instance_detail, name="detail"),
    re_path(rf"^{ID}/row/$", views.instance_row, name="row"),
    re_path(rf"^{ID}/tab/(?P<tab>overview|log|console|interfaces)/$", views.instance_tab, name="tab"),
    re_path(rf"^{ID}/usage/$", usage.instance_usage, name="usage"),
    re_path(rf"^{ID}/action/(?P<action>[a-z_]+)/$", views.instance_action, name="action"),
]
# the actions that ask for input have their own page: /project/instances/<id>/<action>/
urlpatterns += [re_path(rf"^{ID}/{name}/$", view, name=name) for name, view in views.FORM_VIEWS.items()]
