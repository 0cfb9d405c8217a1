from django.conf import settings


def portal(request):
    return {
        "PORTAL_SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "BASE_URL": settings.BASE_URL,
    }
