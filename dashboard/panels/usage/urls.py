from django.urls import path

from . import views

app_name = "usage"
urlpatterns = [
    path("admin/overview/", views.admin_overview, name="admin_overview"),
    path("project/usage/", views.project_usage, name="project_usage"),
]
