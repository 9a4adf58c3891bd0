"""Reads that the study pages, the widgets and the decision pack share.

Each function takes a study (or its rows) and returns plain data: the appraisal of each
alternative, the ranking with its sensitivity check, the reviewers' scores with their
disagreement, the risk heat map, the cost table and the snapshot for comparing versions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from decisions import finance, ranking
from decisions.models import (
    Alternative,
    AppraisalSettings,
    CostLine,
    ReadinessQuestion,
    ReadinessVerdict,
    Review,
    Risk,
    SectionKind,
    SocialCriterion,
    Study,
)
from decisions.services.appraisal import appraise_rows, flows_of

# --- appraisal ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AlternativeAppraisal:
    alternative: Alternative
    appraisal: finance.Appraisal | None
    has_flows: bool


def alternatives_with_flows(study: Study) -> list[Alternative]:
    return list(
        study.alternatives.prefetch_related("cash_flows", "scores", "risks", "risks__owner")
    )


def appraisals(study: Study, alternatives: list[Alternative] | None = None):
    """The appraisal of each alternative at the study's rate (None without flows)."""
    alternatives = alternatives if alternatives is not None else alternatives_with_flows(study)
    out = []
    for alternative in alternatives:
        rows = flows_of(alternative, study.horizon_years)
        has = any(r.investment or r.operating_cost or r.benefit for r in rows)
        out.append(
            AlternativeAppraisal(
                alternative, appraise_rows(study.discount_rate, rows) if has else None, has
            )
        )
    return out


def payback_working(result: finance.Appraisal, discounted: bool = False) -> dict | None:
    """The numbers of the payback interpolation: (t − 1) + |cum_{t−1}| / CF_t."""
    value = result.discounted_payback if discounted else result.payback
    if value is None or value == 0:
        return None
    turn = next(
        r.year
        for r in result.rows
        if (r.discounted_cumulative if discounted else r.cumulative) >= 0
    )
    before = result.rows[turn - 1]
    flow = result.rows[turn].present_value if discounted else result.rows[turn].net
    return {
        "before": turn - 1,
        "open": -(before.discounted_cumulative if discounted else before.cumulative),
        "flow": flow,
        "value": value,
    }


# --- ranking and sensitivity ------------------------------------------------------------------


@dataclass
class RankRow:
    alternative: Alternative
    rank: int
    total: float
    scores: list[Decimal | None]


@dataclass
class Ranking:
    criteria: list
    rows: list[RankRow]
    sensitivity: ranking.Sensitivity | None
    weight_shares: list[float]
    missing: int
    changing: list[tuple] = field(default_factory=list)


def alternatives_ranking(study: Study, alternatives: list[Alternative]) -> Ranking:
    """Weighted scores of the alternatives, their rank and the ±10 % weight check."""
    criteria = list(study.criteria.all())
    weights = {c.pk: float(c.weight) for c in criteria}
    scores = {a.pk: {s.criterion_id: float(s.score) for s in a.scores.all()} for a in alternatives}
    missing = sum(1 for a in alternatives for c in criteria if c.pk not in scores[a.pk])
    if not criteria or not alternatives:
        return Ranking(criteria, [], None, [], missing)
    result = ranking.sensitivity(weights, scores)
    by_pk = {a.pk: a for a in alternatives}
    position = {pk: i + 1 for i, pk in enumerate(result.ranking)}
    rows = [
        RankRow(
            by_pk[pk],
            position[pk],
            result.totals[pk],
            [
                next((s.score for s in by_pk[pk].scores.all() if s.criterion_id == c.pk), None)
                for c in criteria
            ],
        )
        for pk in result.ranking
    ]
    names = {c.pk: c.name for c in criteria}
    changing = [
        (
            (_("%(criterion)s weight +10 %%") if m.factor > 1 else _("%(criterion)s weight −10 %%"))
            % {"criterion": names[m.criterion]},
            [by_pk[pk].name for pk in m.ranking],
        )
        for m in result.changing_moves
    ]
    shares = ranking.normalise(weights)
    return Ranking(criteria, rows, result, [shares[c.pk] for c in criteria], missing, changing)


# --- risks ------------------------------------------------------------------------------------


def heat_map(risks) -> list[dict]:
    """Rows of a 5×5 probability × impact grid (impact 5 on top) with the risks in each cell."""
    cells: dict[tuple[int, int], list] = defaultdict(list)
    for risk in risks:
        cells[(risk.probability, risk.impact)].append(risk)
    return [
        {
            "impact": impact,
            "cells": [
                {
                    "probability": p,
                    "score": p * impact,
                    "level": risk_level(p * impact),
                    "risks": cells.get((p, impact), []),
                }
                for p in range(1, 6)
            ],
        }
        for impact in range(5, 0, -1)
    ]


def risk_level(score: int) -> str:
    """high ≥ 15, medium ≥ 6, else low (the colour bands of the heat map)."""
    if score >= 15:
        return "high"
    if score >= 6:
        return "medium"
    return "low"


def risk_exposure(risks) -> dict:
    risks = list(risks)
    return {
        "count": len(risks),
        "high": sum(1 for r in risks if r.score >= 15),
        "max": max((r.score for r in risks), default=0),
        # An accepted risk is answered by its acceptance; the others need a response.
        "unanswered": sum(
            1 for r in risks if not r.response.strip() and r.strategy != Risk.Response.ACCEPT
        ),
        "without_owner": sum(1 for r in risks if r.owner_id is None),
    }


# --- costs ------------------------------------------------------------------------------------


def cost_table(study: Study, lines: list[CostLine] | None = None) -> dict:
    """Cost items × years with capex/opex subtotals, contingency and the grand total."""
    lines = lines if lines is not None else list(study.cost_lines.all())
    years = list(range(study.horizon_years + 1))
    items: dict[tuple[str, str], dict[int, Decimal]] = defaultdict(dict)
    for line in lines:
        items[(line.category, line.item)][line.year] = line.amount
    rows = []
    by_category = {c: [Decimal(0)] * len(years) for c in CostLine.Category.values}
    for (category, item), amounts in sorted(items.items()):
        cells = [amounts.get(y) for y in years]
        for i, value in enumerate(cells):
            by_category[category][i] += value or 0
        rows.append(
            {
                "category": category,
                "category_label": CostLine.Category(category).label,
                "item": item,
                "cells": cells,
                "total": sum((v or 0) for v in cells),
            }
        )
    base = [by_category["capex"][i] + by_category["opex"][i] for i in range(len(years))]
    share = study.contingency_percent / 100
    contingency = [(v * share).quantize(Decimal("0.01")) for v in base]
    total = [b + c for b, c in zip(base, contingency, strict=True)]
    return {
        "years": years,
        "rows": rows,
        "capex": by_category["capex"],
        "opex": by_category["opex"],
        "base": base,
        "contingency": contingency,
        "total": total,
        "grand_total": sum(total),
        "base_total": sum(base),
        "contingency_total": sum(contingency),
    }


def cost_vs_cash_flows(table: dict, appraisal: finance.Appraisal | None) -> list[dict]:
    """Per year: the estimate with contingency against the proposal's cash-flow costs."""
    if appraisal is None:
        return []
    out = []
    for year, estimate in zip(table["years"], table["total"], strict=True):
        row = appraisal.rows[year] if year < len(appraisal.rows) else None
        flows = Decimal(str(round(row.investment + row.operating_cost, 2))) if row else Decimal(0)
        out.append({"year": year, "estimate": estimate, "flows": flows, "gap": flows - estimate})
    return out


# --- social benefits ----------------------------------------------------------------------------


def social_summary(study: Study) -> dict:
    """Each active criterion with the study's score and evidence, and the weighted mean."""
    scores = {s.criterion_id: s for s in study.social_scores.all()}
    criteria = list(SocialCriterion.objects.filter(is_active=True)) + [
        s.criterion for s in scores.values() if not s.criterion.is_active
    ]
    rows = [(c, scores.get(c.pk)) for c in criteria]
    scored = [(float(c.weight), s.score) for c, s in rows if s is not None]
    weight = sum(w for w, _s in scored)
    mean = sum(w * s for w, s in scored) / weight if weight else None
    return {"rows": rows, "weighted": mean, "scored": len(scored), "total": len(rows)}


# --- reviews ------------------------------------------------------------------------------------


@dataclass
class CriterionAgreement:
    criterion: object
    scores: list[int | None]
    mean: float | None
    spread: float
    disagree: bool


def review_summary(study: Study, reviews: list[Review] | None = None) -> dict:
    """Reviewers' scores per criterion with mean and spread; disagreement is flagged when
    the spread of submitted scores reaches the PMO's threshold, when the reviewers'
    recommendations differ, or when verdicts on a readiness question run from yes to no."""
    config = AppraisalSettings.current()
    threshold = float(config.disagreement_spread)
    reviews = (
        reviews
        if reviews is not None
        else list(
            study.reviews.select_related("reviewer", "reviewer__org_unit").prefetch_related(
                "scores", "verdicts"
            )
        )
    )
    submitted = [r for r in reviews if r.status == Review.Status.SUBMITTED]
    criteria = list(study.criteria.all())
    rows = []
    for criterion in criteria:
        scores = [
            next((s.score for s in r.scores.all() if s.criterion_id == criterion.pk), None)
            for r in submitted
        ]
        given = [s for s in scores if s is not None]
        spread = ranking.spread(given)
        rows.append(
            CriterionAgreement(
                criterion,
                scores,
                sum(given) / len(given) if given else None,
                spread,
                len(given) > 1 and spread >= threshold,
            )
        )
    verdict_rows = []
    for question in ReadinessQuestion:
        verdicts = [
            next((v for v in r.verdicts.all() if v.question == question.value), None)
            for r in submitted
        ]
        values = {v.verdict for v in verdicts if v is not None}
        verdict_rows.append(
            {
                "question": question,
                "verdicts": verdicts,
                "disagree": {ReadinessVerdict.Verdict.YES, ReadinessVerdict.Verdict.NO} <= values,
            }
        )
    recommendations = {r.recommendation for r in submitted if r.recommendation}
    flags = [str(r.criterion) for r in rows if r.disagree]
    return {
        "reviews": reviews,
        "submitted": submitted,
        "rows": rows,
        "verdict_rows": verdict_rows,
        "threshold": config.disagreement_spread,
        "recommendations_differ": len(recommendations) > 1,
        "disagreement": bool(flags)
        or len(recommendations) > 1
        or any(v["disagree"] for v in verdict_rows),
        "flagged_criteria": flags,
    }


# --- sections -----------------------------------------------------------------------------------


def section_progress(study: Study) -> list[dict]:
    """Each section with its owner, review state and whether it has content."""
    counts = {
        SectionKind.STRATEGY: study.project.objective_links.count(),
        SectionKind.ECONOMICS: sum(
            1 for a in study.alternatives.all() if a.is_proposal and a.npv is not None
        ),
        SectionKind.SOCIAL: study.social_scores.count(),
        SectionKind.SCOPE: study.scope_items.count(),
        SectionKind.COSTS: study.cost_lines.count(),
        SectionKind.SCHEDULE: study.milestones.count(),
        SectionKind.RESOURCES: study.resource_lines.count(),
        SectionKind.RISKS: sum(a.risks.count() for a in study.alternatives.all() if a.is_proposal),
        SectionKind.ALTERNATIVES: sum(1 for a in study.alternatives.all() if not a.is_proposal),
    }
    out = []
    for section in study.sections.select_related("owner").order_by("id"):
        out.append(
            {
                "section": section,
                "rows": counts.get(section.kind, 0),
                "filled": bool(section.content.strip()) or counts.get(section.kind, 0) > 0,
            }
        )
    order = {k: i for i, k in enumerate(SectionKind.values)}
    out.sort(key=lambda r: order[r["section"].kind])
    return out


# --- versions ------------------------------------------------------------------------------------


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def study_snapshot(study: Study) -> dict[str, dict[str, str]]:
    """A comparable description of a version: part → {key: text}."""
    snap: dict[str, dict[str, str]] = {}
    snap[str(_("Figures"))] = {
        str(_("Discount rate (%)")): _fmt(study.discount_rate),
        str(_("Horizon (years)")): _fmt(study.horizon_years),
        str(_("Calendar year of year 0")): _fmt(study.base_year),
        str(_("Contingency (%)")): _fmt(study.contingency_percent),
    }
    for section in sorted(study.sections.all(), key=lambda s: SectionKind.values.index(s.kind)):
        snap.setdefault(str(_("Section texts")), {})[section.get_kind_display()] = section.content
    for alternative in study.alternatives.prefetch_related("cash_flows", "risks", "scores"):
        part = str(_("Alternative: %(name)s") % {"name": alternative.name})
        rows = snap.setdefault(part, {})
        rows[str(_("Description"))] = alternative.description
        rows[str(_("Strengths"))] = alternative.strengths
        rows[str(_("Weaknesses"))] = alternative.weaknesses
        rows["NPV"] = _fmt(alternative.npv)
        rows["IRR"] = _fmt(alternative.irr)
        for flow in alternative.cash_flows.all():
            rows[str(_("Year %(year)s cash flows") % {"year": flow.year})] = " / ".join(
                _fmt(v) for v in (flow.investment, flow.operating_cost, flow.benefit)
            )
        for risk in alternative.risks.all():
            rows[str(_("Risk: %(title)s") % {"title": risk.title})] = (
                f"{risk.probability}×{risk.impact} {risk.get_strategy_display()}: {risk.response}"
            )
    snap[str(_("Cost estimate"))] = {
        f"{line.get_category_display()} · {line.item} · {line.year}": _fmt(line.amount)
        for line in study.cost_lines.all()
    }
    snap[str(_("Milestones"))] = {
        m.name: f"{m.due:%Y-%m-%d} {m.deliverable}".strip() for m in study.milestones.all()
    }
    snap[str(_("Resources"))] = {
        f"{r.role} {r.start_month:%Y-%m}–{r.end_month:%Y-%m}": (
            f"{_fmt(r.hours_per_month)} h · {r.get_sourcing_display()}"
        )
        for r in study.resource_lines.select_related("role")
    }
    snap[str(_("Scope"))] = {
        f"{item.get_kind_display()} {i + 1}": item.text
        for i, item in enumerate(study.scope_items.all())
    }
    snap[str(_("Criteria"))] = {c.name: _fmt(c.weight) for c in study.criteria.all()}
    snap[str(_("Readiness answers"))] = {
        a.get_question_display(): a.answer for a in study.readiness.all()
    }
    snap[str(_("Competitive advantage"))] = {"": study.competitive_advantage}
    return snap


# --- Benefits realised ------------------------------------------------------------------

APPROVING = ("approve", "approve_conditions")


def planned_benefits(projects) -> dict[tuple[int, int], Decimal]:
    """(project id, calendar year) → benefit planned by the approved business case: the
    proposal's cash flows of each project's decided, approving study (one query)."""
    from django.db.models import F, Sum

    from decisions.models import CashFlow

    rows = (
        CashFlow.objects.filter(
            alternative__kind=Alternative.Kind.PROPOSAL,
            alternative__study__status=Study.Status.DECIDED,
            alternative__study__decision__outcome__in=APPROVING,
            alternative__study__project__in=projects,
        )
        .annotate(
            project_id=F("alternative__study__project_id"),
            calendar_year=F("alternative__study__base_year") + F("year"),
        )
        .values("project_id", "calendar_year")
        .annotate(planned=Sum("benefit"))
        .order_by()
    )
    return {(r["project_id"], r["calendar_year"]): r["planned"] or Decimal(0) for r in rows}


def realised_benefits(projects) -> dict[tuple[int, int], Decimal]:
    """(project id, year) → benefit recorded as realised (one query)."""
    from decisions.models import RealisedBenefit

    rows = RealisedBenefit.objects.filter(project__in=projects).values_list(
        "project_id", "year", "amount"
    )
    return {(pid, year): amount for pid, year, amount in rows}


def benefits_by_year(planned: dict, realised: dict, years: list[int] | None = None) -> list[dict]:
    """Planned and realised benefit summed per year, with the realisation rate (%) of
    the years that planned a benefit; ``years`` limits the rows."""
    found: dict[int, dict] = {}
    for source, key in ((planned, "planned"), (realised, "realised")):
        for (_pid, year), amount in source.items():
            if years is not None and year not in years:
                continue
            row = found.setdefault(
                year, {"year": year, "planned": Decimal(0), "realised": Decimal(0)}
            )
            row[key] += amount
    rows = [found[y] for y in sorted(found)]
    for row in rows:
        row["rate"] = float(row["realised"] / row["planned"] * 100) if row["planned"] > 0 else None
    return rows


def project_benefits(project) -> list[dict]:
    """One project's planned and realised benefit per year."""
    from pmo.core.models import Project

    scope = Project.objects.filter(pk=project.pk)
    return benefits_by_year(planned_benefits(scope), realised_benefits(scope))
