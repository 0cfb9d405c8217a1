from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter

from .views import OpenPagesAPIViewSet, openapi

router = WagtailAPIRouter("open_data")
router.register_endpoint("pages", OpenPagesAPIViewSet)

urlpatterns = [
    path("v2/", router.urls),
    path("schema/", openapi, name="open_data_schema"),
]
