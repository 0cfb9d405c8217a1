"""deploy/nginx.conf, run by a real nginx on loopback in front of the test portal: HTTPS on 443
with the documented certificate path, HTTP redirected unless a TLS terminator in front already
said https (its X-Forwarded-Proto is kept), and documents only through Django, which checks their
collection's privacy and hands the bytes to nginx with X-Accel-Redirect."""

import http.client
import os
import shutil
import ssl
import subprocess
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from bench.lib import free_port
from tests.conftest import manage_in_production, need_service

ROOT = Path(__file__).resolve().parents[2]
HOST = "vinhloc.thanhhoa.gov.vn"
PUBLIC_BYTES = b"%PDF-1.4 public bulletin"
PRIVATE_BYTES = b"%PDF-1.4 internal minutes, staff only"


def _nginx_binary():
    path = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if not path:
        need_service("nginx is not installed (apt-get install nginx)")
    return path


def loopback_conf(tmp: Path, upstream_port: int, http_port: int, https_port: int, media: str):
    """deploy/nginx.conf with only addresses and paths replaced, as bench/bench_pages.py does."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    replacements = [
        ("server web:8000;", f"server 127.0.0.1:{upstream_port};"),
        ("listen 80 default_server;", f"listen 127.0.0.1:{http_port} default_server;"),
        ("listen 443 ssl default_server;", f"listen 127.0.0.1:{https_port} ssl default_server;"),
        ("/etc/nginx/certs/", f"{tmp / 'certs'}/"),
        ("/app/var/static/", f"{tmp / 'static'}/"),
        ("/app/var/media/", f"{media.rstrip('/')}/"),
        ("/var/cache/nginx/portal", str(tmp / "nginx-cache")),
        ("pid /tmp/nginx.pid;", f"pid {tmp / 'nginx.pid'};"),
        ("access_log /dev/stdout", f"access_log {tmp / 'nginx-access.log'}"),
        ("error_log /dev/stderr", f"error_log {tmp / 'nginx-error.log'}"),
    ]
    for old, new in replacements:
        assert old in conf, f"deploy/nginx.conf changed: {old!r} not found"
        conf = conf.replace(old, new)
    path = tmp / "nginx.conf"
    path.write_text(conf)
    return path


def self_signed_certificate(folder: Path):
    if not shutil.which("openssl"):
        need_service("openssl is not installed")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", f"/CN={HOST}", "-keyout", str(folder / "privkey.pem"),
         "-out", str(folder / "fullchain.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip


@pytest.fixture
def nginx(live_server, settings, tmp_path):
    """nginx with deploy/nginx.conf in front of the live test portal."""
    binary = _nginx_binary()
    from wagtail.utils.sendfile import _get_sendfile

    # Production's settings for documents and HTTPS (production.py), on the test portal.
    settings.SENDFILE_BACKEND = "portal.core.sendfile_nginx"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    _get_sendfile.clear()
    self_signed_certificate(tmp_path / "certs")
    for folder in ("static", "nginx-cache"):
        (tmp_path / folder).mkdir()
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    upstream = int(live_server.url.rsplit(":", 1)[1])
    ports = {"http": free_port(8750, 8774), "https": free_port(8775, 8799)}
    conf = loopback_conf(tmp_path, upstream, ports["http"], ports["https"], settings.MEDIA_ROOT)
    check = subprocess.run([binary, "-t", "-c", str(conf), "-p", str(tmp_path)],
                           capture_output=True, text=True)  # fmt: skip
    assert check.returncode == 0, check.stderr
    # As root, workers would run as "nobody", who cannot read pytest's private folders.
    directives = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
    process = subprocess.Popen(
        [binary, "-c", str(conf), "-p", str(tmp_path), "-g", directives],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", ports["https"], timeout=1).connect()
            break
        except OSError:
            time.sleep(0.2)
    yield ports
    process.terminate()
    process.wait(timeout=10)
    _get_sendfile.clear()


def get(ports, path, tls=True, headers=None):
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", ports["https"], context=context, timeout=20)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", ports["http"], timeout=20)
    conn.request("GET", path, headers={"Host": HOST, **(headers or {})})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


@pytest.fixture
def documents(transactional_db):
    from wagtail.documents.models import Document
    from wagtail.models import Collection, CollectionViewRestriction

    root = Collection.get_first_root_node()
    internal = root.add_child(name="Tài liệu nội bộ")
    CollectionViewRestriction.objects.create(
        collection=internal, restriction_type=CollectionViewRestriction.LOGIN
    )
    public = Document.objects.create(
        title="Bản tin", file=ContentFile(PUBLIC_BYTES, name="ban-tin.pdf"), collection=root
    )
    private = Document.objects.create(
        title="Biên bản họp",
        file=ContentFile(PRIVATE_BYTES, name="bien-ban.pdf"),
        collection=internal,
    )
    return public, private


def test_documents_are_sent_by_nginx_only_after_django_allowed_them(nginx, documents):
    public, private = documents
    status, headers, body = get(nginx, public.url)
    assert status == 200 and body == PUBLIC_BYTES
    assert headers["content-type"] == "application/pdf"
    assert "ban-tin.pdf" in headers["content-disposition"]
    assert "x-accel-redirect" not in headers  # nginx acted on it

    status, headers, body = get(nginx, private.url)
    assert status == 302 and "/login/" in headers["location"]
    assert PRIVATE_BYTES not in body

    # Neither file from the media folder directly, nor from the internal location.
    for document in (public, private):
        assert get(nginx, f"/media/{document.file.name}")[0] == 404
        assert get(nginx, f"/_protected/media/{document.file.name}")[0] == 404


def test_https_is_served_and_http_redirected_except_behind_a_tls_terminator(nginx):
    status, headers, _ = get(nginx, "/bao-ve-du-lieu-ca-nhan/")
    assert status == 200

    status, headers, _ = get(nginx, "/bao-ve-du-lieu-ca-nhan/", tls=False)
    assert status == 301 and headers["location"] == f"https://{HOST}/bao-ve-du-lieu-ca-nhan/"

    # A load balancer that terminated TLS says so: the page is served, not redirected again.
    behind = {"X-Forwarded-Proto": "https"}
    status, _, _ = get(nginx, "/bao-ve-du-lieu-ca-nhan/", tls=False, headers=behind)
    assert status == 200

    # Container probes reach the health check over plain HTTP.
    assert get(nginx, "/healthz", tls=False)[0] == 200


def test_django_answers_documents_with_x_accel_redirect_in_production(client, settings, documents):
    from wagtail.utils.sendfile import _get_sendfile

    code = "from django.conf import settings as s; print(s.SENDFILE_BACKEND)"
    result = manage_in_production("shell", "--no-imports", "-c", code)
    assert result.stdout.split() == ["portal.core.sendfile_nginx"], result.stderr
    settings.SENDFILE_BACKEND = "portal.core.sendfile_nginx"
    _get_sendfile.clear()
    try:
        public, private = documents
        response = client.get(public.url)
        assert response.status_code == 200
        assert response["X-Accel-Redirect"] == f"/_protected/media/{public.file.name}"
        assert response.content == b""
        refused = client.get(private.url)
        assert refused.status_code == 302 and not refused.has_header("X-Accel-Redirect")
    finally:
        _get_sendfile.clear()
