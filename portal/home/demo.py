"""The site's root: a home page in Vietnamese, the default site, the contact settings."""

from django.conf import settings
from wagtail.models import Locale, Page, Site

from portal.core.demo import load_settings

from .models import HomePage

ORDER = 10


def load(ctx):
    root = Page.get_first_root_node()
    locale = Locale.objects.get(language_code="vi")
    home = HomePage.objects.filter(locale=locale).first()
    if home is None:
        # Wagtail's initial migration leaves a "Welcome" page under the root: replace it.
        Page.objects.filter(depth=2, content_type__model="page").delete()
        home = root.add_child(
            instance=HomePage(
                title="Cổng thông tin điện tử huyện Vĩnh Lộc",
                slug="trang-chu",
                locale=locale,
                intro=(
                    "<p>Thông tin chỉ đạo, điều hành, hướng dẫn phòng, chống dịch Covid-19 "
                    "và dịch vụ công trực tuyến của huyện Vĩnh Lộc, tỉnh Thanh Hóa.</p>"
                ),
            )
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True
        )
    if site.root_page_id != home.id or site.site_name != settings.WAGTAIL_SITE_NAME:
        site.root_page = home
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.save()
    load_settings(site)
    ctx.update(site=site, home=home)
