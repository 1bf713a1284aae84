from django.urls import path

from . import images

urlpatterns = [
    path("", images.image_list),
    path("<uuid:image_id>/", images.image_detail),
    path("<uuid:image_id>/members/", images.image_members),
    path("<uuid:image_id>/members/<str:project_id>/", images.image_member),
]
