"""Every string a staff member meets in the admin has a Vietnamese translation.

The msgids come from the INSTALLED packages' English catalogues (Wagtail, Django, taggit), so an
upgrade that brings new strings fails here until they are translated. Each msgid is looked up in
the combined catalogue Django really uses: our ``locale/upstream/*`` catalogues (LOCALE_PATHS,
compiled first) merged over the packages' own ``vi`` catalogues, exactly as
``DjangoTranslation`` / ``JavaScriptCatalog`` build it.
"""

import gettext as gettext_module
import importlib
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import trans_real

# (package, domain): every catalogue whose strings appear in the admin a staff member uses.
CATALOGUES = [
    ("wagtail", "django"),
    ("wagtail.admin", "django"),
    ("wagtail.admin", "djangojs"),
    ("wagtail.snippets", "django"),
    ("wagtail.images", "django"),
    ("wagtail.documents", "django"),
    ("wagtail.users", "django"),
    ("wagtail.search", "django"),
    ("wagtail.sites", "django"),
    ("wagtail.locales", "django"),
    ("wagtail.embeds", "django"),
    ("wagtail.contrib.settings", "django"),
    ("wagtail.contrib.forms", "django"),
    ("wagtail.contrib.redirects", "django"),
    ("wagtail.contrib.search_promotions", "django"),
    ("wagtail.contrib.simple_translation", "django"),
    ("wagtail.contrib.table_block", "django"),
    ("wagtail.contrib.typed_table_block", "django"),
    ("django.conf", "django"),
    ("django.contrib.admin", "django"),
    ("django.contrib.admin", "djangojs"),
    ("django.contrib.auth", "django"),
    ("django.contrib.contenttypes", "django"),
    ("django.contrib.sessions", "django"),
    ("django.contrib.humanize", "django"),
    ("taggit", "django"),
]

# Strings that read the same in Vietnamese (abbreviations, names, technical formats). Strings with
# no words once placeholders, markup and upper-case abbreviations are removed ("%(count)s", "…",
# "%s KB") are identical by nature.
SAME_IN_VIETNAMESE = {
    "Email",
    "URL",
    "ID",
    "IPv4",
    "IPv6",
    "JSON",
    "CSV",
    "XLSX",
    "TSV",
    "PDF",
    "HTML",
    "OK",
    "Wagtail",
    "Django",
    "oEmbed",
    "Alt",
    "Wagtail API v2",
    "Wagtail API v3",
    "%(size)d byte",
}

PLACEHOLDER = re.compile(
    r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]|%[-#0 +]*\d*[sdifr]|\{\w*\}"
)
NOT_WORDS = re.compile(r"<[^>]+>|&\w+;|%%|\b[A-Z0-9]{2,5}\b|" + PLACEHOLDER.pattern)


def _package_dir(package):
    return Path(importlib.import_module(package).__file__).parent


def _english(package, domain):
    path = _package_dir(package) / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as f:
        return [m for m in read_po(f) if m.id]


@pytest.fixture(scope="module")
def combined():
    """{domain-or-package: merged catalogue} built from freshly compiled catalogues."""
    call_command("compile_catalogues", verbosity=0)
    # Catalogues read earlier in this process may predate the compilation.
    gettext_module._translations.clear()
    trans_real._translations = {}
    cache = {}

    def get(package, domain):
        key = "django" if domain == "django" else f"{package}:{domain}"
        if key not in cache:
            if domain == "django":
                cache[key] = trans_real.DjangoTranslation("vi")
            else:
                # As the package's JavaScriptCatalog view builds it (packages=[package]).
                localedir = str(_package_dir(package) / "locale")
                cache[key] = trans_real.DjangoTranslation(
                    "vi", domain=domain, localedirs=[localedir]
                )
        return cache[key]

    return get


def _identical_by_nature(msgid):
    return not re.search(r"[^\W\d_]", NOT_WORDS.sub("", msgid))


def _placeholders(text):
    """(sorted named placeholders without repeats, sorted positional ones with repeats)."""
    found = PLACEHOLDER.findall(text)
    named = sorted({p for p in found if p.startswith(("%(", "{")) and p != "{}"})
    positional = sorted(p for p in found if not p.startswith(("%(", "{")) or p == "{}")
    return named, positional


def _lookup(catalog, message):
    """(vi text, [English forms]) or (None, forms) when the combined catalogue lacks it."""
    prefix = f"{message.context}\x04" if message.context else ""
    if isinstance(message.id, tuple):
        forms = list(message.id)
        key = (prefix + message.id[0], 0)
    else:
        forms = [message.id]
        key = prefix + message.id
    cat = catalog._catalog
    return (cat[key] if key in cat else None), forms


def _problems(catalog, messages):
    missing, english, placeholders = [], [], []
    for message in messages:
        vi, forms = _lookup(catalog, message)
        label = forms[0] if not message.context else f"{message.context}|{forms[0]}"
        if not vi:
            missing.append(label)
            continue
        if vi in forms and not (forms[0] in SAME_IN_VIETNAMESE or _identical_by_nature(forms[0])):
            english.append(label)
            continue
        # Vietnamese has one plural form: it is used for every count, so it must carry the
        # plural's placeholders and may use only those the code supplies.
        named_vi, positional_vi = _placeholders(vi)
        named_en, positional_en = _placeholders(forms[-1])
        supplied = set().union(*(_placeholders(f)[0] for f in forms))
        if (
            not set(named_en) <= set(named_vi)
            or not set(named_vi) <= supplied
            or positional_vi != positional_en
        ):
            placeholders.append(f"{label!r} -> {vi!r}")
    return missing, english, placeholders


@pytest.mark.parametrize(("package", "domain"), CATALOGUES, ids=[f"{p}:{d}" for p, d in CATALOGUES])
def test_every_admin_string_has_a_vietnamese_translation(combined, package, domain):
    messages = _english(package, domain)
    assert messages, f"no English catalogue for {package} ({domain})"
    missing, english, placeholders = _problems(combined(package, domain), messages)
    report = []
    if missing:
        report.append(f"{len(missing)} of {len(messages)} untranslated: {missing[:15]}")
    if english:
        report.append(f"{len(english)} left in English: {english[:15]}")
    if placeholders:
        report.append(f"{len(placeholders)} with wrong placeholders: {placeholders[:10]}")
    assert not report, f"{package} ({domain}): " + "; ".join(report)


def test_translations_keep_placeholders_detects_a_dropped_placeholder():
    class Message:
        context = None
        id = "Delete %(title)s"

    class Catalog:
        _catalog = {"Delete %(title)s": "Xóa trang"}

    assert _problems(Catalog, [Message])[2]


@pytest.mark.django_db
def test_login_username_placeholder_reads_naturally(combined):
    combined("wagtail", "django")  # compiled, caches reset
    from wagtail.admin.forms.auth import LoginForm

    with translation.override("vi"):
        placeholder = str(LoginForm().fields["username"].widget.attrs["placeholder"])
    assert "nhậpcủa" not in placeholder
    assert placeholder == "Nhập tên đăng nhập của bạn"


def test_admin_sign_in_strings_are_vietnamese(combined):
    combined("wagtail", "django")
    with translation.override("vi"):
        assert translation.gettext("Sign in") != "Sign in"
        assert translation.gettext("Password") == "Mật khẩu"
        assert translation.ngettext("%(num)d day", "%(num)d days", 3) % {"num": 3} == "3 ngày"


def test_the_sign_in_page_labels_every_field_in_vietnamese(db, client):
    html = client.get("/admin/login/").content.decode()
    labels = re.findall(r'<label class="w-field__label"[^>]*>\s*([^<]+?)\s*<', html)
    assert labels == ["Tên đăng nhập", "Mật khẩu"], labels


def test_the_page_trees_root_and_the_root_collection_have_vietnamese_names(
    db, client, staff_user_factory
):
    from wagtail.models import Collection, Page

    from portal.core.bootstrap import ROOT_COLLECTION_NAME, ROOT_PAGE_TITLE

    assert Page.get_first_root_node().title == ROOT_PAGE_TITLE
    assert Collection.get_first_root_node().name == ROOT_COLLECTION_NAME
    client.force_login(staff_user_factory(superuser=True))
    for url in ("/admin/pages/", "/admin/choose-page/"):
        response = client.get(url)
        is_json = response["Content-Type"].startswith("application/json")
        html = response.json()["html"] if is_json else response.content.decode()
        assert not re.search(r">\s*Root\s*<", html), url
        assert ROOT_PAGE_TITLE in html, url
