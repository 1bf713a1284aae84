from django.urls import include, path, re_path

from . import action_views, backup_views, snapshot_views, transfer_views, views

# Cinder ids are UUIDs, so the fixed pages (create/, snapshots/, ...) never collide with a volume's URL
ID = r"(?P<volume_id>[0-9a-fA-F-]{36})"
SNAP = r"(?P<snapshot_id>[0-9a-fA-F-]{36})"
BACKUP = r"(?P<backup_id>[0-9a-fA-F-]{36})"
TRANSFER = r"(?P<transfer_id>[0-9a-fA-F-]{36})"

snapshot_urls = [
    path("", snapshot_views.snapshot_list, name="list"),
    re_path(rf"^{SNAP}/$", snapshot_views.snapshot_detail, name="detail"),
    re_path(rf"^{SNAP}/row/$", snapshot_views.snapshot_row, name="row"),
    re_path(rf"^{SNAP}/action/(?P<action>[a-z_]+)/$", snapshot_views.snapshot_action, name="action"),
    re_path(rf"^{SNAP}/edit/$", snapshot_views.snapshot_edit, name="edit"),
    re_path(rf"^{SNAP}/create_volume/$", snapshot_views.snapshot_create_volume, name="create_volume"),
    re_path(rf"^{SNAP}/launch/$", snapshot_views.snapshot_launch, name="launch"),
]
backup_urls = [
    path("", backup_views.backup_list, name="list"),
    re_path(rf"^{BACKUP}/row/$", backup_views.backup_row, name="row"),
    re_path(rf"^{BACKUP}/action/(?P<action>[a-z_]+)/$", backup_views.backup_action, name="action"),
    re_path(rf"^{BACKUP}/restore/$", backup_views.backup_restore, name="restore"),
]

app_name = "volumes"
urlpatterns = [
    path("", views.volume_list, name="list"),
    path("create/", views.volume_create, name="create"),
    path("bulk/", views.bulk_action, name="bulk"),
    path("snapshots/", include((snapshot_urls, "snapshots"))),
    path("backups/", include((backup_urls, "backups"))),
    path("transfers/", transfer_views.transfers, name="transfers"),
    re_path(
        r"^transfers/(?P<transfer_id>[0-9a-fA-F-]{36})/delete/$", transfer_views.transfer_delete, name="transfer_delete"
    ),
    path("types/", transfer_views.types, name="types"),
    re_path(rf"^{ID}/$", views.volume_detail, name="detail"),
    re_path(rf"^{ID}/row/$", views.volume_row, name="row"),
    re_path(rf"^{ID}/action/(?P<action>[a-z_]+)/$", views.volume_action, name="action"),
]
# the actions that ask for input have their own page: /project/volumes/<id>/<action>/
urlpatterns += [re_path(rf"^{ID}/{name}/$", view, name=name) for name, view in action_views.FORM_VIEWS.items()]
