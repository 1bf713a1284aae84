from django.urls import path

from . import language, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("switch/", views.switch_project, name="switch"),
    path("region/", views.switch_region, name="region"),
    path("language/", language.choose_language, name="language"),
    path("no-project/", views.no_project, name="no_project"),
    path("keys/", views.api_keys, name="api_keys"),
    path("keys/<uuid:key_id>/revoke/", views.api_key_revoke, name="api_key_revoke"),
]
