"""Fixtures shared by the import tests.

None of them is autouse: most core tests read Chinese pages and use the real media
settings, so a module asks for these with ``pytest.mark.usefixtures`` or by argument.
"""

import pytest
from django.utils import translation


@pytest.fixture
def private_media(settings, tmp_path):
    """Kept import files go to this test's own folder, not the shared media root."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def english():
    """Assertions read English messages, whatever translations are compiled."""
    with translation.override("en"):
        yield


@pytest.fixture
def pmo(client_for):
    """A PMO staff client whose pages come back in English."""
    client = client_for("pmo")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
