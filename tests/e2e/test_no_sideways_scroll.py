"""No page scrolls sideways on a 360 px phone: every address of the sitemap, the first step of every
online form with and without its errors, and the save-for-later page with its long link.

(The steps of a whole filing and of a health declaration are checked as they are walked, in
test_citizen_eservices.py.)"""

import re
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e

OVERFLOW = "() => document.documentElement.scrollWidth - innerWidth"


def _overflow(phone, path) -> str | None:
    response = phone.goto(path)
    assert response.status < 400, f"{path} answered {response.status}"
    return _report(phone, path)


def _report(phone, what) -> str | None:
    phone.wait_for_load_state("load")
    overflow = phone.evaluate(OVERFLOW)
    if overflow <= 0:
        return None
    widest = phone.evaluate(
        """() => Array.from(document.querySelectorAll('body *'))
          .filter(el => el.getBoundingClientRect().right > innerWidth + 0.5)
          .slice(-3).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
            + ' «' + (el.textContent || '').trim().slice(0, 40) + '»')"""
    )
    return f"{what}: {overflow} px sideways ({'; '.join(widest)})"


@pytest.fixture(scope="module")
def sitemap_paths(portal):
    import urllib.request

    with urllib.request.urlopen(portal("/sitemap.xml"), timeout=30) as response:
        xml = response.read().decode()
    paths = sorted({urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", xml)})
    assert len(paths) > 20, paths
    return paths


@pytest.fixture(scope="module")
def form_paths(portal, django_db_blocker):
    from django.urls import reverse

    from portal.eservices.models import ServicePage

    with django_db_blocker.unblock():
        pages = ServicePage.objects.live().filter(path__startswith=_default_root_path())
        slugs = [page.slug for page in pages if page.online_form]
    paths = [reverse("eservices:apply_start", kwargs={"slug": slug}) for slug in slugs]
    paths.append(reverse("eservices:health_start"))
    return paths


def _default_root_path():
    from portal.core.sites import default_site

    return default_site().root_page.path


def test_every_page_of_the_sitemap_fits_a_phone(phone, sitemap_paths):
    problems = [p for p in (_overflow(phone, path) for path in sitemap_paths) if p]
    assert not problems, "\n".join(problems)


def test_the_first_step_of_every_form_fits_a_phone_with_and_without_errors(phone, form_paths):
    assert len(form_paths) >= 2
    problems = []
    for path in form_paths:
        problems.append(_overflow(phone, path))
        # Continue with nothing filled in: the error summary and every field's error.
        phone.locator("form button.button[type=submit]:not([name])").first.click()
        phone.locator(".error-summary, [role=alert]").first.wait_for()
        problems.append(_report(phone, f"{path} (errors)"))
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems)


def test_the_save_for_later_page_and_its_long_link_fit_a_phone(phone, form_paths):
    phone.goto(form_paths[0])
    phone.locator("button[name=_save]").click()
    phone.wait_for_url(re.compile(r"/dich-vu-cong/da-luu/"))
    link = phone.locator("a[href*='/dich-vu-cong/tiep-tuc/'], code, .es-resume-link").first
    assert link.count() == 1
    assert (problem := _report(phone, phone.url)) is None, problem


# Inline links laid out on more than one line box (a word broken inside shows as two).
WRAPPED = """() => Array.from(document.querySelectorAll('.lang-switch a'))
  .filter(a => a.getClientRects().length > 1).map(a => a.textContent.trim())"""


@pytest.mark.parametrize("path", ["/", "/en/"])
def test_the_language_link_keeps_its_words_whole_on_a_phone(phone, portal, path):
    """It read "Engl / ish" at 360 px: the language link stays on one line (the site's name
    beside it wraps between words instead)."""
    phone.goto(portal(path))
    assert phone.evaluate("() => document.querySelectorAll('.lang-switch a').length") == 1
    assert phone.evaluate(WRAPPED) == []
