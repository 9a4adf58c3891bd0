"""The prioritisation services: drivers, pairwise comparisons, weights, ratings, scales and
the scores they give — each success, and each failure writing nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from portfolio.models import (
    BusinessDriver,
    DriverComparison,
    DriverRating,
    Portfolio,
    PortfolioItem,
    RatingLevel,
)
from portfolio.selectors.prioritisation import driver_weights, portfolio_scoring
from portfolio.services import prioritisation as services
from tests.core.factories import UserFactory
from tests.portfolio.factories import (
    BusinessDriverFactory,
    PortfolioFactory,
    PortfolioItemFactory,
    RatingScaleFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio():
    return PortfolioFactory(rating_scale=RatingScaleFactory())


@pytest.fixture
def drivers(portfolio):
    return [
        BusinessDriverFactory(portfolio=portfolio, name=name, name_en=en, sort_order=i)
        for i, (name, en) in enumerate(
            (("增加收入", "Revenue"), ("降低成本", "Cost"), ("合规", "Compliance"))
        )
    ]


def level(portfolio, value):
    return RatingLevel.objects.get(scale=portfolio.rating_scale, value=value)


def judge(portfolio, user, a, b, c, drivers):
    """a = d0:d1, b = d0:d2, c = d1:d2."""
    d0, d1, d2 = drivers
    return services.driver_comparisons_save(
        portfolio=portfolio,
        evaluator=user,
        judgements={(d0.pk, d1.pk): a, (d0.pk, d2.pk): b, (d1.pk, d2.pk): c},
        actor=user,
    )


def rate(portfolio, item, values, drivers, **inputs):
    row = services.RatingRow(
        item=item,
        levels={
            d.pk: level(portfolio, v) if v is not None else None for d, v in zip(drivers, values)
        },
        feasibility=inputs.get("feasibility", item.feasibility),
        risk=inputs.get("risk", item.risk),
        mandate=inputs.get("mandate", item.mandate),
        wsjf=inputs.get("wsjf"),
    )
    return services.candidate_ratings_save(portfolio=portfolio, rows=[row], actor=None)


# --- pairwise comparison and AHP weights ----------------------------------------------------


def test_consistent_judgements_give_the_eigenvector_weights_and_zero_cr(portfolio, drivers):
    user = UserFactory()
    judge(portfolio, user, 2, 4, 2, drivers)
    weights = driver_weights(portfolio)
    assert weights.source == "ahp"
    assert weights.weights == pytest.approx([4 / 7, 2 / 7, 1 / 7])
    assert weights.aggregate.consistency_ratio == pytest.approx(0, abs=1e-9)
    stored = [
        d.weight for d in BusinessDriver.objects.filter(portfolio=portfolio).order_by("sort_order")
    ]
    assert stored == pytest.approx([4 / 7, 2 / 7, 1 / 7])


def test_each_evaluator_keeps_own_judgements_and_the_group_takes_the_geometric_mean(
    portfolio, drivers
):
    pmo, executive = UserFactory(), UserFactory()
    judge(portfolio, pmo, 2, 4, 2, drivers)
    judge(portfolio, executive, 8, 4, 1 / 2, drivers)
    assert DriverComparison.objects.filter(evaluator=pmo).count() == 3
    assert DriverComparison.objects.filter(evaluator=executive).count() == 3
    weights = driver_weights(portfolio)
    assert len(weights.counted) == 2
    # g_01 = √(2·8) = 4, g_02 = √(4·4) = 4, g_12 = √(2·½) = 1 → consistent, w ∝ (4, 1, 1)
    assert weights.weights == pytest.approx([4 / 6, 1 / 6, 1 / 6])
    assert weights.aggregate.consistency_ratio == pytest.approx(0, abs=1e-9)


def test_saving_again_updates_the_same_rows_with_history(portfolio, drivers):
    user = UserFactory()
    judge(portfolio, user, 2, 4, 2, drivers)
    first = set(DriverComparison.objects.values_list("pk", flat=True))
    judge(portfolio, user, 3, 4, 2, drivers)
    assert set(DriverComparison.objects.values_list("pk", flat=True)) == first
    row = DriverComparison.objects.get(first=drivers[0], second=drivers[1])
    assert row.value == 3
    assert row.history.count() == 2
    assert row.history.first().history_user == user


def test_a_judgement_given_the_other_way_round_is_stored_in_driver_order(portfolio, drivers):
    user = UserFactory()
    d0, d1, d2 = drivers
    services.driver_comparisons_save(
        portfolio=portfolio,
        evaluator=user,
        judgements={(d1.pk, d0.pk): 1 / 3, (d0.pk, d2.pk): 3, (d2.pk, d1.pk): 1},
    )
    row = DriverComparison.objects.get(evaluator=user, first=d0, second=d1)
    assert row.value == pytest.approx(3)


@pytest.mark.parametrize("bad", [10, 0, -3, 2.5, "x", 1 / 10])
def test_values_off_saatys_scale_are_refused_and_nothing_written(portfolio, drivers, bad):
    with pytest.raises(ValidationError):
        judge(portfolio, UserFactory(), 2, bad, 2, drivers)
    assert not DriverComparison.objects.exists()


def test_an_incomplete_set_of_judgements_is_refused(portfolio, drivers):
    d0, d1, _d2 = drivers
    with pytest.raises(ValidationError):
        services.driver_comparisons_save(
            portfolio=portfolio, evaluator=UserFactory(), judgements={(d0.pk, d1.pk): 3}
        )
    assert not DriverComparison.objects.exists()


def test_drivers_of_another_portfolio_cannot_be_compared(portfolio, drivers):
    stranger = BusinessDriverFactory()
    with pytest.raises(ValidationError):
        services.driver_comparisons_save(
            portfolio=portfolio,
            evaluator=UserFactory(),
            judgements={
                (drivers[0].pk, stranger.pk): 3,
                (drivers[0].pk, drivers[2].pk): 3,
                (drivers[1].pk, drivers[2].pk): 3,
            },
        )
    assert not DriverComparison.objects.exists()


def test_inconsistent_judgements_are_flagged_with_the_pair_that_departs_most(portfolio, drivers):
    user = UserFactory()
    # revenue ≫ cost, cost ≫ compliance, but compliance ≫ revenue: a cycle
    judge(portfolio, user, 5, 1 / 5, 5, drivers)
    row = driver_weights(portfolio).evaluators[0]
    assert row.result.consistency_ratio > 0.10
    assert not row.result.is_consistent
    pair = {row.inconsistent.first.pk, row.inconsistent.second.pk}
    assert len(pair) == 2 and pair <= {d.pk for d in drivers}
    assert row.inconsistent.judged != pytest.approx(row.inconsistent.implied)


def test_a_driver_added_later_leaves_earlier_judgements_incomplete_and_uncounted(
    portfolio, drivers
):
    judge(portfolio, UserFactory(), 2, 4, 2, drivers)
    services.driver_create(portfolio=portfolio, name="客户满意度")
    weights = driver_weights(portfolio)
    assert weights.evaluators[0].judged == 3 and weights.evaluators[0].needed == 6
    assert not weights.counted
    assert weights.source == "equal" and weights.weights == pytest.approx([0.25] * 4)


def test_a_closed_portfolio_refuses_new_judgements(portfolio, drivers):
    Portfolio.objects.filter(pk=portfolio.pk).update(status=Portfolio.Status.CLOSED)
    portfolio.refresh_from_db()
    with pytest.raises(ValidationError):
        judge(portfolio, UserFactory(), 2, 4, 2, drivers)
    assert not DriverComparison.objects.exists()


# --- drivers ------------------------------------------------------------------------------------


def test_drivers_are_added_at_the_end_moved_and_deleted_with_their_ratings(portfolio, drivers):
    added = services.driver_create(portfolio=portfolio, name="客户满意度", name_en="Customers")
    assert added.sort_order == 3
    services.driver_move(driver=added, offset=-2)
    order = list(
        BusinessDriver.objects.filter(portfolio=portfolio)
        .order_by("sort_order")
        .values_list("name", flat=True)
    )
    assert order == ["增加收入", "客户满意度", "降低成本", "合规"]
    item = PortfolioItemFactory(portfolio=portfolio)
    rate(portfolio, item, [9, 3, 1], drivers)
    services.driver_delete(driver=drivers[0])
    assert not DriverRating.objects.filter(driver_id=drivers[0].pk).exists()
    assert list(
        BusinessDriver.objects.filter(portfolio=portfolio)
        .order_by("sort_order")
        .values_list("sort_order", flat=True)
    ) == [0, 1, 2]


def test_a_driver_name_is_unique_within_its_portfolio(portfolio, drivers):
    with pytest.raises(ValidationError) as error:
        services.driver_create(portfolio=portfolio, name="增加收入")
    assert "name" in error.value.message_dict
    assert BusinessDriver.objects.filter(portfolio=portfolio).count() == 3
    other = PortfolioFactory(rating_scale=portfolio.rating_scale)
    assert services.driver_create(portfolio=other, name="增加收入").pk


# --- scores ------------------------------------------------------------------------------------


def test_scores_are_weighted_sums_normalised_to_100_and_ranked(portfolio, drivers):
    judge(portfolio, UserFactory(), 2, 4, 2, drivers)  # w = 4/7, 2/7, 1/7
    a, b, c = (PortfolioItemFactory(portfolio=portfolio) for _i in range(3))
    rate(portfolio, a, [9, 3, 0], drivers)  # raw = (36 + 6 + 0) / 7 = 6
    rate(portfolio, b, [3, 9, 6], drivers)  # raw = (12 + 18 + 6) / 7 = 36/7
    rate(portfolio, c, [3, None, 6], drivers)  # not rated on every driver
    for item in (a, b, c):
        item.refresh_from_db()
    total = 6 + 36 / 7
    assert a.score == pytest.approx(100 * 6 / total) and a.rank == 1
    assert b.score == pytest.approx(100 * (36 / 7) / total) and b.rank == 2
    assert a.score + b.score == pytest.approx(100)
    assert c.score is None and c.rank is None
    scoring = portfolio_scoring(portfolio)
    row = scoring.candidates[0]
    assert row.item == a and sum(row.contributions) == pytest.approx(row.score)
    assert scoring.unscored[0].missing == 1
    assert not scoring.stale


def test_equal_scores_rank_the_cheaper_candidate_first(portfolio, drivers):
    judge(portfolio, UserFactory(), 1, 1, 1, drivers)
    dear = PortfolioItemFactory(portfolio=portfolio, cost=Decimal("9000000"))
    cheap = PortfolioItemFactory(portfolio=portfolio, cost=Decimal("1000000"))
    for item in (dear, cheap):
        rate(portfolio, item, [3, 3, 3], drivers)
    cheap.refresh_from_db()
    dear.refresh_from_db()
    assert (cheap.rank, dear.rank) == (1, 2)
    assert cheap.score == pytest.approx(50)


def test_manual_weights_must_make_100_percent(portfolio, drivers):
    d0, d1, d2 = drivers
    with pytest.raises(ValidationError):
        services.portfolio_weights_set(
            portfolio=portfolio,
            framework="manual",
            manual_weights={d0.pk: Decimal(50), d1.pk: Decimal(30), d2.pk: Decimal(10)},
        )
    portfolio.refresh_from_db()
    assert portfolio.framework == "ahp"
    assert not BusinessDriver.objects.filter(manual_weight__isnull=False).exists()

    services.portfolio_weights_set(
        portfolio=portfolio,
        framework="manual",
        manual_weights={d0.pk: Decimal(50), d1.pk: Decimal("32.5"), d2.pk: Decimal("17.5")},
    )
    portfolio.refresh_from_db()
    assert portfolio.framework == "manual"
    weights = [
        d.weight for d in BusinessDriver.objects.filter(portfolio=portfolio).order_by("sort_order")
    ]
    assert weights == pytest.approx([0.5, 0.325, 0.175])


def test_manual_framework_needs_a_weight_for_every_driver(portfolio, drivers):
    with pytest.raises(ValidationError):
        services.portfolio_weights_set(
            portfolio=portfolio, framework="manual", manual_weights={drivers[0].pk: Decimal(100)}
        )
    assert Portfolio.objects.get(pk=portfolio.pk).framework == "ahp"


def test_wsjf_scores_are_normalised_cost_of_delay_over_job_size(portfolio, drivers):
    services.portfolio_weights_set(portfolio=portfolio, framework="wsjf", manual_weights={})
    quick = PortfolioItemFactory(portfolio=portfolio)
    slow = PortfolioItemFactory(portfolio=portfolio)
    blank = PortfolioItemFactory(portfolio=portfolio)
    inputs = {"business_value": 8, "time_criticality": 5, "risk_reduction": 3}
    rate(portfolio, quick, [None] * 3, drivers, wsjf={**inputs, "job_size": 2})  # 8
    rate(portfolio, slow, [None] * 3, drivers, wsjf={**inputs, "job_size": 8})  # 2
    for item in (quick, slow, blank):
        item.refresh_from_db()
    assert quick.score == pytest.approx(80) and quick.rank == 1
    assert slow.score == pytest.approx(20) and slow.rank == 2
    assert blank.score is None
    row = portfolio_scoring(portfolio).candidates[0]
    assert row.raw == pytest.approx(8)
    assert row.contributions == pytest.approx([80 * 4 / 8, 80 * 2.5 / 8, 80 * 1.5 / 8])


def test_refresh_writes_only_what_changed(portfolio, drivers, django_assert_max_num_queries):
    judge(portfolio, UserFactory(), 2, 4, 2, drivers)
    rate(portfolio, PortfolioItemFactory(portfolio=portfolio), [9, 3, 1], drivers)
    with django_assert_max_num_queries(8):
        services.portfolio_scores_refresh(portfolio=portfolio)


# --- the rating grid ------------------------------------------------------------------------------


def test_ratings_are_saved_all_or_nothing(portfolio, drivers):
    good = PortfolioItemFactory(portfolio=portfolio, feasibility=4)
    bad = PortfolioItemFactory(portfolio=portfolio)
    foreign = RatingScaleFactory(code="other")
    other_level = foreign.levels.first()
    rows = [
        services.RatingRow(
            item=good,
            levels={d.pk: level(portfolio, 9) for d in drivers},
            feasibility=2,
            risk=5,
            mandate="regulatory",
        ),
        services.RatingRow(
            item=bad, levels={drivers[0].pk: other_level}, feasibility=3, risk=3, mandate=""
        ),
    ]
    with pytest.raises(ValidationError) as error:
        services.candidate_ratings_save(portfolio=portfolio, rows=rows)
    assert bad.project.code in " ".join(error.value.messages)
    assert not DriverRating.objects.exists()
    good.refresh_from_db()
    assert (good.feasibility, good.mandate) == (4, "")


def test_a_feasibility_outside_1_to_5_is_refused(portfolio, drivers):
    item = PortfolioItemFactory(portfolio=portfolio)
    with pytest.raises(ValidationError):
        rate(portfolio, item, [9, 9, 9], drivers, feasibility=7)
    assert not DriverRating.objects.exists()


def test_clearing_a_cell_removes_the_rating_and_the_score(portfolio, drivers):
    judge(portfolio, UserFactory(), 2, 4, 2, drivers)
    item = PortfolioItemFactory(portfolio=portfolio)
    rate(portfolio, item, [9, 3, 1], drivers)
    assert PortfolioItem.objects.get(pk=item.pk).score == pytest.approx(100)
    rate(portfolio, item, [9, None, 1], drivers)
    assert DriverRating.objects.filter(item=item).count() == 2
    assert PortfolioItem.objects.get(pk=item.pk).score is None


# --- rating scales ------------------------------------------------------------------------------


def test_a_scale_is_created_with_its_levels():
    scale = services.rating_scale_save(
        code="three",
        name="三级",
        levels=[
            services.LevelInput(name="低", value=Decimal(1)),
            services.LevelInput(name="中", value=Decimal(2)),
            services.LevelInput(name="高", value=Decimal(3)),
        ],
    )
    assert list(scale.levels.order_by("value").values_list("name", flat=True)) == ["低", "中", "高"]


def test_editing_level_values_rescores_the_portfolios_using_the_scale(portfolio, drivers):
    judge(portfolio, UserFactory(), 1, 1, 1, drivers)
    a, b = PortfolioItemFactory(portfolio=portfolio), PortfolioItemFactory(portfolio=portfolio)
    rate(portfolio, a, [9, 9, 9], drivers)
    rate(portfolio, b, [1, 1, 1], drivers)
    scale = portfolio.rating_scale
    levels = {lv.value: lv for lv in scale.levels.all()}
    inputs = [
        services.LevelInput(
            name=lv.name, value=Decimal(1) if v == 9 else Decimal(9) if v == 1 else v, level=lv
        )
        for v, lv in levels.items()
    ]  # swap the values of "low" and "extreme"
    services.rating_scale_save(scale=scale, code=scale.code, name=scale.name, levels=inputs)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.rank, b.rank) == (2, 1)
    assert b.score == pytest.approx(90)


def test_a_level_in_use_cannot_be_deleted(portfolio, drivers):
    item = PortfolioItemFactory(portfolio=portfolio)
    rate(portfolio, item, [9, 9, 9], drivers)
    scale = portfolio.rating_scale
    inputs = [
        services.LevelInput(name=lv.name, value=lv.value, level=lv, delete=lv.value == 9)
        for lv in scale.levels.all()
    ]
    with pytest.raises(ValidationError):
        services.rating_scale_save(scale=scale, code=scale.code, name="改名", levels=inputs)
    scale.refresh_from_db()
    assert scale.levels.count() == 5 and scale.name != "改名"


@pytest.mark.parametrize(
    "values",
    [[Decimal(1)], [Decimal(1), Decimal(1)]],
    ids=["one level", "duplicate values"],
)
def test_a_scale_needs_two_distinct_levels(values):
    with pytest.raises(ValidationError):
        services.rating_scale_save(
            code="bad",
            name="坏",
            levels=[services.LevelInput(name=f"L{i}", value=v) for i, v in enumerate(values)],
        )
    assert not RatingLevel.objects.filter(scale__code="bad").exists()
