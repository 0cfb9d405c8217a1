from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("bao-ve-du-lieu-ca-nhan/", views.privacy_notice, name="privacy"),
    # Browsers and bookmark tools ask for /favicon.ico whatever the page links.
    path("favicon.ico", views.favicon, name="favicon"),
]
