"""Every public page type at phone size: Vietnamese, accessible, nothing from other hosts."""

import pytest

from tests.e2e.helpers import RequestRecorder, axe_check
from tests.e2e.pages import PUBLIC, resolve

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def page_types(portal, django_db_blocker):
    with django_db_blocker.unblock():
        return resolve(PUBLIC)


@pytest.mark.parametrize("name", [name for name, _ in PUBLIC])
def test_public_page_type_is_accessible_vietnamese_and_self_hosted(name, page_types, phone, portal):
    if name not in page_types.found:
        pytest.fail(f"{name}: {page_types.missing[name]}", pytrace=False)
    path = page_types.found[name]
    recorder = RequestRecorder(origin=portal.url).attach(phone)
    response = phone.goto(path)
    expected = 404 if "404" in name else 200
    assert response.status == expected, f"{path} answered {response.status}"
    phone.wait_for_load_state("load")

    assert phone.locator("html").get_attribute("lang") == "vi"
    assert phone.title().strip(), f"{path} has no title"
    assert phone.locator("h1").count() >= 1, f"{path} has no heading of level 1"
    # Nothing sideways: the page fits a 360 px phone.
    overflow = phone.evaluate("() => document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow} px at 360 px"
    axe_check(phone, what=f"{name} ({path})")
    assert recorder.other_hosts == [], f"{path} loads from other hosts: {recorder.other_hosts}"
