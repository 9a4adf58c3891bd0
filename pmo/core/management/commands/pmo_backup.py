"""``manage.py pmo_backup FILE``: the database and the private files in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pmo.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's backup API) and the private and media "
        "files into one .tar.gz archive with a manifest of versions and checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the archive to write (.tar.gz)")

    def handle(self, *args, file: Path, **options):
        try:
            manifest = backup_create(path=file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up {manifest['engine']} database, {len(manifest['checksums']) - 1} files "
            f"and {len(manifest['migrations'])} migrations to {file}"
        )
