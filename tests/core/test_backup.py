"""scripts/backup and scripts/restore: a backup restored into a fresh PostgreSQL database has the
same rows in every table, and the same media and private files."""

import os
import secrets
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile

from tests.conftest import database_url_for_subprocess

ROOT = Path(__file__).resolve().parents[2]


def table_counts(url: str) -> dict:
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def files(root: Path) -> dict:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture
def fresh_database(postgres):
    settings_dict = postgres.settings_dict
    host, port = settings_dict.get("HOST") or "127.0.0.1", settings_dict.get("PORT") or 5432
    user = settings_dict.get("USER") or "postgres"
    name = f"ops_restore_{secrets.token_hex(4)}"
    admin = f"postgresql://{user}@{host}:{port}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{user}@{host}:{port}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(script, *args, env):
    result = subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


@pytest.mark.postgres
@pytest.mark.slow
def test_backup_restores_into_a_fresh_database_with_the_same_counts(
    transactional_db, demo, fresh_database, tmp_path, settings
):
    from portal.core.storage import PrivateStorage

    media, private = Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)
    (media / "images").mkdir(parents=True, exist_ok=True)
    (media / "images" / "loa-phat-thanh.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    PrivateStorage().save("dossiers/VL-250801-0001/can-cuoc.pdf", ContentFile(b"%PDF-1.4 ..."))
    source = database_url_for_subprocess()
    env = {
        **os.environ,
        "DATABASE_URL": source,
        "MEDIA_ROOT": str(media),
        "PRIVATE_MEDIA_ROOT": str(private),
    }
    backup = Path(run("backup", str(tmp_path / "backups"), env=env))
    assert sorted(p.name for p in backup.iterdir()) == [
        "SHA256SUMS", "database.dump", "media.tar.gz", "private.tar.gz"
    ]  # fmt: skip
    assert oct(backup.stat().st_mode & 0o777) == "0o700"

    restored_media, restored_private = tmp_path / "r-media", tmp_path / "r-private"
    restored_media.mkdir()
    (restored_media / "stale.txt").write_text("replaced by the restore")
    env_restore = {
        **env,
        "DATABASE_URL": fresh_database,
        "MEDIA_ROOT": str(restored_media),
        "PRIVATE_MEDIA_ROOT": str(restored_private),
    }
    run("restore", str(backup), "--yes", env=env_restore)

    before, after = table_counts(source), table_counts(fresh_database)
    assert after == before
    assert before["wagtailcore_page"] > 1 and before["core_administrativeunit"] > 0
    assert files(restored_media) == files(media)
    assert files(restored_private) == files(private)


def test_restore_refuses_without_confirmation(tmp_path):
    result = subprocess.run(
        [str(ROOT / "scripts" / "restore"), str(tmp_path)],
        env={**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"},
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 2 and "--yes" in result.stderr


def test_restore_refuses_a_corrupted_backup(tmp_path):
    backup = tmp_path / "portal-20250801-000000"
    backup.mkdir()
    for name in ("database.dump", "media.tar.gz", "private.tar.gz"):
        (backup / name).write_bytes(b"original")
    subprocess.run(
        "sha256sum database.dump media.tar.gz private.tar.gz > SHA256SUMS",
        shell=True, cwd=backup, check=True,
    )  # fmt: skip
    (backup / "database.dump").write_bytes(b"tampered")
    result = subprocess.run(
        [str(ROOT / "scripts" / "restore"), str(backup), "--yes"],
        env={**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"},
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode != 0
    assert "FAILED" in result.stdout + result.stderr
