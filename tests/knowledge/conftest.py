"""Fixtures of the knowledge tests: files go to a temporary private folder."""

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


@pytest.fixture
def client_for(client_for):
    """The role clients of tests/conftest.py, asking for English pages."""

    def make(role: str):
        client = client_for(role)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make
