from django.core.management import call_command
from django.test import override_settings

from portal.core import units
from portal.core.models import AdministrativeUnit

VINH_LOC_COMMUNES = {
    "Thị trấn Vĩnh Lộc", "Xã Vĩnh Quang", "Xã Vĩnh Yên", "Xã Vĩnh Tiến", "Xã Vĩnh Long",
    "Xã Vĩnh Phúc", "Xã Vĩnh Hưng", "Xã Vĩnh Hòa", "Xã Vĩnh Hùng", "Xã Minh Tân",
    "Xã Ninh Khang", "Xã Vĩnh Thịnh", "Xã Vĩnh An",
}  # fmt: skip


def test_vinh_loc_district_serves_its_thirteen_communes(db):
    served = AdministrativeUnit.objects.served()
    assert set(served.values_list("name_with_type", flat=True)) == VINH_LOC_COMMUNES
    district = AdministrativeUnit.objects.get(code="393")
    assert district.name_with_type == "Huyện Vĩnh Lộc"
    assert district.parent.name_with_type == "Tỉnh Thanh Hóa"


def test_sync_is_idempotent(db):
    before = AdministrativeUnit.objects.count()
    call_command("sync_admin_units", verbosity=0)
    assert AdministrativeUnit.objects.count() == before
    assert before > 10000  # every commune of the country, for address fields


def test_served_commune_follows_the_setting(db):
    units.clear_cache()
    with override_settings(PORTAL_UNIT_CODE="15349"):
        assert list(AdministrativeUnit.objects.served().values_list("code", flat=True)) == ["15349"]
    units.clear_cache()


def test_another_district_can_run_the_portal(db):
    units.clear_cache()
    with override_settings(PORTAL_UNIT_CODE="001"):  # Quận Ba Đình, Hà Nội
        names = set(AdministrativeUnit.objects.served().values_list("name_with_type", flat=True))
    units.clear_cache()
    assert "Phường Phúc Xá" in names
    assert "Xã Vĩnh Quang" not in names


def test_post_2025_units_come_from_vietnam_provinces():
    rows = list(units.iter_units("post2025"))
    communes = [u for u in rows if u.level == "commune" and u.parent_code == "38"]
    names = {u.name_with_type for u in communes}
    assert {"Xã Vĩnh Lộc", "Xã Tây Đô", "Xã Biện Thượng"} <= names
    assert not [u for u in rows if u.level == "district"]


def test_a_unit_is_shown_with_its_type(db):
    town = AdministrativeUnit.objects.get(code__in=units.served_commune_codes(), kind="thi-tran")
    assert town.name == "Vĩnh Lộc"
    assert town.display_name == str(town) == "Thị trấn Vĩnh Lộc"
    commune = AdministrativeUnit.objects.served().exclude(pk=town.pk).first()
    assert commune.display_name.startswith("Xã ")


def test_sync_puts_back_a_parent_that_changed_and_loads_an_empty_table_with_its_tree(db):
    commune = AdministrativeUnit.objects.get(code__in=units.served_commune_codes(), kind="thi-tran")
    district = commune.parent
    AdministrativeUnit.objects.filter(pk=commune.pk).update(parent=None)
    call_command("sync_admin_units", verbosity=0)
    assert AdministrativeUnit.objects.get(pk=commune.pk).parent == district

    before = AdministrativeUnit.objects.count()
    AdministrativeUnit.objects.all().delete()
    call_command("sync_admin_units", verbosity=0)
    assert AdministrativeUnit.objects.count() == before
    # Parents first, each child created with its parent: every unit's parent is the package's.
    package = {row.code: row.parent_code for row in units.iter_units()}
    loaded = dict(AdministrativeUnit.objects.values_list("code", "parent__code"))
    assert loaded == {
        code: parent if parent in package else None for code, parent in package.items()
    }
    town = AdministrativeUnit.objects.get(code=commune.code)
    assert town.parent.code == district.code and town.parent.parent.level == "province"
