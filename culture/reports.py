"""The culture report (registered in ``culture.wiring``): the culture dashboard's
figures for the period — participation, sharing, training, certification, campaign
acknowledgement and the outcome indicators over four quarters — as a PDF.

The builder follows ``pmo.reports.content``: it runs inside a Celery task with the
report language active and returns a :class:`ReportContent`; the chart is SVG drawn on
the server by pygal with the CJK font.
"""

from __future__ import annotations

import pygal
from django.utils.translation import gettext as _

from culture import insights, measures, selectors
from culture.models import Campaign
from pmo.core.models import Person
from pmo.reports.charts import _cjk_margin, _config, _style, with_font
from pmo.reports.content import ReportContent


def _bar(labels: list[str], values: list[float], title: str) -> str:
    chart = pygal.HorizontalBar(
        style=_style(),
        **_config(
            width=640,
            height=max(200, 70 + 30 * len(labels)),
            show_legend=False,
            truncate_label=-1,
            margin_left=_cjk_margin(labels, 11),
        ),
    )
    chart.title = title
    chart.x_labels = list(reversed(labels))
    chart.add(title, list(reversed(values)))
    return with_font(chart.render(is_unicode=True))


def culture_report(params: dict, language: str) -> ReportContent:
    start, end = params["period_start"], params["period_end"]
    taking_part = selectors.participants(start, end)
    active = set(Person.objects.filter(is_active=True).values_list("pk", flat=True))
    taking_part &= active
    per_division = selectors.per_division(taking_part)
    sharing = selectors.sharing_by_unit(start, end)
    hours_per_person, _hours = insights.training_per_person(start, end)
    campaigns = Campaign.objects.exclude(status=Campaign.Status.DRAFT).with_counts()
    _rows, coverage = selectors.campaign_coverage(c.pk for c in campaigns)
    periods, outcomes = insights.outcome_indicators(end)
    context = {
        "start": start,
        "end": end,
        "participation_rate": measures.rate(len(taking_part), len(active)),
        "hours_per_person": hours_per_person,
        "certification": insights.certification_coverage(end),
        "coverage": coverage,
        "sharing": sharing,
        "periods": periods,
        "outcomes": outcomes,
        "participation_chart": _bar(
            [r.unit.label for r in per_division],
            [r.rate or 0 for r in per_division],
            _("Participation by division (%)"),
        ),
    }
    return ReportContent(
        title=_("Project management culture"),
        subtitle=params.get("period_label", ""),
        template="culture/report.html",
        context=context,
    )
