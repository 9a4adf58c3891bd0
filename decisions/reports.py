"""The investment decision pack (会议材料), printed by the reports pipeline.

``decision_pack`` is the builder of the ``decision_pack`` report kind (registered in
``decisions.wiring``; see ``pmo.reports.content`` for the contract). With
``params["study"]`` it covers that study; without, every study awaiting a decision, so
that it can also be sent on a schedule to the decision makers.
"""

from __future__ import annotations

from decimal import Decimal

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from decisions import selectors
from decisions.models import Study
from pmo.core.formatting import money
from pmo.reports.charts import with_font
from pmo.reports.content import ReportContent
from pmo.reports.pdf import FONT_FAMILY


def _style() -> Style:
    return Style(
        font_family=FONT_FAMILY,
        title_font_family=FONT_FAMILY,
        label_font_family=FONT_FAMILY,
        major_label_font_family=FONT_FAMILY,
        legend_font_family=FONT_FAMILY,
        value_font_family=FONT_FAMILY,
        background="white",
        plot_background="white",
        foreground="#212529",
        foreground_strong="#212529",
        foreground_subtle="#6c757d",
        colors=("#0d6efd", "#6c757d", "#20c997", "#fd7e14"),
        title_font_size=14,
        label_font_size=11,
        major_label_font_size=11,
        legend_font_size=11,
        value_font_size=11,
    )


def _pct(value) -> str:
    return "—" if value is None else f"{float(value) * 100:.1f}%"


def _num(value, digits: int = 2) -> str:
    return "—" if value is None else f"{float(value):.{digits}f}"


def _score_chart(ranking, title: str) -> str:
    """The alternatives' weighted scores as horizontal bars (best on top)."""
    rows = list(reversed(ranking.rows))
    chart = pygal.HorizontalBar(
        style=_style(),
        js=[],
        disable_xml_declaration=True,
        width=620,
        height=max(200, 70 + 36 * len(rows)),
        show_legend=False,
        print_values=True,
        range=(0, 10),
        truncate_label=-1,
        margin_left=8 + max((len(r.alternative.name) for r in rows), default=0) * 6,
    )
    chart.title = title
    chart.x_labels = [r.alternative.name for r in rows]
    chart.add(title, [round(r.total, 2) for r in rows])
    return with_font(chart.render(is_unicode=True))


def study_pack(study: Study, language: str) -> dict:
    """Everything the pack prints about one study, with money already formatted."""
    alternatives = selectors.alternatives_with_flows(study)
    appraisals = selectors.appraisals(study, alternatives)
    proposal = next((a for a in appraisals if a.alternative.is_proposal), None)
    result = proposal.appraisal if proposal else None
    ranking = selectors.alternatives_ranking(study, alternatives)
    ranks = {row.alternative.pk: row for row in ranking.rows}
    risks = sorted(
        (r for a in alternatives if a.is_proposal for r in a.risks.all()), key=lambda r: -r.score
    )
    summary = selectors.review_summary(study)
    answers = {a.question: a for a in study.readiness.all()}
    decision = getattr(study, "decision", None)
    costs = selectors.cost_table(study)
    kpis = []
    if result is not None:
        kpis = [
            (_("NPV"), money(result.npv, language)),
            (_("IRR"), _pct(result.irr)),
            (_("Payback (years)"), _num(result.payback)),
            (_("Discounted payback (years)"), _num(result.discounted_payback)),
            (_("Benefit–cost ratio"), _num(result.benefit_cost_ratio)),
            (_("Discount rate"), f"{study.discount_rate:.2f}%"),
        ]
    return {
        "study": study,
        "project": study.project,
        "kpis": kpis,
        "years": [
            {
                "year": row.year,
                "calendar": study.base_year + row.year,
                "investment": money(row.investment, language),
                "operating": money(row.operating_cost, language),
                "benefit": money(row.benefit, language),
                "net": money(row.net, language),
                "pv": money(row.present_value, language),
                "cumulative": money(row.discounted_cumulative, language),
            }
            for row in (result.rows if result else [])
        ],
        "alternatives": [
            {
                "alternative": item.alternative,
                "rank": ranks[item.alternative.pk].rank if item.alternative.pk in ranks else None,
                "score": _num(ranks[item.alternative.pk].total)
                if item.alternative.pk in ranks
                else "—",
                "npv": money(item.appraisal.npv, language) if item.appraisal else "—",
                "irr": _pct(item.appraisal.irr) if item.appraisal else "—",
                # Without an investment there is nothing to pay back.
                "payback": _num(item.appraisal.payback)
                if item.appraisal and item.appraisal.total_investment
                else "—",
                "cost": money(item.appraisal.total_cost, language) if item.appraisal else "—",
                "risks": len(item.alternative.risks.all()),
            }
            for item in sorted(
                appraisals,
                key=lambda i: ranks[i.alternative.pk].rank if i.alternative.pk in ranks else 99,
            )
        ],
        "ranking": ranking,
        "score_svg": _score_chart(ranking, _("Weighted score (0–10)")) if ranking.rows else "",
        "risks": risks[:12],
        "heat_map": selectors.heat_map(risks),
        "exposure": selectors.risk_exposure(risks),
        "reviews": summary,
        "readiness": [
            {
                "question": row["question"],
                "answer": answers.get(row["question"].value),
                "verdicts": row["verdicts"],
                "disagree": row["disagree"],
            }
            for row in summary["verdict_rows"]
        ],
        "cost_total": money(costs["grand_total"], language),
        "cost_over_budget": costs["grand_total"] > study.project.budget,
        "budget": money(study.project.budget, language),
        "decision": decision,
    }


def decision_pack(params: dict, language: str) -> ReportContent:
    """The pack of one study (``params["study"]``) or of all studies awaiting a decision."""
    studies = Study.objects.with_project().select_related("recommended_by")
    study_id = params.get("study")
    if study_id:
        study = studies.get(pk=study_id)
        packs = [study_pack(study, language)]
        title = _("Investment decision pack")
        subtitle = _("%(code)s %(name)s · feasibility study version %(version)s") % {
            "code": study.project.code,
            "name": study.project.label,
            "version": study.version,
        }
    else:
        pending = studies.current().filter(status=Study.Status.IN_REVIEW).order_by("project__code")
        packs = [study_pack(study, language) for study in pending]
        title = _("Investment decisions pending")
        subtitle = _("%(count)s studies awaiting a decision") % {"count": len(packs)}
    return ReportContent(
        title=title,
        subtitle=subtitle,
        template="decisions/pdf/decision_pack.html",
        context={"packs": packs, "language": language, "zero": Decimal(0)},
    )
