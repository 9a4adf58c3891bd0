"""Uploaded and generated files live outside the web root and no URL serves them directly.

Evidence, templates, imports, archive scans and report PDFs are handed out by views
that check permissions first (their rows are in the areas' permission matrices); here
we prove there is no other way to them.
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.urls import Resolver404, resolve


def _static_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT)] + [Path(folder) for folder in settings.STATICFILES_DIRS]
    return [root.resolve() for root in roots]


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def test_file_folders_are_not_static_folders():
    for stored in (Path(settings.MEDIA_ROOT), Path(settings.PMO_PRIVATE_ROOT)):
        for static in _static_roots():
            assert not _inside(stored.resolve(), static), (stored, static)
            assert not _inside(static, stored.resolve()), (stored, static)


def test_every_file_field_stores_in_the_private_file_storage():
    fields = [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    assert fields, "the project has upload fields"
    for model, field in fields:
        location = Path(field.storage.location).resolve()
        assert any(
            _inside(location, Path(root).resolve())
            for root in (settings.MEDIA_ROOT, settings.PMO_PRIVATE_ROOT)
        ), (model.__name__, field.name, location)


@pytest.mark.django_db
def test_no_url_serves_stored_files(pmo, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    name = default_storage.save("imports/secret.csv", ContentFile(b"code,name\n1,x\n"))
    for prefix in (settings.MEDIA_URL or "/files/", "/files/", "/media/", "/static/"):
        path = f"/{prefix.strip('/')}/{name}"
        with pytest.raises(Resolver404):
            resolve(path)
        assert pmo.get(path).status_code == 404, path
