"""``manage.py pmo_restore FILE --yes``: put back a ``pmo_backup`` archive."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pmo.core.backup import BackupError, backup_restore, folders


class Command(BaseCommand):
    help = (
        "Restore a pmo_backup archive: replaces every row of the database and the private "
        "and media files. Refuses an archive of another migration state."
    )
    # The database may be empty (a new server) until the restore is done.
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the archive made by pmo_backup")
        parser.add_argument(
            "--yes", action="store_true", help="confirm that the current data is replaced"
        )

    def handle(self, *args, file: Path, yes: bool, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        if not yes:
            places = ", ".join(str(p) for p in folders().values())
            raise CommandError(
                f"This replaces all data of database {settings.DATABASES['default']['NAME']} "
                f"and the files in {places} with the backup's. Run again with --yes to go on."
            )
        try:
            manifest = backup_restore(path=file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} (version {manifest['version']}, "
            f"{len(manifest['checksums']) - 1} files)."
        )
