from django.urls import path

from . import views

app_name = "ratings"
urlpatterns = [
    path("danh-gia/trang/<int:page_id>/", views.vote, name="vote"),
    path("danh-gia/trang/<int:page_id>/cam-on/", views.thanks, name="thanks"),
    path("danh-gia/dich-vu/", views.rate_service, name="service"),
]
