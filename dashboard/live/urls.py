from django.urls import path

from . import views

app_name = "live"
urlpatterns = [path("console/<str:server_id>/", views.console_link, name="console")]
