import pytest
from django.urls import reverse

from tests.talent.urls_table import URLS


@pytest.mark.parametrize("name,args,allowed,method", [u for u in URLS if u[3] == "get"])
def test_every_page_renders_for_the_pmo(client_for, world, name, args, allowed, method):
    client = client_for("pmo")
    response = client.get(reverse(f"talent:{name}", args=args(world)))
    assert response.status_code == (200 if "pmo" in allowed else 403), name
