"""The privacy notice and the data-subject screen cite the law in force: Law 91/2025/QH15 and
Decree 356/2025/NĐ-CP replaced Decree 13/2023/NĐ-CP on 01/01/2026."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_privacy_notice_cites_the_law_in_force(client):
    html = client.get("/bao-ve-du-lieu-ca-nhan/").content.decode()
    assert "Luật Bảo vệ dữ liệu cá nhân (số 91/2025/QH15) và Nghị định 356/2025/NĐ-CP" in html
    assert "13/2023" not in html


def test_the_data_subject_screen_cites_the_law_in_force(client, staff_user_factory):
    client.force_login(staff_user_factory(superuser=True, all_communes=True))
    html = client.get("/admin/yeu-cau-du-lieu-ca-nhan/").content.decode()
    assert "Luật 91/2025/QH15, Nghị định 356/2025/NĐ-CP" in html
    assert "13/2023" not in html
