from django.urls import path

from . import views

# containers live under c/<name>/ so that no container name ("create", ...) collides with a page;
# object names travel in the query (?name=): they may hold any character, "/" and "?" included
app_name = "containers"
urlpatterns = [
    path("", views.container_list, name="list"),
    path("create/", views.container_create, name="create"),
    path("c/<str:container>/", views.object_list, name="objects"),
    path("c/<str:container>/f/<path:folder>", views.object_list, name="objects"),
    path("c/<str:container>/row/", views.container_row, name="row"),
    path("c/<str:container>/action/<str:action>/", views.container_action, name="action"),
    path("c/<str:container>/metadata/", views.container_metadata, name="metadata"),
    path("c/<str:container>/public/", views.container_make_public, name="make_public"),
    path("c/<str:container>/folder/", views.folder_create, name="folder"),
    path("c/<str:container>/delete/", views.delete_entries, name="bulk"),
    path("c/<str:container>/upload/", views.upload_prepare, name="upload"),
    path("c/<str:container>/upload/<str:upload_id>/cancel/", views.upload_cancel, name="upload_cancel"),
    path("c/<str:container>/object/", views.object_detail, name="object"),
    path("c/<str:container>/object/download/", views.object_download, name="download"),
    path("c/<str:container>/object/delete/", views.object_delete, name="object_delete"),
    path("c/<str:container>/object/copy/", views.object_copy, name="copy"),
    path("c/<str:container>/object/share/", views.object_share, name="share"),
]
