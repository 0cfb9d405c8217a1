from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.core import security
from portal.core import views as core_views
from portal.core.admin_scope import site_history_urls
from portal.core.cache import cache_public

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # Liveness without checks, through every middleware (portal.core.security.live).
    path("healthz/live", security.live, name="healthz_live"),
    # The check-in (a crowd at a gate) is resolved first: its patterns are few and specific.
    path("", include("portal.checkpoints.urls")),
    # Wagtail's site history, within the communes of commune staff (core.admin_scope).
    path("admin/reports/", include(site_history_urls)),
    # The Wagtail admin is the only admin: Django's own (which let anyone with "change user"
    # make themselves a superuser) is not served.
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path(
        "robots.txt",
        cache_public(
            cache_control(max_age=3600, public=True)(
                TemplateView.as_view(template_name="robots.txt", content_type="text/plain")
            )
        ),
    ),
    # Each app owns its URLs; they come before Wagtail's catch-all page serving.
    path("api/", include("portal.api.urls")),
    path("", include("portal.core.urls")),
    path("", include("portal.notifications.urls")),
    path("", include("portal.notifications.alerts.urls")),
    path("", include("portal.participation.questions.urls")),
    path("", include("portal.participation.consultations.urls")),
    path("", include("portal.participation.ratings.urls")),
    path("", include("portal.news.urls")),
    path("", include("portal.eservices.urls")),
    path("", include("portal.home.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Pages: Vietnamese at the root, English under /en/.
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)

handler404 = "portal.core.views.page_not_found"
handler500 = "portal.core.views.server_error"
