"""PDF builders of evaluation, registered with ``pmo.reports``: the cycle report, the
report of one project's evaluation, and the monthly evaluation for subscriptions.

Each is called inside the report task with the report language active; charts are SVG
drawn on the server by pygal with the CJK font."""

from __future__ import annotations

import pygal
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation import analysis, scoring
from evaluation.models import Appeal, Cycle, Evaluation, ImprovementAction
from pmo.reports.charts import _cjk_margin, _config, _style, with_font
from pmo.reports.content import ReportContent


def bar_svg(
    labels: list[str],
    series: dict[str, list],
    *,
    title: str,
    horizontal: bool = False,
    value_range: tuple[float, float] | None = None,
    colours=("#0d6efd", "#adb5bd"),
) -> str:
    """Bars for the PDF; horizontal ones list the first label on top."""
    if horizontal:
        labels = list(reversed(labels))
        series = {k: list(reversed(v)) for k, v in series.items()}
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    extra = {"range": value_range} if value_range else {}
    chart = kind(
        style=_style(colours),
        **_config(
            width=620,
            height=max(220, 80 + 30 * len(labels)) if horizontal else 300,
            legend_at_bottom=True,
            show_legend=len(series) > 1,
            truncate_label=-1,
            margin_left=_cjk_margin(labels, 11) if horizontal else 0,
            print_values=True,
            value_formatter=lambda v: f"{v:.1f}" if isinstance(v, float) else str(v),
            x_label_rotation=0 if horizontal or len(labels) < 6 else 30,
            **extra,
        ),
    )
    chart.title = title
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    return with_font(chart.render(is_unicode=True))


def _fmt(value, places: int = 1) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def cycle_report(params: dict, language: str) -> ReportContent:
    """The evaluation report of a cycle (评估报告): grade distribution, by unit, by
    dimension, strongest and weakest criteria, comparison to the last cycle, the
    meta-evaluation and each project's grade."""
    cycle = Cycle.objects.select_related("version__scheme", "chair").get(pk=params["cycle"])
    results = analysis.cycle_results(cycle)
    meta = analysis.meta_evaluation(cycle)
    before = results.previous.label if results.previous else ""
    context = {
        "cycle": cycle,
        "results": results,
        "meta": meta,
        "kpis": [
            (_("Projects evaluated"), str(len(results.evaluations))),
            (_("Mean score"), _fmt(results.mean_score)),
            (_("Change since the last cycle"), _fmt(results.change)),
            (_("Appeals"), str(meta.appeals)),
            (_("Expert consistency"), f"{_fmt(meta.consistent, 0)}%"),
        ],
        "grades_svg": bar_svg(
            [f"{c} {label}" for c, label, _n in results.grades],
            {cycle.label: [n for *_x, n in results.grades]}
            | (
                {before: [results.previous_grades.get(c, 0) for c, *_x in results.grades]}
                if before
                else {}
            ),
            title=_("Grade distribution"),
        ),
        "units_svg": bar_svg(
            [r[0] for r in results.by_unit],
            {_("Mean score"): [round(r[1], 1) for r in results.by_unit]},
            title=_("Mean score by organisational unit"),
            horizontal=True,
            value_range=(0, 100),
        )
        if results.by_unit
        else "",
        "dimensions_svg": bar_svg(
            [r[1] for r in results.dimensions],
            {cycle.label: [round(r[2] or 0, 2) for r in results.dimensions]}
            | ({before: [round(r[3] or 0, 2) for r in results.dimensions]} if before else {}),
            title=_("Mean score by dimension (1–5)"),
            horizontal=True,
            value_range=(0, 5),
        )
        if results.dimensions
        else "",
        "before": before,
    }
    return ReportContent(
        title=_("Project management performance evaluation report"),
        subtitle=f"{cycle.label} · {cycle.version.label}",
        template="evaluation/pdf/cycle.html",
        context=context,
    )


def result_report(params: dict, language: str) -> ReportContent:
    """One project's (and its manager's) evaluation: grade, score, the dimensions and
    criteria, the rationale and the appeal."""
    evaluation = Evaluation.objects.select_related(
        "cycle__version__scheme", "project", "manager", "org_unit"
    ).get(pk=params["evaluation"])
    dimensions = analysis.dimension_scores(evaluation)
    band = evaluation.cycle.version.bands.filter(code=evaluation.grade).first()
    context = {
        "evaluation": evaluation,
        "band": band,
        "dimensions": [(d, scoring.to_hundred(v), rows) for d, v, rows in dimensions],
        "appeal": Appeal.objects.filter(evaluation=evaluation).first(),
        "dimensions_svg": bar_svg(
            [d.label for d, _v, _r in dimensions],
            {_("Score (1–5)"): [round(v or 0, 2) for _d, v, _r in dimensions]},
            title=_("Score by dimension (1–5)"),
            horizontal=True,
            value_range=(0, 5),
        )
        if dimensions
        else "",
    }
    return ReportContent(
        title=_("Project evaluation report"),
        subtitle=f"{evaluation.project.code} {evaluation.project.label} · {evaluation.cycle.label}",
        template="evaluation/pdf/result.html",
        context=context,
    )


def monthly_report(params: dict, language: str) -> ReportContent:
    """The month in evaluation: cycles under way, results published, appeals and the
    improvement actions due or overdue."""
    start, end = params["period_start"], params["period_end"]
    today = timezone.localdate()
    open_cycles = list(
        Cycle.objects.filter(status=Cycle.Status.OPEN).select_related("version__scheme")
    )
    progress = [(c, analysis.meta_evaluation(c)) for c in open_cycles]
    published = list(
        Cycle.objects.filter(published_at__date__range=(start, end)).select_related(
            "version__scheme"
        )
    )
    published_results = [(c, analysis.cycle_results(c)) for c in published]
    appeals = list(
        Appeal.objects.filter(submitted_at__date__range=(start, end))
        .select_related("evaluation__project", "evaluation__cycle")
        .order_by("submitted_at")
    )
    actions = list(
        ImprovementAction.objects.open()
        .filter(target_date__lte=end)
        .with_links()
        .order_by("target_date")
    )
    context = {
        "progress": progress,
        "published": published_results,
        "appeals": appeals,
        "actions": actions,
        "today": today,
        "kpis": [
            (_("Cycles under way"), str(len(open_cycles))),
            (_("Cycles published this month"), str(len(published))),
            (_("Appeals this month"), str(len(appeals))),
            (_("Improvement actions due or overdue"), str(len(actions))),
        ],
    }
    return ReportContent(
        title=_("Monthly evaluation"), template="evaluation/pdf/monthly.html", context=context
    )
