from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("bao-ve-du-lieu-ca-nhan/", views.privacy_notice, name="privacy"),
]
