"""What the standards add to shared screens, and the registry slots other apps fill:
global search, the PMO cockpit tile, the tiles of the adoption and process pages."""

import pytest
from django.urls import reverse

from pmo.core.registry import DashboardWidget, registry
from standards import services
from tests.standards.factories import TemplateFactory

pytestmark = pytest.mark.django_db

SEEN: list = []


def slot_tile(request, filters):
    """A tile as knowledge, delivery or talent would register it."""
    SEEN.append(filters)
    return "<p data-testid='slot-tile'>linked articles</p>"


@pytest.fixture
def tiles():
    SEEN.clear()
    for slot in ("standards_adoption", "standards_process"):
        registry.add_widget(
            DashboardWidget(
                key=f"test_{slot}",
                dashboard=slot,
                label="Tile",
                render="tests.standards.test_registry.slot_tile",
            )
        )
    yield SEEN
    for slot in ("standards_adoption", "standards_process"):
        registry.widgets.pop(f"test_{slot}", None)


def test_search_finds_published_processes_and_templates(client_for, version):
    TemplateFactory(code="T-CHARTER", name="项目章程模板")
    client = client_for("member")
    html = client.get(reverse("core:search"), {"q": "立项管理"}).content.decode()
    assert "P-INIT" in html
    html = client.get(reverse("core:search"), {"q": "章程"}).content.decode()
    assert "T-CHARTER" in html


def test_drafts_are_found_only_by_the_pmo(client_for, pmo_user):
    from tests.standards.factories import published_methodology

    published_methodology(status="draft")
    assert (
        "P-INIT"
        not in client_for("member").get(reverse("core:search"), {"q": "立项管理"}).content.decode()
    )
    assert (
        "P-INIT"
        in client_for("pmo").get(reverse("core:search"), {"q": "立项管理"}).content.decode()
    )


def test_the_cockpit_shows_what_waits_for_the_pmo(client_for, pm_user, project, version):
    services.project_methodology_assign(project=project, version=version, actor=pm_user)
    optional = version.deliverables.get(code="D1-2")
    services.tailoring_request_submit(
        project=project, deliverables=[optional], reason="理由", actor=pm_user
    )
    client = client_for("pmo")
    # The cockpit renders the tile in its own response; the tile's URL serves it alone.
    for url in (reverse("core:cockpit"), reverse("standards:pmo_queue")):
        html = client.get(url).content.decode()
        assert 'data-testid="widget-standards"' in html
        assert project.code in html


def test_other_apps_tiles_appear_on_the_adoption_and_process_pages(client_for, tiles, version):
    client = client_for("pmo")
    from tests.core.factories import OrgUnitFactory

    unit = OrgUnitFactory()
    html = client.get(reverse("standards:adoption") + f"?unit={unit.pk}").content.decode()
    assert "data-testid='slot-tile'" in html
    process = version.processes.get(code="P-INIT")
    html = client.get(reverse("standards:process_detail", args=[process.pk])).content.decode()
    assert "data-testid='slot-tile'" in html
    assert tiles == [{"unit": unit}, {"process": process}]
