"""Fixtures of the culture tests: files go to a temporary folder; the ``member`` and
``pm`` work in one department under a division, the ``pmo`` elsewhere."""

import pytest


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PMO_PRIVATE_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return settings.PMO_PRIVATE_ROOT
