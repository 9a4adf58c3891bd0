"""Where report files live: a folder that no URL serves.

Files are read only through the permission-checked download view, so the storage has
no base URL. The folder is ``PMO_PRIVATE_ROOT`` (default ``<var>/private``), read at
use rather than at import so that tests can point it at a temporary folder.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_root() -> str:
    default = Path(getattr(settings, "VAR_DIR", settings.BASE_DIR / "var")) / "private"
    return str(getattr(settings, "PMO_PRIVATE_ROOT", default))


class PrivateStorage(FileSystemStorage):
    """A file system storage without URLs whose folder follows the settings."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        return private_root()

    @property
    def location(self) -> str:
        return str(Path(private_root()).resolve())

    def url(self, name):
        raise ValueError("Private files have no URL; use the download view.")


def private_storage() -> PrivateStorage:
    """The storage callable named by FileFields (kept out of migrations' state)."""
    return PrivateStorage()
