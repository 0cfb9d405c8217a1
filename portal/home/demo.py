"""The site's root (home page, default site, contact settings), the home page's alert and quick
links, the organisation and contact page, and their English versions."""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Locale, Page, Site

from portal.core.demo import load_settings, load_unit_sites
from portal.core.sites import default_site

from .models import DEFAULT_QUICK_LINKS, HomePage

ORDER = 10


def load_site(ctx):
    """The Vietnamese home page as the default site's root, and the contact settings."""
    root = Page.get_first_root_node()
    locale = Locale.objects.get(language_code="vi")
    # The parent site's home, not a commune site's (those are HomePages under the root too).
    home = HomePage.objects.child_of(root).filter(locale=locale, slug="trang-chu").first()
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
    site = default_site()
    if site is None:
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True
        )
    if site.root_page_id != home.id or site.site_name != settings.WAGTAIL_SITE_NAME:
        site.root_page = home
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.save()
    # With the commune sites beside it, Wagtail writes the parent's pages' addresses in full
    # (redirects, "view live") from the site's host: Wagtail's placeholder localhost:80 would
    # send them to a port nothing listens on. The demo's parent is at BASE_URL.
    base = urlsplit(settings.BASE_URL)
    if site.hostname == "localhost" and site.port == 80 and base.hostname:
        site.hostname = base.hostname
        site.port = base.port or (443 if base.scheme == "https" else 80)
        site.save(update_fields=["hostname", "port"])
    load_settings(site)
    ctx.update(site=site, home=home)


# --- The home page's editable parts, the organisation page and the English version ----------

QUICK_LINKS = DEFAULT_QUICK_LINKS

ORGANISATION_VI = {
    "title": "Giới thiệu và liên hệ",
    "slug": "gioi-thieu",
    "intro": (
        "<p>Ủy ban nhân dân huyện Vĩnh Lộc là cơ quan hành chính nhà nước ở địa phương, chịu "
        "trách nhiệm trước Hội đồng nhân dân huyện và Ủy ban nhân dân tỉnh Thanh Hóa. Huyện có "
        "13 xã, thị trấn.</p>"
    ),
    "body": (
        "<p>Ủy ban nhân dân huyện tổ chức thi hành Hiến pháp, pháp luật và các văn bản của cơ "
        "quan nhà nước cấp trên; quyết định các vấn đề của huyện trong phạm vi được phân quyền; "
        "chỉ đạo các xã, thị trấn thực hiện nhiệm vụ phát triển kinh tế - xã hội, quốc phòng, an "
        "ninh và phòng, chống dịch bệnh.</p>"
    ),
    "contacts": [
        ("Văn phòng HĐND và UBND huyện", "Lê Văn Hùng", "Chánh Văn phòng",
         "Tham mưu, tổng hợp; tiếp nhận văn bản đến; quản lý lịch công tác của lãnh đạo huyện.",
         "0237 3870 105", "vanphong@vinhloc.thanhhoa.gov.vn"),
        ("Phòng Văn hóa và Thông tin", "Nguyễn Thị Thu", "Trưởng phòng",
         "Quản lý nhà nước về văn hóa, thông tin, truyền thông; chuyển đổi số.",
         "0237 3870 118", "vhtt@vinhloc.thanhhoa.gov.vn"),
        ("Trung tâm Văn hóa, Thông tin, Thể thao và Du lịch", "Trịnh Văn Long", "Giám đốc",
         "Quản lý Cổng thông tin điện tử huyện và hệ thống đài truyền thanh.",
         "0237 3870 120", "ttvh@vinhloc.thanhhoa.gov.vn"),
        ("Bộ phận Một cửa huyện", "", "",
         "Tiếp nhận và trả kết quả thủ tục hành chính, hướng dẫn dịch vụ công trực tuyến.",
         "0237 3870 199", "motcua@vinhloc.thanhhoa.gov.vn"),
    ],
}  # fmt: skip

ORGANISATION_EN = {
    "title": "Organisation and contact",
    "slug": "organisation",
    "intro": (
        "<p>The People's Committee of Vinh Loc District is the local state administration of "
        "the district, accountable to the District People's Council and to the People's "
        "Committee of Thanh Hoa Province. The district has 13 communes and townships.</p>"
    ),
    "body": (
        "<p>The People's Committee enforces the Constitution, the laws and the documents of "
        "higher state authorities; decides the district's matters within its powers; and directs "
        "the communes in economic and social development, defence, security and disease "
        "prevention. Most of this portal is in Vietnamese; this page gives the organisation and "
        "contact information in English, as Decree 42/2022/ND-CP requires.</p>"
    ),
    "contacts": [
        ("Office of the People's Council and People's Committee", "Le Van Hung", "Chief of Office",
         "Advice and coordination; incoming documents; the leaders' work schedule.",
         "0237 3870 105", "vanphong@vinhloc.thanhhoa.gov.vn"),
        ("Division of Culture and Information", "Nguyen Thi Thu", "Head of Division",
         "State management of culture, information and communications; digital transformation.",
         "0237 3870 118", "vhtt@vinhloc.thanhhoa.gov.vn"),
        ("Centre for Culture, Information, Sports and Tourism", "Trinh Van Long", "Director",
         "Runs the district's web portal and radio network.",
         "0237 3870 120", "ttvh@vinhloc.thanhhoa.gov.vn"),
        ("One-stop shop", "", "",
         "Receives applications for administrative procedures and returns their results.",
         "0237 3870 199", "motcua@vinhloc.thanhhoa.gov.vn"),
    ],
}  # fmt: skip

HOME_EN_INTRO = (
    "<p>The web portal of the People's Committee of Vinh Loc District, Thanh Hoa Province. "
    "News, directives and online public services are published in Vietnamese; the organisation "
    "and contact information is available in English.</p>"
)
# What an English reader can do here: the same services as the Vietnamese home, named in English
# (their pages and forms are in Vietnamese).
QUICK_LINKS_EN = [
    ("Online public services", "/dich-vu-cong/",
     "Apply for administrative procedures without visiting the office (forms in Vietnamese)"),
    ("Health declaration", "/khai-bao-y-te/",
     "Declare your health online and get a personal QR code"),
    ("Track an application", "/tra-cuu-ho-so/",
     "See where your application is with its reference code"),
    ("Checking in with a QR code", "/quet-ma/",
     "How to scan the QR code at offices and public places"),
]  # fmt: skip
VISIT_EN = (
    "<p><b>In person:</b> the one-stop shop of the People's Committee (Bộ phận Một cửa) "
    "receives applications and returns their results during office hours, Monday to Friday "
    "and Saturday morning, phone 0237 3870 199. Each commune's People's Committee has its own "
    "one-stop shop for commune-level procedures.</p>"
    "<p><b>Online:</b> most procedures can be filed on this portal; you receive a reference "
    "code and a receipt, and can track the application with that code.</p>"
)
# The main menu's sections without an English page (news.demo, eservices.demo), in English.
SECTION_NAMES_EN = [
    ("/tin-tuc/", "News"),
    ("/van-ban/", "Directives"),
    ("/huong-dan-ung-dung/", "App guides"),
    ("/dich-vu-cong/", "Public services"),
]
# The district's hotlines (core.demo.HOTLINES) named in English, by their numbers.
HOTLINE_NAMES_EN = [
    ("0237 3870 115", "Vinh Loc District COVID-19 prevention hotline"),
    ("0237 3870 206", "Vinh Loc District Health Centre"),
    ("1900 9095", "Ministry of Health helpline"),
]


def _organisation_fields(data):
    return {
        "title": data["title"],
        "intro": data["intro"],
        "body": [("paragraph", data["body"])],
        "contacts": [
            (
                "contact",
                {"unit": u, "name": n, "position": p, "tasks": t, "phone": ph, "email": e},
            )
            for u, n, p, t, ph, e in data["contacts"]
        ],
    }


def _publish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def load_home_extras(ctx):
    from .models import OrganisationPage

    home = ctx["home"].specific
    if not home.quick_links:
        _publish(
            home,
            alert_active=True,
            alert_level="warning",
            alert_message=(
                "Người dân quét mã QR hoặc khai báo y tế khi đến cơ quan, công sở và nơi công "
                "cộng; không có điện thoại thông minh thì khai tờ khai giấy."
            ),
            alert_link_url="/quet-ma/",
            alert_link_text="Cách quét mã QR",
            quick_links=[
                ("link", {"title": t, "url": u, "description": d}) for t, u, d in QUICK_LINKS
            ],
        )
    org = OrganisationPage.objects.child_of(home).filter(slug=ORGANISATION_VI["slug"]).first()
    if org is None:
        org = home.add_child(
            instance=OrganisationPage(
                slug=ORGANISATION_VI["slug"],
                show_in_menus=True,
                **_organisation_fields(ORGANISATION_VI),
            )
        )
        org.save_revision().publish()

    english = Locale.objects.get(language_code="en")
    home_en = home.get_translation_or_none(english)
    if home_en is None:
        home_en = home.copy_for_translation(english)
        home_en.quick_links = []
    home_en = home_en.specific
    if not home_en.quick_links:  # new, or made before the English home had its services
        _publish(
            home_en,
            title="Vinh Loc District web portal",
            intro=HOME_EN_INTRO,
            alert_active=False,
            quick_links=[
                ("link", {"title": t, "url": u, "description": d}) for t, u, d in QUICK_LINKS_EN
            ],
            visit_info=VISIT_EN,
            section_names=[("section", {"url": u, "name": n}) for u, n in SECTION_NAMES_EN],
            hotline_names=[
                ("hotline", {"number": n, "label": label}) for n, label in HOTLINE_NAMES_EN
            ],
        )
    org_en = org.get_translation_or_none(english)
    if org_en is None:
        org_en = org.copy_for_translation(english)
        _publish(org_en, slug=ORGANISATION_EN["slug"], **_organisation_fields(ORGANISATION_EN))
    ctx.update(home_en=home_en, organisation=org)


def load(ctx):
    load_site(ctx)
    load_home_extras(ctx)
    load_unit_sites(ctx)
