"""What PMO staff and executives see and do on the prioritisation pages."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.models import (
    BusinessDriver,
    DriverComparison,
    DriverRating,
    Portfolio,
    PortfolioItem,
    RatingLevel,
    RatingScale,
)
from portfolio.services import prioritisation as services
from tests.core.factories import ProjectFactory
from tests.portfolio.factories import (
    BusinessDriverFactory,
    PortfolioFactory,
    PortfolioItemFactory,
    RatingScaleFactory,
)

pytestmark = pytest.mark.django_db

DRIVERS = (
    ("增加收入", "Grow revenue"),
    ("降低成本", "Cut cost"),
    ("满足监管要求", "Meet regulation"),
)


def build_portfolio(candidates: int = 3, **fields) -> Portfolio:
    """A portfolio with three drivers and ``candidates`` proposed projects."""
    portfolio = PortfolioFactory(rating_scale=RatingScaleFactory(), **fields)
    for i, (name, en) in enumerate(DRIVERS):
        BusinessDriverFactory(portfolio=portfolio, name=name, name_en=en, sort_order=i)
    for _i in range(candidates):
        PortfolioItemFactory(portfolio=portfolio)
    return portfolio


def drivers_of(portfolio):
    return list(BusinessDriver.objects.filter(portfolio=portfolio).order_by("sort_order"))


def judge(portfolio, user, values):
    d0, d1, d2 = drivers_of(portfolio)
    services.driver_comparisons_save(
        portfolio=portfolio,
        evaluator=user,
        judgements=dict(zip(((d0.pk, d1.pk), (d0.pk, d2.pk), (d1.pk, d2.pk)), values, strict=True)),
    )


def rate_all(portfolio, values_by_item):
    levels = {lv.value: lv for lv in RatingLevel.objects.filter(scale=portfolio.rating_scale)}
    drivers = drivers_of(portfolio)
    rows = [
        services.RatingRow(
            item=item,
            levels={d.pk: levels[Decimal(v)] for d, v in zip(drivers, values, strict=True)},
            feasibility=item.feasibility,
            risk=item.risk,
            mandate=item.mandate,
        )
        for item, values in values_by_item.items()
    ]
    services.candidate_ratings_save(portfolio=portfolio, rows=rows)


@pytest.fixture
def en(client_for):
    """Clients whose pages come back in English."""

    def make(role: str) -> Client:
        client = client_for(role)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


@pytest.fixture
def portfolio():
    return build_portfolio()


def url(name, portfolio, *args):
    return reverse(f"portfolio:{name}", args=[portfolio.pk, *args])


# --- drivers and weights -------------------------------------------------------------------------


def test_drivers_page_shows_each_evaluators_ahp_and_names_the_most_inconsistent_pair(
    en, portfolio, pmo_user, executive_user
):
    judge(portfolio, pmo_user, (3, 5, 2))
    judge(portfolio, executive_user, (5, 1 / 5, 5))  # a cycle: badly inconsistent
    response = en("executive").get(url("drivers", portfolio))
    html = response.content.decode()
    weights = response.context["weights"]
    assert weights.source == "ahp" and len(weights.counted) == 2
    assert 'class="table-danger" data-evaluator="executive"' in html
    assert 'class="" data-evaluator="pmo"' in html
    assert "Most inconsistent judgement" in html
    bad = next(e for e in weights.evaluators if e.evaluator == executive_user)
    assert bad.result.consistency_ratio > 0.10
    assert f"{bad.inconsistent.first.name_en} against {bad.inconsistent.second.name_en}" in html
    assert "CI = (λmax − n) / (n − 1)" in html and "RI = 0.58 for n = 3" in html
    assert "Geometric mean of 2 evaluator(s)" in html


def test_drivers_page_says_weights_are_equal_until_someone_compares(en, portfolio):
    response = en("pmo").get(url("drivers", portfolio))
    assert "Nobody has compared every pair of drivers yet" in response.content.decode()


def test_pmo_adds_edits_moves_and_deletes_a_driver(en, portfolio):
    client = en("pmo")
    response = client.post(
        url("driver_create", portfolio), {"name": "客户满意度", "name_en": "Customers"}
    )
    assert response.status_code == 302
    driver = BusinessDriver.objects.get(portfolio=portfolio, name="客户满意度")
    assert driver.sort_order == 3
    client.post(url("driver_edit", portfolio, driver.pk), {"name": "客户体验", "name_en": ""})
    driver.refresh_from_db()
    assert driver.name == "客户体验"
    client.post(url("driver_move", portfolio, driver.pk), {"direction": "up"})
    driver.refresh_from_db()
    assert driver.sort_order == 2
    client.post(url("driver_delete", portfolio, driver.pk))
    assert not BusinessDriver.objects.filter(pk=driver.pk).exists()


def test_a_duplicate_driver_name_is_shown_on_the_form_and_nothing_added(en, portfolio):
    response = en("pmo").post(url("driver_create", portfolio), {"name": "增加收入"})
    assert response.status_code == 200
    assert "This portfolio has a driver of that name already." in response.content.decode()
    assert BusinessDriver.objects.filter(portfolio=portfolio).count() == 3


def test_manual_weights_not_making_100_percent_are_refused_with_the_total(en, portfolio):
    d0, d1, d2 = drivers_of(portfolio)
    data = {"framework": "manual", f"w_{d0.pk}": "50", f"w_{d1.pk}": "30", f"w_{d2.pk}": "10"}
    response = en("pmo").post(url("driver_weights", portfolio), data)
    assert response.status_code == 200
    assert "add up to 90 %; they must make 100 %" in response.content.decode()
    portfolio.refresh_from_db()
    assert portfolio.framework == "ahp"
    assert not BusinessDriver.objects.filter(manual_weight__isnull=False).exists()


def test_pmo_switches_to_manual_weights(en, portfolio):
    d0, d1, d2 = drivers_of(portfolio)
    data = {"framework": "manual", f"w_{d0.pk}": "50", f"w_{d1.pk}": "30", f"w_{d2.pk}": "20"}
    assert en("pmo").post(url("driver_weights", portfolio), data).status_code == 302
    portfolio.refresh_from_db()
    assert portfolio.framework == "manual"
    assert [d.weight for d in drivers_of(portfolio)] == pytest.approx([0.5, 0.3, 0.2])


def test_the_manual_weights_total_is_shown_live_while_typing_and_nothing_saved(en, portfolio):
    d0, d1, d2 = drivers_of(portfolio)
    data = {"framework": "manual", f"w_{d0.pk}": "50", f"w_{d1.pk}": "30", f"w_{d2.pk}": "x"}
    response = en("pmo").post(url("driver_weights", portfolio), data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "80.0 %" in html and "must be 100 %" in html
    data[f"w_{d2.pk}"] = "20"
    response = en("pmo").post(url("driver_weights", portfolio), data, HTTP_HX_REQUEST="true")
    assert "100.0 %" in response.content.decode()
    assert Portfolio.objects.get(pk=portfolio.pk).framework == "ahp"
    assert not BusinessDriver.objects.filter(manual_weight__isnull=False).exists()


# --- pairwise comparison ----------------------------------------------------------------------------


def pair_data(portfolio, codes):
    d0, d1, d2 = drivers_of(portfolio)
    names = (f"p_{d0.pk}_{d1.pk}", f"p_{d0.pk}_{d2.pk}", f"p_{d1.pk}_{d2.pk}")
    return dict(zip(names, codes, strict=True))


def test_each_evaluator_saves_own_judgements_on_the_compare_page(
    en, portfolio, pmo_user, executive_user
):
    judge(portfolio, executive_user, (1 / 3, 1, 3))
    response = en("pmo").post(url("compare", portfolio), pair_data(portfolio, ("3", "5", "2")))
    assert response.status_code == 302
    mine = DriverComparison.objects.filter(evaluator=pmo_user).order_by(
        "first__sort_order", "second__sort_order"
    )
    assert [c.value for c in mine] == [3, 5, 2]
    theirs = DriverComparison.objects.filter(evaluator=executive_user)
    assert sorted(c.value for c in theirs) == pytest.approx(sorted([1 / 3, 1, 3]))
    page = en("pmo").get(url("compare", portfolio))
    assert (
        page.context["form"][
            f"p_{drivers_of(portfolio)[0].pk}_{drivers_of(portfolio)[1].pk}"
        ].value()
        == "3"
    )


def test_the_compare_preview_recalculates_cr_live_and_writes_nothing(en, portfolio):
    response = en("executive").post(
        url("compare_preview", portfolio),
        pair_data(portfolio, ("5", "1/5", "5")),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # the partial only
    assert 'data-testid="live-cr"' in html and "inconsistent (CR > 0.10)" in html
    assert "Most inconsistent judgement" in html
    assert not DriverComparison.objects.exists()
    consistent = en("executive").post(
        url("compare_preview", portfolio),
        pair_data(portfolio, ("2", "4", "2")),
        HTTP_HX_REQUEST="true",
    )
    assert "consistent (CR ≤ 0.10)" in consistent.content.decode()
    live = consistent.content.decode()
    assert [part.split("<")[0] for part in live.split('data-testid="live-weight">')[1:]] == [
        "57.1%",
        "28.6%",
        "14.3%",
    ]


def test_a_judgement_off_the_scale_is_shown_as_an_error_and_nothing_saved(en, portfolio):
    response = en("pmo").post(url("compare", portfolio), pair_data(portfolio, ("3", "11", "2")))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not DriverComparison.objects.exists()


def test_compare_page_asks_for_two_drivers(en):
    portfolio = PortfolioFactory(rating_scale=RatingScaleFactory())
    response = en("pmo").get(url("compare", portfolio))
    assert "Pairwise comparison needs at least two business drivers." in response.content.decode()


# --- the rating grid --------------------------------------------------------------------------------


def grid_data(portfolio, items, value_by_item, **overrides):
    levels = {lv.value: lv.pk for lv in RatingLevel.objects.filter(scale=portfolio.rating_scale)}
    data = {"item": [str(i.pk) for i in items]}
    for item in items:
        for driver in drivers_of(portfolio):
            data[f"r_{item.pk}_{driver.pk}"] = str(levels[Decimal(value_by_item[item.pk])])
        data[f"f_{item.pk}"] = "4"
        data[f"k_{item.pk}"] = "2"
        data[f"m_{item.pk}"] = ""
    data.update(overrides)
    return data


def test_the_rating_grid_saves_every_cell_in_one_post_and_rescores(en, portfolio, pmo_user):
    judge(portfolio, pmo_user, (1, 1, 1))
    items = list(portfolio.items.order_by("pk"))
    data = grid_data(portfolio, items, {items[0].pk: 9, items[1].pk: 3, items[2].pk: 0})
    data[f"m_{items[2].pk}"] = "regulatory"
    response = en("pmo").post(url("ratings", portfolio), data)
    assert response.status_code == 302
    assert DriverRating.objects.filter(item__portfolio=portfolio).count() == 9
    scores = {i.pk: i for i in PortfolioItem.objects.filter(portfolio=portfolio)}
    assert scores[items[0].pk].score == pytest.approx(75) and scores[items[0].pk].rank == 1
    assert scores[items[2].pk].score == pytest.approx(0)
    assert scores[items[2].pk].mandate == "regulatory"


def test_one_bad_cell_in_the_grid_saves_nothing_and_marks_the_cell(en, portfolio):
    items = list(portfolio.items.order_by("pk"))
    data = grid_data(portfolio, items, {i.pk: 9 for i in items})
    data[f"k_{items[1].pk}"] = "8"  # risk is 1–5
    response = en("pmo").post(url("ratings", portfolio), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved" in html and "table-danger" in html
    assert not DriverRating.objects.exists()
    assert set(PortfolioItem.objects.values_list("risk", flat=True)) == {2}


def test_a_level_of_another_scale_is_refused_by_the_grid(en, portfolio):
    items = list(portfolio.items.order_by("pk"))
    foreign = RatingScaleFactory(code="foreign").levels.first()
    data = grid_data(portfolio, items, {i.pk: 9 for i in items})
    data[f"r_{items[0].pk}_{drivers_of(portfolio)[0].pk}"] = str(foreign.pk)
    response = en("pmo").post(url("ratings", portfolio), data)
    assert response.status_code == 200
    assert not DriverRating.objects.exists()


def test_the_grid_asks_for_wsjf_inputs_when_the_framework_is_wsjf(en, portfolio):
    Portfolio.objects.filter(pk=portfolio.pk).update(framework="wsjf")
    items = list(portfolio.items.order_by("pk"))
    page = en("pmo").get(url("ratings", portfolio))
    assert f'name="js_{items[0].pk}"' in page.content.decode()
    data = grid_data(portfolio, items, {i.pk: 3 for i in items})
    for i, item in enumerate(items):
        data.update(
            {
                f"bv_{item.pk}": "8",
                f"tc_{item.pk}": "5",
                f"rr_{item.pk}": "3",
                f"js_{item.pk}": str(i + 1),
            }
        )
    assert en("pmo").post(url("ratings", portfolio), data).status_code == 302
    first = PortfolioItem.objects.get(pk=items[0].pk)
    assert first.rank == 1 and first.job_size == 1


def test_rows_not_shown_on_the_page_are_left_alone(en, portfolio):
    items = list(portfolio.items.order_by("pk"))
    rate_all(portfolio, {items[2]: (9, 9, 9)})
    data = grid_data(portfolio, items[:2], {items[0].pk: 3, items[1].pk: 3})
    assert en("pmo").post(url("ratings", portfolio), data).status_code == 302
    assert DriverRating.objects.filter(item=items[2]).count() == 3


# --- the ranking --------------------------------------------------------------------------------------


def ranked_portfolio(pmo_user):
    portfolio = build_portfolio(candidates=0)
    judge(portfolio, pmo_user, (2, 4, 2))
    specs = (
        ("ERP升级", 5, 1, "", (9, 9, 6)),
        ("数据中台", 4, 3, "", (6, 3, 3)),
        ("元宇宙展厅", 2, 4, "", (3, 3, 0)),
        ("反洗钱系统", 3, 5, "regulatory", (1, 1, 9)),
        ("新官网", None, None, "", (1, 3, 0)),
    )
    items = {}
    for name, feasibility, risk, mandate, _v in specs:
        items[name] = PortfolioItemFactory(
            portfolio=portfolio,
            project=ProjectFactory(name=name, stage="proposed"),
            feasibility=feasibility,
            risk=risk,
            mandate=mandate,
        )
    rate_all(portfolio, {items[name]: values for name, *_r, values in specs})
    return portfolio, items


def test_ranking_answers_which_candidates_have_acceptable_feasibility_and_risk(en, pmo_user):
    """哪些项目的可行性和风险在可接受范围? — the ranking filters and counts them."""
    portfolio, items = ranked_portfolio(pmo_user)
    client = en("executive")
    response = client.get(url("ranking", portfolio), {"show": "acceptable"})
    html = response.content.decode()
    shown = {row.item.project.name for row in response.context["page"].object_list}
    assert shown == {"ERP升级", "数据中台"}
    assert "<strong>2</strong> of 5 candidates are within acceptable feasibility and risk" in html
    assert "feasibility ≥ 3 and risk ≤ 3" in html
    outside = client.get(url("ranking", portfolio), {"show": "outside"})
    marks = outside.content.decode()
    assert {r.item.project.name for r in outside.context["page"].object_list} == {
        "元宇宙展厅",
        "反洗钱系统",
    }
    assert 'data-mark="infeasible"' in marks and 'data-mark="high-risk"' in marks
    unassessed = client.get(url("ranking", portfolio), {"show": "unassessed"})
    assert [r.item.project.name for r in unassessed.context["page"].object_list] == ["新官网"]
    looser = client.get(
        url("ranking", portfolio), {"show": "acceptable", "max_risk": "4", "min_feasibility": "2"}
    )
    assert len(looser.context["page"].object_list) == 3


def test_ranking_shows_the_priority_order_with_the_score_broken_down_per_driver(en, pmo_user):
    """项目优先级顺序如何确定? — rank by weighted score, each driver's share shown."""
    portfolio, items = ranked_portfolio(pmo_user)
    response = en("pmo").get(url("ranking", portfolio))
    html = response.content.decode()
    rows = response.context["page"].object_list
    assert [r.item.project.name for r in rows[:2]] == ["ERP升级", "数据中台"]
    assert [r.rank for r in rows] == [1, 2, 3, 4, 5][: len(rows)]
    assert sum(r.score for r in rows if r.score is not None) == pytest.approx(100)
    first = rows[0]
    assert sum(first.contributions) == pytest.approx(first.score)
    chart = response.context["chart"]
    assert [s["name"] for s in chart["series"]] == ["Grow revenue", "Cut cost", "Meet regulation"]
    assert all(s["stack"] == "score" for s in chart["series"])
    assert "Raw score_i = Σ_k w_k × s_ik" in html
    assert 'data-mark="mandatory"' in html
    stored = PortfolioItem.objects.get(pk=items["ERP升级"].pk)
    assert stored.rank == 1 and stored.score == pytest.approx(first.score)


def test_ranking_with_wsjf_shows_its_columns(en, portfolio):
    services.portfolio_weights_set(portfolio=portfolio, framework="wsjf", manual_weights={})
    PortfolioItem.objects.filter(portfolio=portfolio).update(
        business_value=8, time_criticality=5, risk_reduction=3, job_size=2
    )
    response = en("pmo").get(url("ranking", portfolio))
    html = response.content.decode()
    assert "WSJF_i = (business value + time criticality + risk reduction) / job size" in html
    assert response.context["scoring"].columns == [
        "Business value",
        "Time criticality",
        "Risk reduction",
    ]
    assert 'data-testid="stale"' in html  # the update above bypassed the service


def test_stale_scores_are_flagged_and_recalculated_by_the_pmo(en, pmo_user):
    portfolio, items = ranked_portfolio(pmo_user)
    PortfolioItem.objects.filter(portfolio=portfolio).update(score=None, rank=None)
    page = en("pmo").get(url("ranking", portfolio))
    assert 'data-testid="stale"' in page.content.decode()
    assert en("pmo").post(url("ranking_refresh", portfolio)).status_code == 302
    assert PortfolioItem.objects.get(pk=items["ERP升级"].pk).rank == 1
    assert 'data-testid="stale"' not in en("pmo").get(url("ranking", portfolio)).content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"show": "nonsense"},
        {"min_feasibility": "abc", "max_risk": "99"},
        {"page": "x"},
        {"page": "-1"},
        {"show": "<script>"},
    ],
)
def test_ranking_survives_odd_parameters(en, portfolio, query):
    assert en("pmo").get(url("ranking", portfolio), query).status_code == 200


# --- rating scales ---------------------------------------------------------------------------------


def scale_data(levels, code="five", name="五级"):
    data = {
        "code": code,
        "name": name,
        "name_en": "",
        "levels-TOTAL_FORMS": str(len(levels)),
        "levels-INITIAL_FORMS": "0",
        "levels-MIN_NUM_FORMS": "0",
        "levels-MAX_NUM_FORMS": "20",
    }
    for i, (pk, level_name, value, delete) in enumerate(levels):
        data.update(
            {
                f"levels-{i}-level_id": str(pk or ""),
                f"levels-{i}-name": level_name,
                f"levels-{i}-value": str(value),
                f"levels-{i}-name_en": "",
                f"levels-{i}-description": "",
            }
        )
        if delete:
            data[f"levels-{i}-DELETE"] = "on"
    return data


def test_pmo_creates_and_edits_a_rating_scale(en):
    client = en("pmo")
    data = scale_data(
        [
            (None, "弱", 1, False),
            (None, "中", 5, False),
            (None, "强", 10, False),
            (None, "", "", False),
        ]
    )
    assert client.post(reverse("portfolio:scale_create"), data).status_code == 302
    scale = RatingScale.objects.get(code="five")
    assert list(scale.levels.values_list("value", flat=True)) == [1, 5, 10]
    weak, middle, strong = scale.levels.order_by("value")
    edit = scale_data(
        [(weak.pk, "弱", 0, False), (middle.pk, "中", 5, True), (strong.pk, "强", 9, False)]
    )
    response = client.post(reverse("portfolio:scale_edit", args=[scale.pk]), edit)
    assert response.status_code == 302
    assert list(scale.levels.order_by("value").values_list("name", "value")) == [
        ("弱", 0),
        ("强", 9),
    ]
    listing = client.get(reverse("portfolio:scale_list")).content.decode()
    assert "强 = 9" in listing


def test_a_scale_with_duplicate_values_is_refused_and_nothing_written(en):
    data = scale_data([(None, "弱", 1, False), (None, "强", 1, False)])
    response = en("pmo").post(reverse("portfolio:scale_create"), data)
    assert response.status_code == 200
    assert "Two levels of a scale cannot have the same value." in response.content.decode()
    assert not RatingScale.objects.filter(code="five").exists()


def test_a_level_of_another_scale_cannot_be_smuggled_into_the_form(en):
    scale = RatingScaleFactory()
    stranger = RatingScaleFactory(code="stranger").levels.first()
    data = scale_data([(stranger.pk, "偷", 99, False), (None, "强", 1, False)], code=scale.code)
    response = en("pmo").post(reverse("portfolio:scale_edit", args=[scale.pk]), data)
    assert response.status_code == 200
    assert not RatingLevel.objects.filter(value=99).exists()


# --- who may do what (beyond the matrix) -------------------------------------------------------------


def test_a_pm_crafting_posts_to_pmo_actions_is_refused_and_nothing_written(client_for, portfolio):
    client = client_for("pm")
    items = list(portfolio.items.all())
    assert (
        client.post(
            url("ratings", portfolio), grid_data(portfolio, items, {i.pk: 9 for i in items})
        ).status_code
        == 404
    )
    assert (
        client.post(url("compare", portfolio), pair_data(portfolio, ("3", "5", "2"))).status_code
        == 404
    )
    assert client.post(url("driver_create", portfolio), {"name": "偷偷加的"}).status_code == 404
    data = scale_data([(None, "弱", 1, False), (None, "强", 9, False)], code="sneaky")
    assert client.post(reverse("portfolio:scale_create"), data).status_code == 403
    assert not DriverRating.objects.exists() and not DriverComparison.objects.exists()
    assert not BusinessDriver.objects.filter(name="偷偷加的").exists()
    assert not RatingScale.objects.filter(code="sneaky").exists()


def test_an_executive_compares_drivers_but_may_not_rate_or_change_them(
    client_for, portfolio, executive_user
):
    client = client_for("executive")
    items = list(portfolio.items.all())
    assert (
        client.post(
            url("ratings", portfolio), grid_data(portfolio, items, {i.pk: 9 for i in items})
        ).status_code
        == 403
    )
    assert (
        client.post(url("driver_delete", portfolio, drivers_of(portfolio)[0].pk)).status_code == 403
    )
    assert not DriverRating.objects.exists() and BusinessDriver.objects.count() == 3
    assert (
        client.post(url("compare", portfolio), pair_data(portfolio, ("3", "5", "2"))).status_code
        == 302
    )
    assert DriverComparison.objects.filter(evaluator=executive_user).count() == 3


def test_a_closed_portfolio_shows_why_a_change_is_refused(en, portfolio):
    Portfolio.objects.filter(pk=portfolio.pk).update(status="closed")
    response = en("pmo").post(url("driver_create", portfolio), {"name": "新驱动因素"})
    assert response.status_code == 200
    assert "The portfolio is closed" in response.content.decode()


# --- both languages ------------------------------------------------------------------------------------


PAGES = ("drivers", "driver_create", "driver_weights", "compare", "ratings", "ranking")


@pytest.mark.parametrize("name", PAGES)
def test_pages_render_in_chinese_and_english(client_for, pmo_user, name):
    portfolio, _items = ranked_portfolio(pmo_user)
    client = client_for("pmo")
    chinese = client.get(url(name, portfolio))
    assert chinese.status_code == 200 and '<html lang="zh-hans">' in chinese.content.decode()
    assert portfolio.name in chinese.content.decode()
    english = client.get(url(name, portfolio), HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200 and '<html lang="en">' in english.content.decode()
    assert portfolio.name_en in english.content.decode()


@pytest.mark.parametrize("name", ("scale_list", "scale_create"))
def test_scale_pages_render_in_chinese_and_english(client_for, name):
    RatingScaleFactory()
    client = client_for("pmo")
    assert '<html lang="zh-hans">' in client.get(reverse(f"portfolio:{name}")).content.decode()
    english = client.get(reverse(f"portfolio:{name}"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in english.content.decode()
