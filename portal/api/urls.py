from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter

from .views import OpenPagesAPIViewSet, ScheduleAPIView, openapi

router = WagtailAPIRouter("open_data")
router.register_endpoint("pages", OpenPagesAPIViewSet)

urlpatterns = [
    path("v2/", router.urls),
    path("v2/schedule/", ScheduleAPIView.as_view(), name="open_data_schedule"),
    path("schema/", openapi, name="open_data_schema"),
]
