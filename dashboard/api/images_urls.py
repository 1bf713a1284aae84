from django.urls import path, re_path

from . import images

urlpatterns = [
    path("", images.image_list),
    path("<uuid:image_id>/", images.image_detail),
    path("<uuid:image_id>/members/", images.image_members),
    re_path(r"^(?P<image_id>[0-9a-fA-F-]{36})/members/(?P<project_id>[0-9a-f]{32})/$", images.image_member),
]
