"""The PM talent report (registered in ``talent.wiring``): the pool by level with the
promotion pipeline, certificates expiring soon, training in the period, the latest
closed appraisal's grades and the talent gap per quarter, as a PDF.

The builder follows ``pmo.reports.content``: it runs inside a Celery task with the
report language active and returns a :class:`ReportContent`; the chart is SVG drawn on
the server by pygal with the CJK font.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pygal
from django.utils.translation import gettext as _

from pmo.reports.charts import _cjk_margin, _config, _style, with_font
from pmo.reports.content import ReportContent
from talent.analysis import GRADES
from talent.models import AppraisalRound, PersonCertificate, TalentProfile
from talent.selectors import facts
from talent.selectors.planning import gap_analysis
from talent.selectors.pool import training_hours

EXPIRY_DAYS = 90


def _pipeline_chart(rows: list[dict]) -> str:
    labels = [r["level"].label for r in rows]
    chart = pygal.HorizontalBar(
        style=_style(),
        **_config(
            width=640,
            height=max(200, 90 + 40 * len(labels)),
            truncate_label=-1,
            margin_left=_cjk_margin(labels, 11),
        ),
    )
    chart.title = _("PMs per level and their readiness for the next level")
    chart.x_labels = list(reversed(labels))
    chart.add(_("In the pool"), [r["count"] for r in reversed(rows)])
    chart.add(_("Ready for the next level"), [r["ready"] for r in reversed(rows)])
    return with_font(chart.render(is_unicode=True))


def talent_report(params: dict, language: str) -> ReportContent:
    start, end = params["period_start"], params["period_end"]
    levels = facts.ladder()
    profiles = list(TalentProfile.objects.in_pool(end).with_people())
    found = facts.facts_for(profiles, end, levels=levels)
    rows = []
    for level in levels:
        mine = [f for f in found.values() if f.profile.level_id == level.pk]
        rows.append(
            {
                "level": level,
                "count": len(mine),
                "ready": sum(1 for f in mine if f.readiness is not None and f.readiness.ready),
            }
        )
    hours = training_hours(start=start, end=end)
    ids = [p.person_id for p in profiles]
    latest = (
        AppraisalRound.objects.filter(status=AppraisalRound.Status.CLOSED)
        .order_by("-period_end")
        .first()
    )
    grades = Counter()
    if latest is not None:
        grades = Counter(a.final_grade for a in latest.appraisals.all() if a.final_grade)
    gap = gap_analysis(end)
    context = {
        "rows": rows,
        "pool_size": len(profiles),
        "expiring": PersonCertificate.objects.filter(person_id__in=ids)
        .expiring(end, EXPIRY_DAYS)
        .select_related("person", "certification")
        .order_by("expires_on"),
        "trained": sum(1 for i in ids if hours.get(i)),
        "hours": sum((hours.get(i, 0) for i in ids), 0),
        "latest": latest,
        "grades": [(g, grades.get(g, 0)) for g in GRADES],
        "gap_labels": [f"{y} Q{q}" for y, q in gap.quarters],
        "gap_totals": gap.totals(),
        "chart": _pipeline_chart(rows),
        "soon": end + dt.timedelta(days=EXPIRY_DAYS),
    }
    return ReportContent(
        title=_("Project management talent"),
        subtitle=params.get("period_label", ""),
        template="talent/report.html",
        context=context,
    )
