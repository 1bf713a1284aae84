from django.urls import path

from . import views

app_name = "hypervisors"
urlpatterns = [
    path("", views.hypervisor_overview, name="index"),
    path("services/", views.service_list, name="services"),
    path("services/<str:service_id>/disable", views.disable_service, name="disable_service"),
    path("services/<str:service_id>/enable", views.enable_service, name="enable_service"),
]
