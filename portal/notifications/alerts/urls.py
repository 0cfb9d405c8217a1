from django.urls import path

from . import views, webhook

app_name = "alerts"
urlpatterns = [
    path("nhan-tin/", views.subscribe, name="subscribe"),
    path("nhan-tin/da-gui/<uuid:token>/", views.sent, name="sent"),
    path("nhan-tin/xac-nhan/<uuid:token>/", views.confirm, name="confirm"),
    path("nhan-tin/ma/<uuid:token>/", views.code, name="code"),
    path("nhan-tin/huy/<uuid:token>/", views.unsubscribe, name="unsubscribe"),
    path("nhan-tin/zalo/webhook/", webhook.zalo_webhook, name="zalo_webhook"),
]
