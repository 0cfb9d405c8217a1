from django.urls import path

from . import places, views

app_name = "eservices"
urlpatterns = [
    path("dich-vu-cong/nop/<slug:slug>/", views.service_wizard, name="apply_start"),
    path("dich-vu-cong/nop/<slug:slug>/<str:step>/", views.service_wizard, name="apply_step"),
    path("dich-vu-cong/da-luu/<str:form_key>/", views.draft_saved, name="draft_saved"),
    path("dich-vu-cong/tiep-tuc/<str:token>/", views.resume, name="resume"),
    path("ho-so/<str:code>/", views.dossier_done, name="dossier"),
    path("ho-so/<str:code>/phieu-tiep-nhan.pdf", views.dossier_receipt, name="receipt"),
    path("ho-so/<str:code>/ket-qua/<int:pk>/", views.dossier_result_file, name="result_file"),
    path("bo-sung-ho-so/<str:token>/", views.supplement, name="supplement"),
    path("tra-cuu-ho-so/", views.lookup, name="lookup"),
    path("dia-ban/<str:code>/", places.unit_children, name="unit_children"),
    path("khai-bao-y-te/", views.health_wizard, name="health_start"),
    path("khai-bao-y-te/ma-qr/", views.health_qr, name="health_qr"),
    path("khai-bao-y-te/ghi-nho/", views.health_remember, name="health_remember"),
    path("khai-bao-y-te/quen/", views.health_forget, name="health_forget"),
    path("khai-bao-y-te/the/", views.health_card, name="health_card"),
    path("khai-bao-y-te/the/<str:token>.png", views.health_card_png, name="health_card_png"),
    path("khai-bao-y-te/ma-qr/<str:token>.png", views.health_qr_png, name="health_qr_png"),
    path("khai-bao-y-te/<str:step>/", views.health_wizard, name="health_step"),
]
