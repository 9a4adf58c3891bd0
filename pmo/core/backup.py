"""Backup and restore of the whole application: the database and the private files.

One archive (``.tar.gz``) holds:

* ``database.dump`` — ``pg_dump -Fc`` of PostgreSQL, or ``database.sqlite3`` — a copy
  made with SQLite's online backup API;
* ``files/private/…`` and ``files/media/…`` — ``PMO_PRIVATE_ROOT`` (report PDFs,
  archived records, uploads) and ``MEDIA_ROOT``;
* ``manifest.json`` — the application version, the database engine, the applied
  migrations and the SHA-256 of every other member.

A restore checks the checksums and that the archive's migrations are exactly the ones
this version of the application has, then replaces the database (``pg_restore --clean
--if-exists``) and the two folders. The commands are ``manage.py pmo_backup`` and
``manage.py pmo_restore``; ``docs/operations.md`` explains their use.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The archive cannot be made or restored; the message says why."""


def app_version() -> str:
    with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def folders() -> dict[str, Path]:
    """The folders saved with the database, by their name in the archive."""
    return {"private": Path(settings.PMO_PRIVATE_ROOT), "media": Path(settings.MEDIA_ROOT)}


def code_migrations() -> list[list[str]]:
    """Every migration this version of the application has (app label, name)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted([app, name] for app, name in loader.graph.nodes)


def applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _pg_tool(name: str) -> str:
    """The client of the server's major version when installed (pg_dump refuses a newer
    server), else the one on the PATH."""
    major = connection.pg_version // 10000
    matching = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    if matching.exists():
        return str(matching)
    found = shutil.which(name)
    if not found:
        raise BackupError(_("%(tool)s is not installed.") % {"tool": name})
    return found


def _pg_arguments() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    arguments = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        arguments += ["--host", db["HOST"]]
    if db.get("PORT"):
        arguments += ["--port", str(db["PORT"])]
    if db.get("USER"):
        arguments += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return arguments, env


def _run(command: list[str], env: dict[str, str]) -> None:
    # The command is one of our PostgreSQL clients with arguments from the settings.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode:
        raise BackupError(f"{Path(command[0]).name}: {result.stderr.strip()[-2000:]}")


def _dump_database(folder: Path) -> str:
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        arguments, env = _pg_arguments()
        target = folder / PG_DUMP
        _run([_pg_tool("pg_dump"), "--format=custom", "--file", str(target), *arguments], env)
        return PG_DUMP
    if connection.vendor == "sqlite":
        target = folder / SQLITE_COPY
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        return SQLITE_COPY
    raise BackupError(_("Only PostgreSQL and SQLite databases are backed up."))


def backup_create(*, path: Path) -> dict:
    """Write the archive to ``path`` (atomically); returns its manifest."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="pmo-backup-") as scratch:
        scratch = Path(scratch)
        members: dict[str, Path] = {}
        name = _dump_database(scratch)
        members[name] = scratch / name
        for label, root in folders().items():
            if root.is_dir():
                for file in sorted(p for p in root.rglob("*") if p.is_file()):
                    relative = file.relative_to(root).as_posix()
                    members[f"files/{label}/{relative}"] = file
        manifest = {
            "format": FORMAT,
            "application": "pmo",
            "version": app_version(),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "engine": connection.vendor,
            "database": name,
            "migrations": applied_migrations(),
            "checksums": {member: _sha256(file) for member, file in members.items()},
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
            for member, file in members.items():
                archive.add(file, arcname=member, recursive=False)
        partial.replace(path)
    return manifest


def _safe_member(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and ".." not in parts and not PurePosixPath(name).is_absolute()


def backup_read(*, path: Path, folder: Path) -> dict:
    """Unpack the archive into ``folder`` and check it; returns its manifest."""
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 (closed by the with below)
    except (OSError, tarfile.TarError) as error:
        raise BackupError(
            _("This file is not a PMO backup: %(error)s") % {"error": error}
        ) from error
    with archive:
        try:
            manifest = json.loads(archive.extractfile(MANIFEST).read())
        except (KeyError, AttributeError, ValueError) as error:
            raise BackupError(_("This file is not a PMO backup (no manifest).")) from error
        checksums = manifest.get("checksums", {})
        for member in archive.getmembers():
            if member.name == MANIFEST:
                continue
            if not member.isfile() or not _safe_member(member.name) or member.name not in checksums:
                raise BackupError(
                    _("The backup holds an unexpected entry: %(name)s") % {"name": member.name}
                )
        archive.extractall(folder, filter="data")
    for member, expected in checksums.items():
        file = folder / member
        if not file.is_file() or _sha256(file) != expected:
            raise BackupError(
                _("The backup is damaged: %(name)s does not match its checksum.") % {"name": member}
            )
    return manifest


def migration_difference(manifest: dict) -> tuple[list[str], list[str]]:
    """(migrations only in the backup, migrations only in this application)."""
    saved = {tuple(m) for m in manifest.get("migrations", [])}
    here = {tuple(m) for m in code_migrations()}
    return sorted(".".join(m) for m in saved - here), sorted(".".join(m) for m in here - saved)


def _restore_database(manifest: dict, folder: Path) -> None:
    if manifest.get("engine") != connection.vendor:
        raise BackupError(
            _("The backup is of a %(saved)s database; this application uses %(here)s.")
            % {"saved": manifest.get("engine"), "here": connection.vendor}
        )
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        arguments, env = _pg_arguments()
        connections.close_all()
        command = [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner"]
        command += ["--single-transaction", "--exit-on-error", *arguments]
        _run([*command, str(folder / PG_DUMP)], env)
        return
    connections.close_all()
    with (
        sqlite3.connect(folder / SQLITE_COPY) as source,
        sqlite3.connect(settings.DATABASES["default"]["NAME"]) as target,
    ):
        source.backup(target)


def _restore_folders(folder: Path) -> None:
    for label, root in folders().items():
        unpacked = folder / "files" / label
        if root.exists():
            shutil.rmtree(root)
        root.parent.mkdir(parents=True, exist_ok=True)
        if unpacked.is_dir():
            shutil.copytree(unpacked, root)
        else:
            root.mkdir()


def backup_restore(*, path: Path) -> dict:
    """Replace the database and the private files with the archive's; returns its
    manifest. Refuses an archive of another migration state or a damaged one."""
    with tempfile.TemporaryDirectory(prefix="pmo-restore-") as scratch:
        scratch = Path(scratch)
        manifest = backup_read(path=path, folder=scratch)
        only_saved, only_here = migration_difference(manifest)
        if only_saved or only_here:
            raise BackupError(
                _(
                    "This backup was made by version %(version)s at another migration state "
                    "(%(saved)s only in the backup, %(here)s only in this application, e.g. "
                    "%(example)s). Restore it with the version that made it, then upgrade."
                )
                % {
                    "version": manifest.get("version", "?"),
                    "saved": len(only_saved),
                    "here": len(only_here),
                    "example": (only_saved or only_here)[0],
                }
            )
        _restore_database(manifest, scratch)
        _restore_folders(scratch)
    return manifest
