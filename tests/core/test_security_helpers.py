import pytest
from django.test import RequestFactory

from portal.core import audit, scope
from portal.core.models import AuditEntry
from portal.core.net import client_ip


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "10.0.0.9"),  # no proxy trusted: the header is the client's claim
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # a spoofed entry before the real one
        (2, "203.0.113.7, 172.16.0.2", "203.0.113.7"),
    ],
)
def test_client_ip_behind_trusted_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_audit_log_is_append_only(db, staff_user_factory):
    user = staff_user_factory()
    request = RequestFactory().get("/")
    request.user = user
    entry = audit.record(request, "trace.visitors", "Chợ Vĩnh Lộc", {"from": "x"}, count=3)
    assert entry.username == user.username and entry.record_count == 3
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(action="x")
    assert AuditEntry.objects.get(pk=entry.pk).action == "trace.visitors"


def test_commune_scope_matrix(db, staff_user_factory, served_communes):
    a, b = served_communes[0], served_communes[1]
    commune_staff = staff_user_factory(communes=[a])
    district_staff = staff_user_factory(all_communes=True)
    no_scope = staff_user_factory()
    superuser = staff_user_factory(superuser=True)
    assert scope.can_access_commune(commune_staff, a.pk)
    assert not scope.can_access_commune(commune_staff, b.pk)
    assert scope.can_access_commune(district_staff, b.pk)
    assert scope.can_access_commune(superuser, b.pk)
    assert not scope.can_access_commune(no_scope, a.pk)
    assert list(scope.communes_for(commune_staff)) == [a]
    assert scope.communes_for(district_staff).count() == len(served_communes)


def test_private_storage_has_no_url(settings, tmp_path):
    from django.core.files.base import ContentFile

    from portal.core.storage import PrivateStorage

    storage = PrivateStorage()
    name = storage.save("a/b.txt", ContentFile(b"x"))
    assert storage.path(name).startswith(str(settings.PRIVATE_MEDIA_ROOT))
    with pytest.raises(ValueError):
        storage.url(name)


def test_healthz_reports_each_component(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"] == {
        "database": "ok", "cache": "ok", "broker": "ok", "storage": "ok"
    }  # fmt: skip
