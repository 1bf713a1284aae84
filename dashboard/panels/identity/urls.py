from django.urls import path

from . import views

app_name = "identity"
urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
    path("projects/create/", views.project_create, name="project_create"),
    path("projects/-/members/", views.project_members, name="project_members"),
    path("projects/<str:project_id>/", views.project_detail, name="project_detail"),
    path("projects/<str:project_id>/members/", views.project_assignments, name="project_assignments"),
    path("projects/<str:project_id>/assign-form/", views.project_assign_form, name="project_assign_form"),
    path("projects/<str:project_id>/edit/", views.project_edit, name="project_edit"),
    path("projects/<str:project_id>/enabled/", views.project_enabled, name="project_enabled"),
    path("projects/<str:project_id>/delete/", views.project_delete, name="project_delete"),
    path("projects/<str:project_id>/quotas/", views.project_quotas, name="project_quotas"),
    path(
        "projects/<str:project_id>/quotas/<str:service>/",
        views.project_quota_section,
        name="project_quota_section",
    ),
    path("projects/<str:project_id>/members/add/", views.assignment_add, name="assignment_add"),
    path("projects/<str:project_id>/members/remove/", views.assignment_remove, name="assignment_remove"),
    path("users/", views.user_list, name="user_list"),
    path("users/create/", views.user_create, name="user_create"),
    path("users/-/roles/", views.user_roles, name="user_roles"),
    path("users/-/choices/", views.user_choices, name="user_choices"),
    path("users/<str:user_id>/edit/", views.user_edit, name="user_edit"),
    path("users/<str:user_id>/password/", views.user_password, name="user_password"),
    path("users/<str:user_id>/enabled/", views.user_enabled, name="user_enabled"),
    path("users/<str:user_id>/delete/", views.user_delete, name="user_delete"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/create/", views.group_create, name="group_create"),
    path("groups/<str:group_id>/", views.group_detail, name="group_detail"),
    path("groups/<str:group_id>/edit/", views.group_edit, name="group_edit"),
    path("groups/<str:group_id>/delete/", views.group_delete, name="group_delete"),
    path("groups/<str:group_id>/members/add/", views.group_member_add, name="group_member_add"),
    path("groups/<str:group_id>/members/remove/", views.group_member_remove, name="group_member_remove"),
    path("roles/", views.role_list, name="role_list"),
    path("roles/-/counts/", views.role_counts, name="role_counts"),
]
