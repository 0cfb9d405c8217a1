from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter

from .views import OpenPagesAPIViewSet, QuestionsAPIView, ScheduleAPIView, developers, openapi

router = WagtailAPIRouter("open_data")
router.register_endpoint("pages", OpenPagesAPIViewSet)

urlpatterns = [
    path("v2/", router.urls),
    path("v2/schedule/", ScheduleAPIView.as_view(), name="open_data_schedule"),
    path("v2/questions/", QuestionsAPIView.as_view(), name="open_data_questions"),
    path("schema/", openapi, name="open_data_schema"),
    path("", developers, name="open_data_developers"),
]
