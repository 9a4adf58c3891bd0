"""Pages of the core that answer questions of the seed (see docs/traceability.md)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from pmo.core import services
from pmo.core.models import Stage
from tests.core.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_dashboard_shows_projects_off_track_or_at_risk(client_for):
    """是否存在隐患需要重点关注? — the executive dashboard lists the projects at risk."""
    red = ProjectFactory(name="数据中台建设", name_en="Data platform")
    amber = ProjectFactory(name="供应链协同", name_en="Supply chain collaboration")
    green = ProjectFactory(name="办公自动化", name_en="Office automation")
    for project, health in ((red, "red"), (amber, "amber"), (green, "green")):
        services.project_summary_update(project=project, health=health)
    response = client_for("executive").get(reverse("core:dashboard"))
    attention = response.content.decode().split('data-testid="attention"')[1]
    assert "数据中台建设" in attention and "供应链协同" in attention
    assert "办公自动化" not in attention
    assert response.context["totals"]["red"] == 1 and response.context["totals"]["amber"] == 1


def test_cockpit_flags_stale_status_and_missing_data(client_for):
    """数据是否精准反映项目实际进展? — the cockpit names projects whose data is stale or missing."""
    today = timezone.localdate()
    fresh = ProjectFactory(name="新鲜项目")
    stale = ProjectFactory(name="过期项目")
    services.project_summary_update(project=fresh, last_status_date=today)
    services.project_summary_update(project=stale, last_status_date=today - dt.timedelta(days=30))
    ProjectFactory(name="无经理项目", manager=None, stage=Stage.PROPOSED)
    client = client_for("pmo")
    html = client.get(reverse("core:cockpit")).content.decode()
    assert 'data-testid="tile-stale"' in html and 'data-testid="data-quality"' in html
    # The same tiles alone, as the cockpit's htmx refresh fetches them.
    stale_html = client.get(
        reverse("core:dashboard_tile", args=["pmo", "stale"]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "过期项目" in stale_html and "新鲜项目" not in stale_html
    quality_html = client.get(
        reverse("core:dashboard_tile", args=["pmo", "quality"]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert re.search(r"(?:Without a project manager|缺少项目经理)<span[^>]*>1<", quality_html)
