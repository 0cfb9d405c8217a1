from django.urls import path

from . import views

app_name = "consultations"
urlpatterns = [
    path("gop-y-du-thao/<int:page_id>/", views.comment, name="comment"),
    path("gop-y-du-thao/<int:page_id>/da-gui/", views.sent, name="sent"),
]
