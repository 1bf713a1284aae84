from django.urls import path

from . import group_views, project_views, quota_views, role_views, user_views

app_name = "identity"
urlpatterns = [
    path("projects/", project_views.project_list, name="project_list"),
    path("projects/create/", project_views.project_create, name="project_create"),
    path("projects/<str:project_id>/", project_views.project_detail, name="project_detail"),
    path("projects/<str:project_id>/edit/", project_views.project_edit, name="project_edit"),
    path("projects/<str:project_id>/enabled/", project_views.project_enabled, name="project_enabled"),
    path("projects/<str:project_id>/delete/", project_views.project_delete, name="project_delete"),
    path("projects/<str:project_id>/quotas/", quota_views.project_quotas, name="project_quotas"),
    path("projects/<str:project_id>/members/add/", project_views.assignment_add, name="assignment_add"),
    path("projects/<str:project_id>/members/remove/", project_views.assignment_remove, name="assignment_remove"),
    path("users/", user_views.user_list, name="user_list"),
    path("users/create/", user_views.user_create, name="user_create"),
    path("users/<str:user_id>/edit/", user_views.user_edit, name="user_edit"),
    path("users/<str:user_id>/password/", user_views.user_password, name="user_password"),
    path("users/<str:user_id>/enabled/", user_views.user_enabled, name="user_enabled"),
    path("users/<str:user_id>/delete/", user_views.user_delete, name="user_delete"),
    path("groups/", group_views.group_list, name="group_list"),
    path("groups/create/", group_views.group_create, name="group_create"),
    path("groups/<str:group_id>/", group_views.group_detail, name="group_detail"),
    path("groups/<str:group_id>/edit/", group_views.group_edit, name="group_edit"),
    path("groups/<str:group_id>/delete/", group_views.group_delete, name="group_delete"),
    path("groups/<str:group_id>/members/add/", group_views.group_member_add, name="group_member_add"),
    path("groups/<str:group_id>/members/remove/", group_views.group_member_remove, name="group_member_remove"),
    path("roles/", role_views.role_list, name="role_list"),
]
