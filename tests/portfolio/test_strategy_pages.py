"""What users see and do on the strategy pages: the objective tree, the alignment matrix,
portfolios and candidate intake, the project's Strategy tab."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pmo.core.models import SecurityEvent, Stage
from portfolio.models import Objective, ObjectiveLink, Portfolio, PortfolioItem
from tests.core.factories import OrgUnitFactory, ProjectFactory
from tests.portfolio.factories import (
    ObjectiveFactory,
    ObjectiveLinkFactory,
    PortfolioFactory,
    PortfolioItemFactory,
    StrategicThemeFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def as_role(client_for):
    def make(role):
        client = client_for(role)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


@pytest.fixture
def strategy():
    """Two themes; one key objective served by two projects, one unserved objective."""
    digital = StrategicThemeFactory(code="T-DIG", name="数字化转型", name_en="Digital")
    market = StrategicThemeFactory(code="T-MKT", name="市场拓展", name_en="Markets")
    cloud = ObjectiveFactory(
        code="SO-CLOUD",
        theme=digital,
        name="核心系统上云",
        name_en="Core systems in the cloud",
        weight=Decimal(20),
        is_key=True,
    )
    data = ObjectiveFactory(
        code="SO-DATA", theme=digital, name="数据驱动", name_en="Data-driven", weight=Decimal(10)
    )
    overseas = ObjectiveFactory(
        code="SO-OVERSEAS", theme=market, name="海外收入", name_en="Overseas revenue"
    )
    erp = ProjectFactory(code="P-ERP", name="ERP升级", name_en="ERP upgrade", stage=Stage.ACTIVE)
    bi = ProjectFactory(code="P-BI", name="BI报表", name_en="BI reports", stage=Stage.ACTIVE)
    idle = ProjectFactory(code="P-IDLE", name="闲置项目", name_en="Idle", stage=Stage.ACTIVE)
    ObjectiveLinkFactory(objective=cloud, project=erp, contribution=60)
    ObjectiveLinkFactory(objective=cloud, project=bi, contribution=10)
    ObjectiveLinkFactory(objective=data, project=bi, contribution=50)
    return {
        "cloud": cloud,
        "data": data,
        "overseas": overseas,
        "erp": erp,
        "bi": bi,
        "idle": idle,
    }


# --- the objective tree ------------------------------------------------------------------


def test_strategy_page_shows_themes_objectives_and_flags_the_unserved(as_role, strategy):
    child = ObjectiveFactory(
        code="SO-CLOUD-1", theme=strategy["cloud"].theme, parent=strategy["cloud"]
    )
    response = as_role("member").get(reverse("portfolio:strategy"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Digital" in html and "Markets" in html
    assert html.index("SO-CLOUD") < html.index(child.code)
    assert 'data-testid="unserved-count">2<' in html  # SO-OVERSEAS and the new child
    overseas_row = html[html.index('data-objective="SO-OVERSEAS"') :][:3000]
    assert "No open project serves this objective." in overseas_row
    erp_row = html[html.index('data-objective="SO-CLOUD"') :][:3000]
    assert "70%" in erp_row  # coverage 60 + 10


def test_strategy_page_filters_unserved_and_key_objectives(as_role, strategy):
    client = as_role("pmo")
    unserved = client.get(reverse("portfolio:strategy"), {"unserved": "1"}).content.decode()
    assert 'data-objective="SO-OVERSEAS"' in unserved
    assert 'data-objective="SO-CLOUD"' not in unserved
    key = client.get(reverse("portfolio:strategy"), {"key": "1"}).content.decode()
    assert 'data-objective="SO-CLOUD"' in key and 'data-objective="SO-DATA"' not in key


def test_strategy_page_without_objectives_says_what_to_do(as_role):
    html = as_role("pmo").get(reverse("portfolio:strategy")).content.decode()
    assert "No strategy has been recorded yet." in html
    assert reverse("portfolio:theme_create") in html


def test_pmo_creates_a_theme_and_an_objective(as_role):
    client = as_role("pmo")
    response = client.post(
        reverse("portfolio:theme_create"),
        {
            "code": "T-ESG",
            "name": "绿色低碳",
            "name_en": "Green",
            "sort_order": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    theme_pk = response["Location"].split("theme=")[1]
    response = client.post(
        reverse("portfolio:objective_create"),
        {
            "code": "SO-CO2",
            "theme": theme_pk,
            "name": "碳排放下降30%",
            "period_start": "2026-01-01",
            "period_end": "2028-12-31",
            "kpi": "单位产值碳排放",
            "unit": "t/万元",
            "baseline": "0.85",
            "target": "0.60",
            "weight": "8",
            "status": "on_track",
            "sort_order": "0",
            "is_active": "on",
        },
    )
    objective = Objective.objects.get(code="SO-CO2")
    assert response["Location"] == objective.get_absolute_url()
    assert objective.history.first().history_user.username == "pmo"


def test_bad_objective_input_is_shown_again_and_writes_nothing(as_role, strategy):
    response = as_role("pmo").post(
        reverse("portfolio:objective_create"),
        {
            "code": "SO-BAD",
            "theme": strategy["overseas"].theme_id,
            "parent": strategy["cloud"].pk,  # another theme
            "name": "错误目标",
            "period_start": "2027-01-01",
            "period_end": "2026-01-01",
            "kpi": "x",
            "baseline": "5",
            "target": "5",
            "weight": "500",
            "status": "on_track",
            "sort_order": "0",
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "The period cannot end before it starts." in html
    assert "The parent objective must belong to the same strategic theme." in html
    assert not Objective.objects.filter(code="SO-BAD").exists()


def test_pmo_records_a_measurement_and_sees_it_in_the_history(as_role, strategy):
    client = as_role("pmo")
    objective = strategy["cloud"]
    url = reverse("portfolio:objective_measure", args=[objective.pk])
    today = timezone.localdate()
    response = client.post(url, {"actual": "40", "measured_on": today.isoformat(), "note": "季报"})
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.actual == Decimal(40)
    html = client.get(objective.get_absolute_url()).content.decode()
    assert "季报" in html and today.isoformat() in html
    assert 'data-chart="chart-trend"' in html
    future = client.post(
        url, {"actual": "50", "measured_on": (today + dt.timedelta(days=3)).isoformat()}
    )
    assert future.status_code == 422
    assert "A measurement cannot be dated in the future." in future.content.decode()
    objective.refresh_from_db()
    assert objective.actual == Decimal(40)


def test_objective_page_lists_serving_projects_and_hides_those_a_user_may_not_see(
    as_role, strategy, project
):
    ObjectiveLinkFactory(objective=strategy["cloud"], project=project, contribution=5)
    url = strategy["cloud"].get_absolute_url()
    pmo_html = as_role("pmo").get(url).content.decode()
    assert "P-ERP" in pmo_html and "P-BI" in pmo_html and project.code in pmo_html
    pm_html = as_role("pm").get(url).content.decode()
    assert project.code in pm_html and "P-ERP" not in pm_html
    assert "2 more projects that you may not see serve this objective." in pm_html


# --- links -----------------------------------------------------------------------------------


def test_pmo_links_a_project_from_its_strategy_tab_and_returns_there(as_role, strategy):
    project = strategy["idle"]
    back = f"{project.get_absolute_url()}?tab=strategy"
    client = as_role("pmo")
    response = client.post(
        reverse("portfolio:objective_link_add"),
        {
            "objective": strategy["overseas"].pk,
            "project": project.pk,
            "contribution": 25,
            "justification": "渠道建设",
            "next": back,
        },
    )
    assert response.status_code == 302 and response["Location"] == back
    assert ObjectiveLink.objects.get(project=project).contribution == 25
    tab = client.get(back).content.decode()
    assert "SO-OVERSEAS" in tab and "渠道建设" in tab


def test_a_link_beyond_100_percent_is_refused_and_writes_nothing(as_role, strategy):
    response = as_role("pmo").post(
        reverse("portfolio:objective_link_add"),
        {"objective": strategy["cloud"].pk, "project": strategy["idle"].pk, "contribution": 40},
    )
    assert response.status_code == 422
    assert "at most 30 % is left" in response.content.decode()
    assert not ObjectiveLink.objects.filter(project=strategy["idle"]).exists()


def test_an_outside_next_url_is_not_followed(as_role, strategy):
    response = as_role("pmo").post(
        reverse("portfolio:objective_link_add"),
        {
            "objective": strategy["overseas"].pk,
            "project": strategy["idle"].pk,
            "contribution": 10,
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == strategy["overseas"].get_absolute_url()


def test_pmo_removes_a_link(as_role, strategy):
    link = ObjectiveLink.objects.get(project=strategy["erp"])
    response = as_role("pmo").post(reverse("portfolio:objective_link_delete", args=[link.pk]))
    assert response["Location"] == strategy["cloud"].get_absolute_url()
    assert not ObjectiveLink.objects.filter(pk=link.pk).exists()


# --- alignment ------------------------------------------------------------------------------


def test_alignment_ranks_projects_by_strategic_impact(as_role, strategy):
    html = as_role("pmo").get(reverse("portfolio:alignment")).content.decode()
    # ERP: 20 × 60 % = 12.0; BI: 20 × 10 % + 10 × 50 % = 7.0
    assert html.index('data-project="P-ERP"') < html.index('data-project="P-BI"')
    erp = html[html.index('data-project="P-ERP"') :][:2000]
    assert 'data-testid="impact">12.0<' in erp
    bi = html[html.index('data-project="P-BI"') :][:2000]
    assert 'data-testid="impact">7.0<' in bi
    assert 'data-project="P-IDLE"' not in html
    assert 'data-testid="aligned-share">67%<' in html  # 2 of 3 open projects
    assert 'data-testid="unserved-list"' in html and "SO-OVERSEAS" in html
    assert 'data-chart="chart-impact"' in html


def test_alignment_sorts_by_impact_on_key_objectives(as_role, strategy):
    key_only = ObjectiveFactory(code="SO-KEY2", is_key=True, weight=Decimal(50))
    ObjectiveLinkFactory(objective=key_only, project=strategy["bi"], contribution=30)
    html = (
        as_role("pmo").get(reverse("portfolio:alignment"), {"sort": "key_impact"}).content.decode()
    )
    # BI: key 2 + 15 = 17 > ERP: key 12
    assert html.index('data-project="P-BI"') < html.index('data-project="P-ERP"')


def test_alignment_filters_by_theme_and_unit_and_can_show_unaligned(as_role, strategy):
    client = as_role("pmo")
    themed = client.get(
        reverse("portfolio:alignment"), {"theme": strategy["overseas"].theme_id}
    ).content.decode()
    assert 'data-objective="SO-OVERSEAS"' in themed and 'data-objective="SO-CLOUD"' not in themed
    unit = OrgUnitFactory()
    ProjectFactory(code="P-ELSEWHERE", org_unit=unit, stage=Stage.ACTIVE)
    everything = client.get(
        reverse("portfolio:alignment"), {"scope": "all", "unit": unit.pk}
    ).content.decode()
    assert 'data-project="P-ELSEWHERE"' in everything and 'data-project="P-ERP"' not in everything


def test_alignment_shows_a_user_only_the_projects_they_may_see(as_role, strategy, project):
    ObjectiveLinkFactory(objective=strategy["data"], project=project, contribution=10)
    html = as_role("pm").get(reverse("portfolio:alignment")).content.decode()
    assert f'data-project="{project.code}"' in html and 'data-project="P-ERP"' not in html


def test_alignment_export_gives_the_matrix_in_excel_and_csv(as_role, strategy):
    client = as_role("pmo")
    response = client.get(reverse("portfolio:alignment_export"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Project code" and any("SO-CLOUD" in str(h) for h in rows[0])
    assert [r[0] for r in rows[1:]] == ["P-ERP", "P-BI"]
    cloud = next(i for i, h in enumerate(rows[0]) if str(h).startswith("SO-CLOUD"))
    assert rows[1][cloud] == 60
    text = client.get(reverse("portfolio:alignment_export"), {"format": "csv"}).content
    table = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert table[1][0] == "P-ERP"
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).count() == 2
    assert client.get(reverse("portfolio:alignment_export"), {"format": "pdf"}).status_code == 404


def test_objectives_export_can_be_imported_again(as_role, strategy):
    response = as_role("pmo").get(reverse("portfolio:objective_export"), {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("Code", "Strategic theme code", "Parent objective code")
    assert {r[0] for r in rows[1:]} == {"SO-CLOUD", "SO-DATA", "SO-OVERSEAS"}


# --- portfolios -------------------------------------------------------------------------------


def test_portfolio_list_shows_demand_against_budget(as_role):
    portfolio = PortfolioFactory(code="PF-2027", budget=Decimal("10000000"))
    PortfolioItemFactory(portfolio=portfolio, cost=Decimal("8000000"))
    PortfolioItemFactory(portfolio=portfolio, cost=Decimal("4000000"))
    html = as_role("executive").get(reverse("portfolio:portfolio_list")).content.decode()
    row = html[html.index('data-portfolio="PF-2027"') :][:3000]
    assert "120%" in row and "New portfolio" not in html


def test_pmo_creates_a_portfolio_with_the_standard_scale(as_role):
    response = as_role("pmo").post(
        reverse("portfolio:portfolio_create"),
        {
            "code": "PF-2028",
            "name": "2028年投资组合",
            "budget": "80000000",
            "horizon_start": "2028-01-01",
            "horizon_end": "2028-12-31",
            "framework": "ahp",
            "status": "planning",
        },
    )
    portfolio = Portfolio.objects.get(code="PF-2028")
    assert response["Location"] == portfolio.get_absolute_url()
    assert portfolio.rating_scale.code == "impact"


def test_a_bad_portfolio_is_shown_again_and_writes_nothing(as_role):
    response = as_role("pmo").post(
        reverse("portfolio:portfolio_create"),
        {
            "code": "PF-BAD",
            "name": "错误",
            "budget": "-5",
            "horizon_start": "2028-01-01",
            "horizon_end": "2027-12-31",
            "framework": "ahp",
            "status": "planning",
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "The horizon cannot end before it starts." in html
    assert not Portfolio.objects.filter(code="PF-BAD").exists()


def test_portfolio_page_shows_candidates_and_totals_against_budget(as_role):
    portfolio = PortfolioFactory(budget=Decimal("10000000"))
    PortfolioItemFactory(
        portfolio=portfolio,
        project=ProjectFactory(code="P-A", stage=Stage.PROPOSED),
        cost=Decimal("6000000"),
        score=60,
        rank=1,
        mandate="regulatory",
    )
    PortfolioItemFactory(
        portfolio=portfolio,
        project=ProjectFactory(code="P-B", stage=Stage.APPROVED),
        cost=Decimal("2000000"),
        score=40,
        rank=2,
        decision=PortfolioItem.Decision.SELECTED,
    )
    html = as_role("pmo").get(portfolio.get_absolute_url()).content.decode()
    assert html.index('data-candidate="P-A"') < html.index('data-candidate="P-B"')
    assert "¥8,000,000" in html  # total of candidates
    assert 'data-testid="selected-cost">¥2.00M<' in html
    assert "80% of budget" in html
    assert "Regulatory" in html
    selected = as_role("pmo").get(portfolio.get_absolute_url(), {"decision": "selected"})
    assert 'data-candidate="P-A"' not in selected.content.decode()


def test_pmo_takes_in_several_candidates_at_once(as_role):
    portfolio = PortfolioFactory()
    proposed = ProjectFactory(code="P-NEW1", stage=Stage.PROPOSED)
    reviewed = ProjectFactory(code="P-NEW2", stage=Stage.UNDER_REVIEW)
    ProjectFactory(code="P-RUNNING", stage=Stage.ACTIVE)
    client = as_role("pmo")
    url = reverse("portfolio:candidate_add", args=[portfolio.pk])
    page = client.get(url).content.decode()
    assert "P-NEW1" in page and "P-NEW2" in page and "P-RUNNING" not in page
    response = client.post(url, {"projects": [proposed.pk, reviewed.pk]})
    assert response["Location"] == portfolio.get_absolute_url()
    assert set(portfolio.items.values_list("project__code", flat=True)) == {"P-NEW1", "P-NEW2"}
    again = client.get(url).content.decode()
    assert "P-NEW1" not in again


def test_intake_of_nothing_or_a_started_project_writes_nothing(as_role):
    portfolio = PortfolioFactory()
    running = ProjectFactory(stage=Stage.ACTIVE)
    client = as_role("pmo")
    url = reverse("portfolio:candidate_add", args=[portfolio.pk])
    empty = client.post(url, {})
    assert empty.status_code == 422 and "Choose at least one project." in empty.content.decode()
    crafted = client.post(url, {"projects": [running.pk]})
    assert crafted.status_code == 422
    assert not portfolio.items.exists()


def test_pmo_edits_and_removes_a_candidate(as_role):
    item = PortfolioItemFactory()
    client = as_role("pmo")
    url = reverse("portfolio:candidate_edit", args=[item.portfolio_id, item.pk])
    bad = client.post(url, {"cost": "100", "feasibility": "9", "risk": "2"})
    assert bad.status_code == 422
    response = client.post(
        url,
        {
            "cost": "2500000",
            "mandate": "committed",
            "feasibility": "3",
            "risk": "4",
            "note": "已签约",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.cost, item.mandate, item.risk) == (Decimal("2500000"), "committed", 4)
    client.post(reverse("portfolio:candidate_remove", args=[item.portfolio_id, item.pk]))
    assert not PortfolioItem.objects.exists()


def test_a_selected_candidate_is_not_removed(as_role):
    item = PortfolioItemFactory(decision=PortfolioItem.Decision.SELECTED)
    response = as_role("pmo").post(
        reverse("portfolio:candidate_remove", args=[item.portfolio_id, item.pk]), follow=True
    )
    assert "only through a new committed scenario" in response.content.decode()
    assert PortfolioItem.objects.filter(pk=item.pk).exists()


# --- the project's Strategy tab -------------------------------------------------------------


def test_strategy_tab_shows_objectives_impact_and_portfolios(as_role, strategy):
    item = PortfolioItemFactory(project=strategy["bi"], score=12.5, rank=3)
    url = f"{strategy['bi'].get_absolute_url()}?tab=strategy"
    html = as_role("pmo").get(url).content.decode()
    assert "SO-CLOUD" in html and "SO-DATA" in html
    assert 'data-testid="project-impact"' in html and "<strong>7.0</strong>" in html
    assert item.portfolio.code in html and "12.5" in html


def test_strategy_tab_hides_portfolios_from_a_project_manager(as_role, project):
    ObjectiveLinkFactory(project=project)
    item = PortfolioItemFactory(project=project)
    html = as_role("pm").get(f"{project.get_absolute_url()}?tab=strategy").content.decode()
    assert "Strategic objectives served" in html
    assert item.portfolio.code not in html
    assert reverse("portfolio:objective_link_add") not in html


# --- both languages ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_strategy_pages_render_in_both_languages(client_for, strategy, language):
    item = PortfolioItemFactory(project=ProjectFactory(stage=Stage.PROPOSED))
    client = client_for("pmo")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    urls = [
        reverse("portfolio:strategy"),
        reverse("portfolio:alignment"),
        strategy["cloud"].get_absolute_url(),
        reverse("portfolio:objective_edit", args=[strategy["cloud"].pk]),
        reverse("portfolio:objective_measure", args=[strategy["cloud"].pk]),
        reverse("portfolio:objective_link_add"),
        reverse("portfolio:theme_create"),
        reverse("portfolio:portfolio_list"),
        reverse("portfolio:portfolio_create"),
        item.portfolio.get_absolute_url(),
        reverse("portfolio:candidate_add", args=[item.portfolio_id]),
        reverse("portfolio:candidate_edit", args=[item.portfolio_id, item.pk]),
        f"{strategy['erp'].get_absolute_url()}?tab=strategy",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}">' in html
    alignment = client.get(reverse("portfolio:alignment")).content.decode()
    name = "核心系统上云" if language == "zh-hans" else "Core systems in the cloud"
    assert name in alignment


# --- query counts ---------------------------------------------------------------------------


def _grow(rows, pm_user, portfolio, theme, parent):
    """Add ``rows`` objectives, linked projects, candidates, intake projects, portfolios and
    measurements."""
    from portfolio.services.strategy import objective_measure

    for i in range(rows):
        objective = ObjectiveFactory(theme=theme, parent=parent if i % 2 else None)
        project = ProjectFactory(stage=Stage.PROPOSED, manager=pm_user.person)
        ObjectiveLinkFactory(objective=objective, project=project, contribution=2)
        ObjectiveLinkFactory(objective=parent, project=project, contribution=1)
        PortfolioItemFactory(portfolio=portfolio, project=project, score=1, rank=i + 1)
        ProjectFactory(stage=Stage.UNDER_REVIEW)
        PortfolioFactory()
        parent.refresh_from_db()
        objective_measure(
            objective=parent, actual=Decimal(21 + i), measured_on=timezone.localdate()
        )


def _counts(client, urls):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url] = len(queries)
    return counts


@pytest.mark.parametrize("role", ["pmo", "pm"])
def test_strategy_lists_have_flat_query_counts(client_for, pm_user, role):
    portfolio, theme = PortfolioFactory(), StrategicThemeFactory()
    parent = ObjectiveFactory(theme=theme)
    _grow(3, pm_user, portfolio, theme, parent)
    project = portfolio.items.first().project
    urls = [
        reverse("portfolio:strategy"),
        reverse("portfolio:alignment"),
        reverse("portfolio:alignment") + "?scope=all&sort=key_impact",
        parent.get_absolute_url(),
        f"{project.get_absolute_url()}?tab=strategy",
    ]
    if role == "pmo":
        urls += [
            reverse("portfolio:portfolio_list"),
            portfolio.get_absolute_url(),
            reverse("portfolio:candidate_add", args=[portfolio.pk]),
        ]
    client = client_for(role)
    client.get(urls[0])  # the first request of a session also stores its language
    few = _counts(client, urls)
    _grow(27, pm_user, portfolio, theme, parent)
    many = _counts(client, urls)
    assert many == few
    assert max(many.values()) <= 20, many


def test_global_search_finds_objectives_and_portfolios_for_those_who_may_see_them(
    as_role, strategy
):
    PortfolioFactory(code="PF-SEARCH", name="检索组合")
    pmo_html = as_role("pmo").get(reverse("core:search"), {"q": "SEARCH"}).content.decode()
    assert "PF-SEARCH" in pmo_html
    pm_html = as_role("pm").get(reverse("core:search"), {"q": "SEARCH"}).content.decode()
    assert "PF-SEARCH" not in pm_html
    found = as_role("member").get(reverse("core:search"), {"q": "SO-CLOUD"}).content.decode()
    assert strategy["cloud"].get_absolute_url() in found
