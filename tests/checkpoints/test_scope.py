"""Commune scoping as a matrix: who sees and changes which checkpoint and check-in."""

import pytest
from django.utils import timezone

from portal.core import roles

pytestmark = pytest.mark.django_db

USERS = {
    "staff_a": {"communes": "a", "groups": [roles.COMMUNE_STAFF]},
    "staff_b": {"communes": "b", "groups": [roles.COMMUNE_STAFF]},
    "district": {"all_communes": True, "groups": [roles.COMMUNE_STAFF]},
    "health": {"all_communes": True, "groups": [roles.HEALTH_OFFICIAL]},
    "editor": {"all_communes": True, "groups": [roles.EDITOR]},
}


@pytest.fixture
def world(communes, checkpoint_factory, stay_factory, staff_user_factory):
    a, b = communes
    cp_a = checkpoint_factory(commune=a, name="Trạm Y tế xã A")
    cp_b = checkpoint_factory(commune=b, name="Trạm Y tế xã B")
    stay_a = stay_factory(cp_a, timezone.now(), name="Người ở A")
    stay_b = stay_factory(cp_b, timezone.now(), name="Người ở B")
    users = {}
    for key, spec in USERS.items():
        spec = dict(spec)
        letter = spec.pop("communes", None)
        users[key] = staff_user_factory(
            communes=[a] if letter == "a" else [b] if letter == "b" else [], **spec
        )
    return {"a": cp_a, "b": cp_b, "stay_a": stay_a, "stay_b": stay_b, "users": users}


# (user, checkpoint) -> expected: listed, edit status, poster status
MATRIX = [
    ("staff_a", "a", True, 200, 200),
    ("staff_a", "b", False, 404, 404),
    ("staff_b", "a", False, 404, 404),
    ("staff_b", "b", True, 200, 200),
    ("district", "a", True, 200, 200),
    ("district", "b", True, 200, 200),
    ("health", "a", True, 302, 200),  # may view, not change: Wagtail redirects with a message
    ("editor", "a", None, 302, 302),  # no permission: Wagtail sends them back to the dashboard
]


@pytest.mark.parametrize("who, which, listed, edit, poster", MATRIX)
def test_checkpoint_access_matrix(client, world, who, which, listed, edit, poster):
    client.force_login(world["users"][who])
    checkpoint = world[which]
    index = client.get("/admin/checkpoints/diem/")
    if listed is None:
        assert index.status_code == 302
    else:
        assert index.status_code == 200
        assert (checkpoint.name in index.content.decode()) is listed
    assert client.get(f"/admin/checkpoints/diem/edit/{checkpoint.pk}/").status_code == edit
    assert client.get(f"/admin/checkpoints/posters/{checkpoint.pk}/A4.pdf").status_code == poster


@pytest.mark.parametrize(
    "who, sees_a, sees_b",
    [("staff_a", True, False), ("staff_b", False, True), ("district", True, True),
     ("health", True, True)],
)  # fmt: skip
def test_checkin_list_is_scoped(client, world, who, sees_a, sees_b):
    client.force_login(world["users"][who])
    html = client.get("/admin/checkpoints/luot/").content.decode()
    assert ("Người ở A" in html) is sees_a
    assert ("Người ở B" in html) is sees_b


def test_commune_staff_cannot_move_a_checkpoint_to_another_commune(client, world):
    client.force_login(world["users"]["staff_a"])
    checkpoint = world["a"]
    response = client.post(
        f"/admin/checkpoints/diem/edit/{checkpoint.pk}/",
        {
            "name": checkpoint.name,
            "kind": "office",
            "commune": world["b"].commune_id,
            "address": "x",
            "responsible_name": "",
            "responsible_phone": "",
            "is_active": "on",
            "sub_locations-TOTAL_FORMS": "0",
            "sub_locations-INITIAL_FORMS": "0",
            "sub_locations-MIN_NUM_FORMS": "0",
            "sub_locations-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200  # the form is shown again with an error
    checkpoint.refresh_from_db()
    assert checkpoint.commune_id == world["a"].commune_id


def test_commune_staff_registers_a_checkpoint_in_their_commune(client, world):
    user = world["users"]["staff_a"]
    client.force_login(user)
    response = client.post(
        "/admin/checkpoints/diem/new/",
        {
            "name": "Chợ Bồng",
            "kind": "market",
            "commune": world["a"].commune_id,
            "address": "Khu phố 4",
            "responsible_name": "Lê Văn B",
            "responsible_phone": "+84 912 000 999",
            "is_active": "on",
            "sub_locations-TOTAL_FORMS": "1",
            "sub_locations-INITIAL_FORMS": "0",
            "sub_locations-MIN_NUM_FORMS": "0",
            "sub_locations-MAX_NUM_FORMS": "1000",
            "sub_locations-0-name": "Dãy hàng rau",
            "sub_locations-0-ORDER": "1",
            "sub_locations-0-id": "",
            "sub_locations-0-DELETE": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from portal.checkpoints.models import Checkpoint

    created = Checkpoint.objects.get(name="Chợ Bồng")
    assert created.created_by == user and created.responsible_phone == "0912000999"
    assert created.code and created.short_code
    assert [s.name for s in created.sub_locations.all()] == ["Dãy hàng rau"]


def test_tracing_console_is_for_health_officials_only(client, world):
    for who, status in [("staff_a", 403), ("district", 403), ("editor", 403), ("health", 200)]:
        client.force_login(world["users"][who])
        assert client.get("/admin/checkpoints/trace/").status_code in (
            (status,) if status == 200 else (302, 403)
        ), who
