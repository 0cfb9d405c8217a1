"""Media and private files on S3-compatible object storage: a real S3 server (moto's) on the
loopback, the portal's storages pointed at it, nothing written to the local media folders."""

import io
import json
import os
import socket
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from PIL import Image

from portal.core import roles
from portal.core.models import AuditEntry
from portal.core.storage import private_storage
from tests.conftest import PRODUCTION_ENV, manage_in_production, need_service

BUCKET = "portal-test"
KEY_ID = "test-access-key"
SECRET = "test-secret-key"  # nosec B105 - moto accepts any key
PUBLIC_MEDIA_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": ["*"]},
            "Action": ["s3:GetObject"],
            "Resource": [
                f"arn:aws:s3:::{BUCKET}/media/original_images/*",
                f"arn:aws:s3:::{BUCKET}/media/images/*",
            ],
        }
    ],
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3 server on a free loopback port, with the portal's bucket."""
    try:
        import boto3
        from moto.server import ThreadedMotoServer
    except ImportError as exc:
        need_service(f"moto[server] is not installed ({exc})")
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    try:
        server.start()
    except Exception as exc:
        need_service(f"moto's S3 server did not start: {exc}")
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
    )
    client.create_bucket(Bucket=BUCKET)
    # As docker-compose.yml's bucket step does: anyone may read images, nothing else (documents
    # pass the privacy check of their collection in Django).
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_MEDIA_POLICY))
    yield {"endpoint": endpoint, "client": client}
    server.stop()


@pytest.fixture
def on_s3(s3_server, settings, tmp_path):
    """The portal's STORAGES as base.py builds them for S3_BUCKET (checked below against the
    production settings themselves), pointed at the moto server."""
    common = {
        "endpoint_url": s3_server["endpoint"],
        "region_name": "us-east-1",
        "access_key": KEY_ID,
        "secret_key": SECRET,
        "addressing_style": "path",
        "signature_version": "s3v4",
        "file_overwrite": False,
        "default_acl": None,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "portal.core.object_storage.PublicMediaStorage",
            "OPTIONS": {
                **common,
                "bucket_name": BUCKET,
                "location": "media",
                "querystring_auth": False,
                "public_url": "",
            },
        },
        "private": {
            "BACKEND": "portal.core.object_storage.PrivateObjectStorage",
            "OPTIONS": {
                **common,
                "bucket_name": BUCKET,
                "location": "private",
                "querystring_auth": True,
                "querystring_expire": 60,
            },
        },
    }
    yield s3_server
    # Nothing reached the local folders.
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        written = [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []
        assert written == [], f"written to the local disk: {written}"


@pytest.fixture
def es_demo(on_s3):
    """The e-services demo, loaded once the storages are on the bucket."""
    from portal.core import demo as core_demo
    from portal.eservices import demo as es_demo_module
    from portal.home import demo as home_demo

    ctx = {}
    for module in (core_demo, home_demo, es_demo_module):
        module.load(ctx)
    return ctx


def bucket_bytes(s3, key) -> bytes:
    return s3["client"].get_object(Bucket=BUCKET, Key=key)["Body"].read()


def http_get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # nosec B310 - loopback
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def png_file(name="anh.png"):
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buf, format="PNG")
    return ImageFile(io.BytesIO(buf.getvalue()), name=name)


def test_production_settings_put_both_storages_on_the_bucket_from_the_environment():
    code = "from django.conf import settings; import json; print(json.dumps(settings.STORAGES))"
    result = manage_in_production(
        "shell",
        "--no-imports",
        "-c",
        code,
        env={
            "S3_BUCKET": "cong-thong-tin",
            "S3_ENDPOINT_URL": "http://minio:9000",
            "S3_ACCESS_KEY_ID": "portal",
            "S3_SECRET_ACCESS_KEY": "secret-of-portal",
            "S3_MEDIA_URL": "/media/",
            "PORTAL_WEB_REPLICAS": "3",
        },
    )
    assert result.returncode == 0, result.stderr
    storages = json.loads(result.stdout.strip().splitlines()[-1])
    media, private = storages["default"], storages["private"]
    assert media["BACKEND"] == "portal.core.object_storage.PublicMediaStorage"
    assert media["OPTIONS"]["bucket_name"] == "cong-thong-tin"
    assert media["OPTIONS"]["location"] == "media"
    assert media["OPTIONS"]["endpoint_url"] == "http://minio:9000"
    assert media["OPTIONS"]["public_url"] == "/media/"
    assert private["BACKEND"] == "portal.core.object_storage.PrivateObjectStorage"
    assert private["OPTIONS"]["location"] == "private"
    assert private["OPTIONS"]["querystring_auth"] is True
    assert private["OPTIONS"]["querystring_expire"] == 60
    assert private["OPTIONS"]["default_acl"] is None
    assert "whitenoise" in storages["staticfiles"]["BACKEND"]


def test_production_refuses_several_web_containers_on_a_local_disk():
    result = manage_in_production("check", env={"PORTAL_WEB_REPLICAS": "3"})
    assert result.returncode != 0
    assert "PORTAL_WEB_REPLICAS=3 needs S3_BUCKET" in result.stderr
    # One machine keeps its files on its own disk.
    assert "S3_BUCKET" not in PRODUCTION_ENV
    single = manage_in_production("shell", "--no-imports", "-c", "print('ok')")
    assert single.returncode == 0, single.stderr


@pytest.mark.django_db
def test_private_file_lands_in_the_bucket_with_no_public_access(on_s3):
    name = private_storage.save("dossiers/2026/12/don.pdf", ContentFile(b"%PDF-1.4 don"))
    assert name.startswith("dossiers/2026/12/")
    assert bucket_bytes(on_s3, f"private/{name}") == b"%PDF-1.4 don"
    with private_storage.open(name, "rb") as fh:
        assert fh.read() == b"%PDF-1.4 don"
    # A signed address works for a minute; the plain address of the object does not.
    signed = private_storage.url(name)
    assert "X-Amz-Expires=60" in signed and "X-Amz-Signature=" in signed
    assert http_get(signed) == (200, b"%PDF-1.4 don")
    plain = f"{on_s3['endpoint']}/{BUCKET}/private/{name}"
    status, body = http_get(plain)
    assert status == 403 and b"%PDF" not in body
    private_storage.delete(name)
    assert not private_storage.exists(name)


@pytest.mark.django_db
def test_dossier_attachment_is_streamed_only_to_permitted_staff_and_audited(
    on_s3, es_demo, staff_user_factory
):
    from portal.eservices.models import Dossier

    # The demo files its report dossier through the filing flow: its signed PDF is in the bucket.
    report = Dossier.objects.get(service__slug="tiep-nhan-bao-cao-dinh-ky-cua-ubnd-cap-xa")
    item = report.files.get()
    stored = bucket_bytes(on_s3, f"private/{item.file.name}")
    assert stored.startswith(b"%PDF")

    url = reverse("eservices_admin:file", kwargs={"pk": item.pk})
    officer = es_demo["demo_users"]["motcua"]
    client = Client()
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == stored
    assert response["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(action="eservices.download_file", username="motcua").exists()

    editor = es_demo["demo_users"]["bientap"]
    client.force_login(editor)
    assert client.get(url).status_code in (302, 403)
    outside = staff_user_factory(
        communes=[c for c in served_units() if c != report.commune][:1],
        groups=[roles.ONE_STOP_OFFICER],
    )
    client.force_login(outside)
    assert client.get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and b"PDF" not in anonymous.content


def served_units():
    from portal.core.models import AdministrativeUnit

    return list(AdministrativeUnit.objects.served())


@pytest.mark.django_db
def test_image_and_its_rendition_land_in_the_bucket(on_s3):
    from wagtail.images.models import Image as WagtailImage

    image = WagtailImage.objects.create(title="Ảnh thử", file=png_file())
    assert image.file.name.startswith("original_images/")
    assert bucket_bytes(on_s3, f"media/{image.file.name}").startswith(b"\x89PNG")
    rendition = image.get_rendition("fill-32x24")
    assert rendition.file.name.startswith("images/")
    data = bucket_bytes(on_s3, f"media/{rendition.file.name}")
    assert Image.open(io.BytesIO(data)).size == (32, 24)
    # The public address (no signature) is the bucket's, and it answers.
    assert "X-Amz-Signature" not in rendition.url
    status, body = http_get(rendition.url)
    assert status == 200 and body == data
    assert default_storage.exists(rendition.file.name)


@pytest.mark.django_db
def test_poster_zip_lands_in_the_bucket_and_downloads(
    on_s3, served_communes, staff_user_factory, django_capture_on_commit_callbacks
):
    from portal.checkpoints.models import Checkpoint, PosterExport

    commune = served_communes[0]
    for n in range(2):
        Checkpoint.objects.create(
            commune=commune, name=f"Điểm kiểm tra {n}", address="Thôn 1, xã Vĩnh Thành"
        )
    user = staff_user_factory(communes=[commune], groups=[roles.COMMUNE_STAFF])
    client = Client()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/checkpoints/exports/", {"size": "A5", "file_format": "pdf"})
    assert response.status_code == 302
    export = PosterExport.objects.get()
    assert export.status == PosterExport.Status.DONE
    stored = bucket_bytes(on_s3, f"private/{export.file.name}")
    assert len(zipfile.ZipFile(io.BytesIO(stored)).namelist()) == 2
    download = client.get(reverse("checkpoints_admin:export_download", args=[export.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == stored
    other = staff_user_factory(communes=[commune], groups=[roles.COMMUNE_STAFF])
    client.force_login(other)
    assert (
        client.get(reverse("checkpoints_admin:export_download", args=[export.pk])).status_code
        == 404
    )


def test_moto_is_reachable_only_on_the_loopback(s3_server):
    assert s3_server["endpoint"].startswith("http://127.0.0.1:")
    assert os.environ.get("S3_BUCKET", "") == ""


def test_compose_runs_object_storage_and_the_portal_keeps_no_files_on_local_volumes():
    import yaml

    root = Path(__file__).resolve().parents[2]
    compose = yaml.safe_load((root / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["minio"]["image"].startswith("minio/minio:RELEASE.")
    init = services["minio-init"]
    assert init["image"].startswith("minio/mc:RELEASE.")
    script = " ".join(init["command"])
    assert "mc mb --ignore-existing" in script
    # Anonymous read of images only; documents and private/ need the portal's keys.
    assert 'mc anonymous set download "portal/$$S3_BUCKET/media/images"' in script
    assert 'mc anonymous set download "portal/$$S3_BUCKET/media/original_images"' in script
    assert "private" not in script and "documents" not in script
    for name in ("web", "worker", "beat"):
        service = services[name]
        env = {**services["web"]["environment"], **service.get("environment", {})}
        assert env["S3_ENDPOINT_URL"].endswith("http://minio:9000}")
        assert env["S3_BUCKET"] == "${S3_BUCKET:-portal}"
        volumes = " ".join(service.get("volumes", []))
        assert "var/media" not in volumes and "var/private" not in volumes
    assert services["web"]["depends_on"]["minio-init"]["condition"] == (
        "service_completed_successfully"
    )
    nginx = (root / "deploy" / "nginx.conf").read_text()
    assert "location @object_storage_media" in nginx
    assert "rewrite ^/media/(.*)$ /portal/media/$1 break;" in nginx


@pytest.mark.django_db
def test_documents_in_the_bucket_pass_through_the_privacy_check_and_are_streamed(on_s3, settings):
    from wagtail.documents.models import Document
    from wagtail.models import Collection, CollectionViewRestriction

    # Production's nginx backend: it only ever applies to files on the local disk.
    settings.SENDFILE_BACKEND = "portal.core.sendfile_nginx"
    root = Collection.get_first_root_node()
    public = Document.objects.create(
        title="Quyết định", file=ContentFile(b"%PDF-1.4 cong khai", name="quyet-dinh.pdf")
    )
    internal = root.add_child(name="Nội bộ")
    CollectionViewRestriction.objects.create(
        collection=internal, restriction_type=CollectionViewRestriction.LOGIN
    )
    private = Document.objects.create(
        title="Nội bộ",
        collection=internal,
        file=ContentFile(b"%PDF-1.4 noi bo", name="noi-bo.pdf"),
    )
    assert bucket_bytes(on_s3, f"media/{public.file.name}") == b"%PDF-1.4 cong khai"

    response = Client().get(public.url)
    assert response.status_code == 200
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == b"%PDF-1.4 cong khai"

    anonymous = Client().get(private.url)
    assert anonymous.status_code == 302
    assert b"noi bo" not in b"".join(getattr(anonymous, "streaming_content", [anonymous.content]))
    # Nor at the bucket's own address: documents are not in the anonymous prefixes.
    assert private.url.startswith("/documents/")
    status, body = http_get(f"{on_s3['endpoint']}/{BUCKET}/media/{private.file.name}")
    assert status == 403 and b"noi bo" not in body


def test_the_buckets_files_are_archived_and_restored(on_s3, tmp_path):
    """scripts/backup and scripts/restore with S3_BUCKET: every file of both storages goes into
    an archive and comes back, byte for byte, into an emptied bucket."""
    from django.core.management import call_command

    names = [
        private_storage.save("dossiers/2026/12/don.pdf", ContentFile(b"%PDF-1.4 don")),
        private_storage.save("drafts/abc/anh.jpg", ContentFile(b"\xff\xd8\xff anh")),
    ]
    archive = tmp_path / "private.tar.gz"
    exported = io.StringIO()
    call_command("storage_archive", "export", "private", str(archive), stdout=exported)
    # Every private file of the bucket (other tests of this module leave theirs there too).
    count = exported.getvalue().split()[0]
    assert int(count) >= 2
    for name in names:
        private_storage.delete(name)
    leftover = private_storage.save("dossiers/not-in-backup.pdf", ContentFile(b"x"))

    out = io.StringIO()
    call_command("storage_archive", "import", "private", str(archive), "--replace", stdout=out)
    assert out.getvalue().startswith(f"{count} tệp")
    assert bucket_bytes(on_s3, f"private/{names[0]}") == b"%PDF-1.4 don"
    assert bucket_bytes(on_s3, f"private/{names[1]}") == b"\xff\xd8\xff anh"
    assert not private_storage.exists(leftover)


def test_an_archive_with_a_path_outside_its_folder_restores_nothing(on_s3, tmp_path):
    import tarfile

    from django.core.management import CommandError, call_command

    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("../etc/passwd")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(CommandError):
        call_command("storage_archive", "import", "private", str(archive), stdout=io.StringIO())
    assert not private_storage.exists("etc/passwd")
