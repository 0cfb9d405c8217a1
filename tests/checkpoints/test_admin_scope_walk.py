"""Every admin URL of every commune-scoped model, walked as a commune officer: another commune's
check-in, checkpoint, poster export or dossier is never reachable and its personal data never shows.

The URLs are read from Django's resolver, so a view added later (a viewset's inspect or copy view,
an export, a new custom screen) is walked too, or the test says it does not know which record its
``<pk>`` names.
"""

import io
import re
import zipfile

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from wagtail.admin.viewsets import viewsets
from wagtail.log_actions import log

from portal.checkpoints.models import CheckIn, Checkpoint, PosterExport
from portal.core import roles
from portal.core.admin_scope import ScopedViewSetMixin
from portal.core.models import AuditEntry
from portal.eservices.models import Dossier, DossierFile, FormVersion
from portal.notifications.models import Notification

pytestmark = pytest.mark.django_db

# The other commune's personal data: none of it may appear in any response.
OTHER = {
    "name": "Phạm Thị Bí Mật",
    "phone": "0987654321",
    "id_number": "038190009999",
    "applicant": "Đinh Văn Kín",
    "applicant_phone": "0977111222",
    "checkpoint": "Chợ Xã Bên Kia",
    "responsible": "0966555444",
    "email": "dinh.van.kin@example.vn",
}

# Custom admin screens whose <pk> is not the model of a viewset: which model it names.
CUSTOM_PK_MODELS = {
    "checkpoints_admin:poster": Checkpoint,
    "checkpoints_admin:paper": Checkpoint,
    "checkpoints_admin:reissue": Checkpoint,
    "checkpoints_admin:paper_entry": Checkpoint,
    "checkpoints_admin:export": PosterExport,
    "checkpoints_admin:export_status": PosterExport,
    "checkpoints_admin:export_download": PosterExport,
    "eservices_admin:detail": Dossier,
    "eservices_admin:file": DossierFile,
    "notifications:inspect": Notification,
    "notifications:resend": Notification,
}
OTHER_KWARGS = {"size": "A4", "fmt": "pdf", "kind": "to-khai"}
# Namespaces of the app screens around the scoped models (the viewsets' are found below).
CUSTOM_NAMESPACES = ("checkpoints_admin", "eservices_admin", "notifications")


def _patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace]))
            yield from _patterns(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}:{p.name}", prefix + str(p.pattern)


def _has_commune(model):
    """A commune of its own, or through the record it belongs to (a check-in's checkpoint)."""
    for field in model._meta.concrete_fields:
        if field.name == "commune":
            return True
        related = field.related_model
        if related is not None and any(f.name == "commune" for f in related._meta.concrete_fields):
            return True
    return False


def _scoped_viewsets():
    """The registered viewsets of models with a commune, scoped or not (the walk finds both)."""
    get_resolver().url_patterns  # noqa: B018 (loading the admin's URLs registers the viewsets)
    return {
        vs.url_namespace: vs
        for vs in viewsets.viewsets
        if isinstance(getattr(vs, "model", None), type) and _has_commune(vs.model)
    }


def _fill(route, pk):
    def value(match):
        name = match.group(2)
        return str(pk) if name == "pk" else OTHER_KWARGS[name]

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route).replace("^", "")


@pytest.fixture
def world(communes, checkpoint_factory, stay_factory, staff_user_factory, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    a, b = communes
    district = staff_user_factory(all_communes=True, groups=[roles.COMMUNE_STAFF])
    # Every permission on the scoped models, so that only the commune scope stands in the way.
    officer = staff_user_factory(
        communes=[a],
        groups=[roles.COMMUNE_STAFF, roles.HEALTH_OFFICIAL, roles.ONE_STOP_OFFICER],
        perms=[
            f"checkpoints.{action}_{model}"
            for action in ("add", "change", "delete", "view")
            for model in ("checkpoint", "checkin", "posterexport")
        ],
    )
    mine = checkpoint_factory(commune=a, name="Nhà văn hóa thôn Mình")
    theirs = checkpoint_factory(
        commune=b, name=OTHER["checkpoint"], responsible_phone=OTHER["responsible"]
    )
    now = timezone.now()
    my_stay = stay_factory(mine, now, name="Lê Văn Mình", phone="0912000001")
    other_stay = stay_factory(
        theirs, now, name=OTHER["name"], phone=OTHER["phone"], id_number=OTHER["id_number"]
    )
    # District staff edited the other commune's records: their history has entries.
    for obj in (theirs, other_stay, mine, my_stay):
        log(obj, "wagtail.edit", user=district)
    version = FormVersion.objects.create(form_key="test", digest="d" * 64, schema={"steps": []})

    def dossier(code, commune, name, phone, email):
        made = Dossier.objects.create(
            code=code,
            service_title="Thủ tục thử",
            form_version=version,
            agency_code="VL",
            applicant_name=name,
            applicant_phone=phone,
            applicant_email=email,
            commune=commune,
        )
        # An e-mail to the applicant that could not be sent: staff see it and may resend it.
        Notification.objects.create(
            channel="email", to=email, subject=code, body="", about=made,
            status="given_up", attempts=5,
        )  # fmt: skip
        return made

    my_dossier = dossier("VL-1", a, "Trần Thị Mình", "0912000002", "minh@example.vn")
    other_dossier = dossier("VL-2", b, OTHER["applicant"], OTHER["applicant_phone"], OTHER["email"])
    other_file = DossierFile(dossier=other_dossier, original_name="cccd.pdf", size=8)
    other_file.file.save("cccd.pdf", io.BytesIO(b"%PDF-1.4"), save=True)
    my_file = DossierFile(dossier=my_dossier, original_name="don.pdf", size=8)
    my_file.file.save("don.pdf", io.BytesIO(b"%PDF-1.4"), save=True)
    other_export = PosterExport.objects.create(commune=b, created_by=district)
    my_export = PosterExport.objects.create(commune=a, created_by=officer)
    return {
        "officer": officer,
        "theirs": {
            Checkpoint: theirs,
            CheckIn: other_stay,
            Dossier: other_dossier,
            DossierFile: other_file,
            PosterExport: other_export,
            Notification: other_dossier.emails.get(),
        },
        "mine": {
            Checkpoint: mine,
            CheckIn: my_stay,
            Dossier: my_dossier,
            DossierFile: my_file,
            PosterExport: my_export,
            Notification: my_dossier.emails.get(),
        },
    }


def _body(response):
    """The text of a response, including a streamed file and the sheets of an XLSX."""
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    if raw.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = b"".join(archive.read(n) for n in archive.namelist())
    return raw.decode("utf-8", "replace")


def assert_no_leak(response, url, searched=""):
    body = _body(response)
    for key, value in OTHER.items():
        if value != searched:  # a search box shows what was typed
            assert value not in body, f"{url} shows the other commune's {key}"


def _object_urls(world, which):
    """(url name, url) of every admin URL that names one record of a scoped model."""
    scoped = _scoped_viewsets()
    urls = []
    for name, route in _patterns():
        namespace = name.split(":")[0]
        if "<" not in route:
            continue
        if namespace in scoped:
            model = scoped[namespace].model
        elif namespace in CUSTOM_NAMESPACES:
            assert name in CUSTOM_PK_MODELS, f"{name} ({route}): which record does it name?"
            model = CUSTOM_PK_MODELS[name]
        else:
            continue
        urls.append((name, _fill(route, world[which][model].pk)))
    return urls


def _listing_urls():
    """Every admin URL of the scoped models and their screens that names no record."""
    scoped = _scoped_viewsets()
    urls = []
    for name, route in _patterns():
        if "<" in route:
            continue
        if name.split(":")[0] in (*scoped, *CUSTOM_NAMESPACES):
            urls.append(_fill(route, 0))
    return urls


def test_every_viewset_of_a_model_with_a_commune_is_scoped():
    get_resolver().url_patterns  # noqa: B018 (loading the admin's URLs registers the viewsets)
    models = [getattr(vs, "model", None) for vs in viewsets.viewsets]
    assert CheckIn in models and Checkpoint in models
    for viewset in viewsets.viewsets:
        model = getattr(viewset, "model", None)
        if isinstance(model, type) and _has_commune(model):
            assert isinstance(viewset, ScopedViewSetMixin), viewset


def test_no_admin_url_reaches_another_communes_record(client, world):
    client.force_login(world["officer"])
    urls = _object_urls(world, "theirs")
    assert any("/checkpoints/luot/history/" in url for _n, url in urls)
    for _name, url in urls:
        response = client.get(url)
        if response.status_code == 405:  # an action taken by POST only (resend an e-mail)
            response = client.post(url)
        assert response.status_code == 404, (url, response.status_code)
        assert_no_leak(response, url)


def test_the_same_urls_reach_the_officers_own_records(client, world):
    """The walk above proves something only if the officer's own records are reachable."""
    client.force_login(world["officer"])
    statuses = {name: client.get(url).status_code for name, url in _object_urls(world, "mine")}
    for name in (
        "checkpoints_register:edit",
        "checkpoints_register:history",
        "checkpoints_register:usage",
        "checkpoints_register:delete",
        "checkpoints_checkins:edit",
        "checkpoints_checkins:delete",
        "checkpoints_checkins:history",
        "checkpoints_checkins:history_results",
        "checkpoints_admin:export",
        "eservices_admin:detail",
        "eservices_admin:file",
        "notifications:inspect",  # a message about the officer's own dossier
    ):
        assert statuses[name] == 200, (name, statuses[name])


def test_listings_searches_and_exports_leave_other_communes_out(client, world):
    client.force_login(world["officer"])
    queries = [("", ""), *((f"?q={v}", v) for v in OTHER.values())]
    queries += [("?export=csv", ""), ("?export=xlsx", "")]
    for base in _listing_urls():
        for query, searched in queries:
            response = client.get(base + query)
            # 405: an endpoint that only takes posts (the offline scans' sync) refuses a GET.
            assert response.status_code in (200, 302, 403, 404, 405), (base + query, response)
            assert_no_leak(response, base + query, searched)
    # Wagtail's own screens across models: search, site history and its exports, the admin API.
    for url, searched in [
        *((f"/admin/pages/search/?q={v}", v) for v in OTHER.values()),
        *((f"/admin/api/main/pages/?search={v}", v) for v in OTHER.values()),
        ("/admin/reports/site-history/", ""),
        ("/admin/reports/site-history/results/", ""),
        ("/admin/reports/site-history/?export=csv", ""),
        ("/admin/reports/site-history/?export=xlsx", ""),
    ]:
        assert_no_leak(client.get(url), url, searched)
    # The officer's own check-in is in the site history (by its number: titles name nobody): the
    # filter is not blanket.
    history = client.get("/admin/reports/site-history/").content.decode()
    assert f"Lượt ra/vào #{world['mine'][CheckIn].pk}," in history


def test_tracing_as_a_commune_officer_stays_in_their_communes(client, world):
    client.force_login(world["officer"])
    response = client.post("/admin/checkpoints/trace/", {"mode": "person", "phone": OTHER["phone"]})
    assert response.status_code == 200
    assert OTHER["name"] not in response.content.decode()


def test_each_view_of_a_check_in_is_audited(client, world, staff_user_factory):
    clerk = staff_user_factory(
        communes=[world["mine"][Checkpoint].commune],
        perms=["wagtailadmin.access_admin"]
        + [f"checkpoints.{p}_checkin" for p in ("view", "change", "delete")],
    )
    client.force_login(clerk)
    stay = world["mine"][CheckIn]
    for view in ("edit", "delete", "history", "history-results"):
        before = AuditEntry.objects.count()
        assert client.get(f"/admin/checkpoints/luot/{view}/{stay.pk}/").status_code == 200
        entry = AuditEntry.objects.order_by("-pk").first()
        assert AuditEntry.objects.count() == before + 1, view
        assert entry.action == "checkpoints.checkins.view" and entry.record_count == 1
        assert entry.parameters["view"] == view.replace("-", "_")
        assert entry.subject == f"#{stay.pk}" and entry.user == clerk
        assert "Lê Văn Mình" not in entry.subject + str(entry.parameters)
    client.get("/admin/checkpoints/luot/", {"q": "0912 000 001"})
    entry = AuditEntry.objects.get(action="checkpoints.checkins.list")
    assert entry.parameters == {"q": "***001"}
