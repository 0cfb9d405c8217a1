from django.urls import path

from . import views

app_name = "questions"
urlpatterns = [
    path("hoi-dap/", views.answers, name="answers"),
    path("hoi-dap/<int:pk>/", views.answer_detail, name="answer"),
    path("hoi-dap/gui/", views.ask, name="ask"),
    path("hoi-dap/da-gui/<str:code>/", views.done, name="done"),
    path("hoi-dap/phieu/<str:code>.pdf", views.receipt, name="receipt"),
    path("hoi-dap/tra-cuu/", views.lookup, name="lookup"),
    path("hoi-dap/tra-cuu/<str:code>/bo-sung/", views.more_information, name="more"),
]
