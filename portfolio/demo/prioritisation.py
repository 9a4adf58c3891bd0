"""Demo rows of the prioritisation part: the business drivers of the 2027 IT investment
portfolio, the pairwise comparisons of the PMO director (``pmo``) and the group vice
president (``exec``, whose judgement of compliance against customer experience is a
little inconsistent, CR ≈ 0.12), a rating of every candidate on every driver, and the
scores and ranks they give.

The portfolio is the strategy part's ``PF-2027``; without it nothing is written. Rows
are looked up before they are written (drivers by name, judgements per evaluator,
ratings per cell), so a second run writes nothing.
"""

from __future__ import annotations

from portfolio.models import BusinessDriver, DriverComparison, DriverRating, Portfolio
from portfolio.services import prioritisation as services

PORTFOLIO = "PF-2027"

# name | English name | description
DRIVERS = (
    ("增加营业收入", "Grow revenue", "带来新增收入或扩大现有业务规模。"),
    ("降低运营成本", "Cut operating cost", "减少人工、物料、能耗或IT运维成本。"),
    ("满足合规与监管要求", "Meet compliance and regulation", "落实法规、监管、等保与认证要求。"),
    ("提升客户体验", "Improve customer experience", "提高客户满意度、交付速度与服务质量。"),
    ("支撑数字化转型", "Enable digital transformation", "夯实数据、平台与流程的数字化基础。"),
    ("降低经营风险", "Reduce operational risk", "降低停产、质量、安全与信息安全风险。"),
)

# a_ij of driver i against driver j (i < j) on Saaty's scale, as each evaluator judged.
# The PMO's are consistent (CR ≈ 0.01); the executive rates compliance far above customer
# experience (6) though the rest of the judgements imply about 5/3.
JUDGEMENTS = {
    "pmo": {
        (0, 1): 2, (0, 2): 1, (0, 3): 3, (0, 4): 2, (0, 5): 5,
        (1, 2): 1, (1, 3): 1, (1, 4): 1, (1, 5): 3,
        (2, 3): 2, (2, 4): 2, (2, 5): 4,
        (3, 4): 1, (3, 5): 2,
        (4, 5): 2,
    },
    "exec": {
        (0, 1): 2, (0, 2): 2, (0, 3): 2, (0, 4): 3, (0, 5): 6,
        (1, 2): 2, (1, 3): 1, (1, 4): 2, (1, 5): 3,
        (2, 3): 6, (2, 4): 1, (2, 5): 2,
        (3, 4): 2, (3, 5): 3,
        (4, 5): 2,
    },
}  # fmt: skip

# Project code → level per driver (0 = the scale's lowest level … 4 = its highest), in
# the order of DRIVERS: revenue, cost, compliance, customers, digital, risk.
RATINGS = {
    "HC-PRJ-004": (1, 3, 2, 1, 4, 2),  # master data management
    "HC-PRJ-011": (1, 3, 3, 1, 3, 2),  # e-signature and contracts
    "HC-PRJ-013": (2, 3, 1, 2, 3, 2),  # supplier portal
    "HC-PRJ-019": (2, 4, 1, 1, 3, 3),  # predictive maintenance
    "HC-PRJ-021": (2, 2, 3, 3, 3, 3),  # quality traceability
    "HC-PRJ-024": (4, 3, 0, 3, 2, 1),  # product platform
    "HC-PRJ-030": (3, 0, 1, 1, 1, 1),  # R&D laboratory
    "HC-PRJ-036": (0, 3, 4, 0, 0, 2),  # headquarters energy retrofit
    "HC-PRJ-039": (4, 0, 1, 3, 1, 0),  # South-east Asia market entry
    "HC-PRJ-049": (1, 3, 2, 0, 2, 3),  # budgeting overhaul
    "HC-PRJ-054": (2, 4, 0, 2, 2, 2),  # inventory turnover
    "HC-PRJ-057": (0, 2, 1, 1, 3, 2),  # knowledge management platform
}


def seed(demo) -> None:
    portfolio = Portfolio.objects.filter(code=PORTFOLIO).select_related("rating_scale").first()
    if portfolio is None:
        return
    actor = demo.users.get("pmo")
    drivers = _drivers(demo, portfolio, actor)
    _comparisons(demo, portfolio, drivers)
    _ratings(demo, portfolio, drivers, actor)
    services.portfolio_scores_refresh(portfolio=portfolio, actor=actor)


def _drivers(demo, portfolio, actor) -> list[BusinessDriver]:
    existing = {d.name: d for d in BusinessDriver.objects.filter(portfolio=portfolio)}
    drivers = []
    for name, name_en, description in DRIVERS:
        driver = existing.get(name)
        if driver is None:
            driver = services.driver_create(
                portfolio=portfolio,
                name=name,
                name_en=name_en,
                description=description,
                actor=actor,
            )
            demo.created["business drivers"] += 1
        drivers.append(driver)
    return drivers


def _comparisons(demo, portfolio, drivers) -> None:
    for username, table in JUDGEMENTS.items():
        user = demo.users.get(username)
        if user is None:
            continue
        if DriverComparison.objects.filter(portfolio=portfolio, evaluator=user).exists():
            continue
        services.driver_comparisons_save(
            portfolio=portfolio,
            evaluator=user,
            judgements={(drivers[i].pk, drivers[j].pk): v for (i, j), v in table.items()},
            actor=user,
        )
        demo.created["driver comparisons"] += len(table)


def _ratings(demo, portfolio, drivers, actor) -> None:
    levels = list(portfolio.rating_scale.levels.order_by("value"))
    if not levels:
        return
    rated = set(
        DriverRating.objects.filter(item__portfolio=portfolio).values_list("item_id", "driver_id")
    )
    rows = []
    for item in portfolio.items.select_related("project").order_by("project__code"):
        missing = [k for k, d in enumerate(drivers) if (item.pk, d.pk) not in rated]
        if not missing:
            continue
        rng = demo.rng(f"portfolio.prioritisation:{item.project.code}")
        profile = RATINGS.get(item.project.code) or tuple(
            rng.randrange(len(levels)) for _d in drivers
        )
        rows.append(
            services.RatingRow(
                item=item,
                levels={drivers[k].pk: levels[min(profile[k], len(levels) - 1)] for k in missing},
                feasibility=item.feasibility,
                risk=item.risk,
                mandate=item.mandate,
            )
        )
        demo.created["driver ratings"] += len(missing)
    if rows:
        services.candidate_ratings_save(portfolio=portfolio, rows=rows, actor=actor)
