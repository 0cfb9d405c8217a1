"""The form builder in the page editor: a condition is chosen among the fields asked before it
and its value among that field's answers; an editor tries the draft."""

import pytest

from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def services(portal, db_access):
    from portal.core.sites import default_site
    from portal.eservices.models import ServicePage

    root = default_site().root_page.path
    pages = ServicePage.objects.filter(path__startswith=root)
    return {slug: pages.get(slug=slug).pk for slug in ("xac-nhan-tinh-trang-hon-nhan",)}


OFFERED = """([value, part]) => {
  const input = Array.from(document.querySelectorAll('input[name$="-condition_field"]'))
    .find(i => i.value === value);
  const name = input.name.replace(/-condition_field$/, '-condition_value');
  const target = part === 'field' ? input : document.querySelector(`[name="${name}"]`);
  target.dispatchEvent(new FocusEvent('focusin', {bubbles: true}));
  return Array.from(target.list ? target.list.options : []).map(o => o.value);
}"""


def test_conditions_offer_the_earlier_fields_and_their_answers(desktop, services):
    log_in(desktop, "bientap")
    desktop.goto(f"/admin/pages/{services['xac-nhan-tinh-trang-hon-nhan']}/edit/")
    condition = desktop.locator('input[name$="-condition_field"]').first
    condition.wait_for(state="attached")
    desktop.wait_for_function("() => document.querySelectorAll('input[name$=\"-key\"]').length > 3")
    fields = desktop.evaluate(OFFERED, ["tinh_trang", "field"])
    assert "tinh_trang" in fields
    assert "ban_an_ly_hon" not in fields  # itself, and nothing asked after it
    answers = desktop.evaluate(OFFERED, ["tinh_trang", "value"])
    assert answers == ["Chưa kết hôn", "Đang có vợ/chồng", "Đã ly hôn", "Vợ/chồng đã chết"]
    # The header's menu (kept out of the page until opened) offers the trial of the draft form.
    trial = f"/admin/thu-bieu-mau/{services['xac-nhan-tinh-trang-hon-nhan']}/"
    assert f'href="{trial}"' in desktop.request.get(desktop.url).text()
