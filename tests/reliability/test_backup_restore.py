"""Backup and restore: dump, wipe, restore, same data.

The backup is made from the test database; the restore goes into a database made empty
for it (the "wiped" server) by ``manage.py pmo_restore`` in a subprocess, as an
operator runs it. Row counts and checksums of the key tables, and the private files,
must come back identical.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from pmo.core import roles
from pmo.reports.models import ReportRun
from tests.core.factories import PersonFactory, ProjectFactory, UserFactory
from tests.reliability.servers import BASE_DIR, app_env, shared_test_database_url

pytestmark = pytest.mark.reliability

KEY_TABLES = ("auth_user", "core_person", "core_project", "reports_reportrun", "django_migrations")


def table_fingerprints(url: str) -> dict[str, tuple[int, str]]:
    """(row count, MD5 of every row in id order) of each key table."""
    found = {}
    with psycopg.connect(url) as db:
        for table in KEY_TABLES:
            count, digest = db.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) "  # noqa: S608
                f"FROM {table} t"
            ).fetchone()
            found[table] = (count, digest)
    return found


def file_checksums(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def empty_database():
    """A new empty database on the test server, dropped at the end."""
    name = f"pmo_rel_restore_{uuid.uuid4().hex[:8]}"
    server = shared_test_database_url().rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def seeded(transactional_db, settings, tmp_path):
    settings.PMO_PRIVATE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    user = UserFactory(username="rel-pmo", groups=[roles.PMO_STAFF])
    PersonFactory(user=user, name="备份 管理员")
    for number in range(5):
        ProjectFactory(code=f"BAK-{number}", name=f"备份项目{number}", name_en=f"Backup {number}")
    run = ReportRun.objects.create(
        kind="portfolio_status",
        period_label="2026-W48",
        period_start="2026-11-23",
        period_end="2026-11-29",
        language="zh-hans",
        params_hash="x" * 64,
        status=ReportRun.Status.DONE,
    )
    run.file.save("portfolio.pdf", ContentFile(b"%PDF-1.7 archived report"), save=True)
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "logo.txt").write_text("媒体文件")
    return tmp_path


def restore(archive: Path, database_url: str, tmp_path: Path, *extra: str):
    env = app_env(
        tmp_path,
        DATABASE_URL=database_url,
        PMO_VAR_DIR=str(tmp_path / "restored-var"),
        PMO_PRIVATE_ROOT=str(tmp_path / "restored-private"),
    )
    return subprocess.run(
        [sys.executable, "manage.py", "pmo_restore", str(archive), *extra],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_backup_wipe_and_restore_give_back_the_same_data(seeded, empty_database, tmp_path):
    archive = tmp_path / "pmo-backup.tar.gz"
    call_command("pmo_backup", str(archive))

    with tarfile.open(archive) as opened:
        manifest = json.loads(opened.extractfile("manifest.json").read())
    assert manifest["engine"] == "postgresql"
    assert ["reports", "0003_delivery_outcome_unknown"] in manifest["migrations"]
    assert set(manifest["checksums"]) >= {"database.dump", "files/media/logo.txt"}

    refused = restore(archive, empty_database, tmp_path)
    assert refused.returncode != 0
    assert "--yes" in refused.stderr

    done = restore(archive, empty_database, tmp_path, "--yes")
    assert done.returncode == 0, done.stderr

    assert table_fingerprints(empty_database) == table_fingerprints(shared_test_database_url())
    assert table_fingerprints(empty_database)["core_project"][0] == 5
    assert file_checksums(tmp_path / "restored-private") == file_checksums(tmp_path / "private")
    assert file_checksums(tmp_path / "restored-var" / "media") == file_checksums(tmp_path / "media")


def test_a_backup_of_another_migration_state_is_refused(seeded, tmp_path):
    archive = tmp_path / "pmo-backup.tar.gz"
    call_command("pmo_backup", str(archive))
    with tarfile.open(archive) as opened:
        members = {m.name: opened.extractfile(m).read() for m in opened.getmembers()}
    manifest = json.loads(members["manifest.json"])
    manifest["migrations"].append(["reports", "9999_from_a_later_version"])
    members["manifest.json"] = json.dumps(manifest).encode()
    later = tmp_path / "later.tar.gz"
    with tarfile.open(later, "w:gz") as rewritten:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            rewritten.addfile(info, io.BytesIO(data))

    # The message is in the active language (Chinese by default).
    with pytest.raises(CommandError, match="another migration state|不同的迁移状态"):
        call_command("pmo_restore", str(later), "--yes")
    assert ReportRun.objects.count() == 1  # nothing was touched
