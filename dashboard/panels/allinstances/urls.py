from django.urls import path

from . import views

app_name = "allinstances"
urlpatterns = [path("", views.all_instances, name="list")]
