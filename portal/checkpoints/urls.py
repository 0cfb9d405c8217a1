from django.urls import path

from . import views

app_name = "checkpoints"
urlpatterns = [
    path("c/<str:code>", views.checkin, name="checkin"),
    path("c/<str:code>/", views.checkin),
    path("c/<str:code>/v/<str:token>/", views.visit, name="visit"),
    path("c/<str:code>/quen/", views.forget_me, name="forget"),
    path("quet-ma/", views.enter_code, name="enter_code"),
    path("kiem-tra-ap-phich/", views.verify_poster, name="verify_poster"),
]
