from django.urls import path, re_path

from . import views

ID = r"(?P<image_id>[0-9a-fA-F-]{36})"

app_name = "images"
urlpatterns = [
    path("", views.image_list, name="list"),
    path("create/", views.create, name="create"),
    path("create/url/", views.create_from_url, name="create_url"),
    path("uploads/", views.uploads_panel, name="uploads"),
    path("uploads/dismiss/", views.uploads_dismiss, name="uploads_dismiss"),
    re_path(r"^uploads/(?P<upload_id>[A-Za-z0-9_-]{16,64})/dismiss/$", views.uploads_dismiss, name="upload_dismiss"),
    re_path(r"^uploads/(?P<upload_id>[A-Za-z0-9_-]{16,64})/cancel/$", views.upload_cancel, name="upload_cancel"),
    re_path(rf"^{ID}/$", views.image_detail, name="detail"),
    re_path(rf"^{ID}/row/$", views.image_row, name="row"),
    re_path(rf"^{ID}/edit/$", views.edit, name="edit"),
    re_path(rf"^{ID}/share/$", views.share, name="share"),
    re_path(rf"^{ID}/volume/$", views.create_volume, name="create_volume"),
    re_path(rf"^{ID}/action/(?P<action>[a-z_]+)/$", views.image_action, name="action"),
]
