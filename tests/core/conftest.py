"""Fixtures shared by the import tests.

None of them is autouse: most core tests read Chinese pages and use the real media
settings, so a module asks for these with ``pytest.mark.usefixtures`` or by argument.
"""

import pytest


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


# The three administrator duties; each holds that duty alone, as the separation asks.
@pytest.fixture
def sysadmin_user(db):
    from pmo.core import roles
    from tests.core.factories import UserFactory

    return UserFactory(username="sysadmin", groups=[roles.SYS_ADMIN])


@pytest.fixture
def secadmin_user(db):
    from pmo.core import roles
    from tests.core.factories import UserFactory

    return UserFactory(username="secadmin", groups=[roles.SECURITY_ADMIN])


@pytest.fixture
def auditor_user(db):
    from pmo.core import roles
    from tests.core.factories import UserFactory

    return UserFactory(username="auditor", groups=[roles.AUDITOR])
