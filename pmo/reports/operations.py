"""The monthly PMO operations report: how the PMO's own machinery ran in the month.

It is a composite: the core's figures (projects by stage, imports, data-quality
problems) followed by the sections the duty apps register for ``pmo_operations``
(``registry.add_report_section``). A section's builder returns the context of its
template, usually the shape of ``reports/pdf/operations_section.html``::

    {"figures": [(label, value, note), ...],
     "table": {"headers": [...], "rows": [[...], ...]} or None,
     "empty": "what to say when the table has no rows"}

or ``None`` when it has nothing to say for the period. Sections are rendered in order;
one that fails is reported in its place rather than losing the whole report.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.core import selectors
from pmo.core.formatting import percent
from pmo.core.models import ImportJob, Project, Stage
from pmo.core.registry import registry
from pmo.reports.content import ReportContent

log = logging.getLogger(__name__)

REPORT = "pmo_operations"


def period_bounds(params: dict) -> tuple[dt.date, dt.date, dt.datetime, dt.datetime]:
    """The report's first and last day, and the aware datetimes bounding them
    (``lower`` ≤ t < ``upper``) for filtering timestamps; the current month by default."""
    today = timezone.localdate()
    start = params.get("period_start") or today.replace(day=1)
    end = params.get("period_end") or today
    tz = timezone.get_current_timezone()
    lower = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end, lower, upper


def rate(part: int, whole: int) -> str:
    """A share as a percentage, or a dash when there is nothing to divide."""
    return percent(part / whole * 100) if whole else "—"


def core_figures(params: dict) -> dict:
    """Projects by stage, imports of the month and data-quality problems (three queries)."""
    _start, _end, lower, upper = period_bounds(params)
    projects = Project.objects.all()
    counts = dict(
        projects.order_by().values_list("stage").annotate(n=Count("pk")).values_list("stage", "n")
    )
    stages = [(s.label, counts.get(s.value, 0)) for s in Stage if counts.get(s.value, 0)]
    imports = ImportJob.objects.filter(committed_at__gte=lower, committed_at__lt=upper).aggregate(
        jobs=Count("pk")
    )
    quality = selectors.data_quality_problems(projects)
    problems = [
        (_("Open projects without a manager"), quality["no_manager"]),
        (_("Open projects without planned dates"), quality["no_dates"]),
        (_("Open projects without a budget"), quality["no_budget"]),
        (_("Open projects without a type"), quality["no_type"]),
    ]
    return {
        "stages": stages,
        "project_total": sum(counts.values()),
        "imports": imports["jobs"],
        "problems": problems,
        "problem_total": sum(n for _label, n in problems),
    }


def _render_sections(params: dict, language: str) -> list[dict]:
    rendered = []
    for section in registry.sections_for(REPORT):
        try:
            context = section.context(params, language)
        except Exception:  # one broken section must not sink the month's report
            log.exception("Section %s of %s failed", section.key, REPORT)
            rendered.append(
                {
                    "label": str(section.label),
                    "html": "",
                    "error": _("This part could not be computed."),
                }
            )
            continue
        if context is None:
            continue
        html = render_to_string(section.template, {**context, "section": section})
        rendered.append({"label": str(section.label), "html": html, "error": ""})
    return rendered


def pmo_operations(params: dict, language: str) -> ReportContent:
    """The month's PMO operations: core figures and every app's section."""
    start, end, _lower, _upper = period_bounds(params)
    context = {
        "start": start,
        "end": end,
        "core": core_figures(params),
        "sections": _render_sections(params, language),
    }
    return ReportContent(
        title=_("PMO operations"),
        subtitle=_("How the PMO's processes ran in the month"),
        template="reports/pdf/operations.html",
        context=context,
    )


def pmo_operations_summary(params: dict, language: str) -> list[tuple[str, str]]:
    """The chat card: the core figures and each section's first figure."""
    core = core_figures(params)
    lines = [
        (_("Projects"), str(core["project_total"])),
        (_("Data-quality problems"), str(core["problem_total"])),
    ]
    for section in registry.sections_for(REPORT):
        try:
            context = section.context(params, language)
        except Exception:
            log.exception("Section %s of %s failed", section.key, REPORT)
            continue
        figures = (context or {}).get("figures") or []
        if figures:
            label, value, _note = figures[0]
            lines.append((str(label), str(value)))
    return lines


def register() -> None:
    """Add the report to the catalogue (called from ``ReportsConfig.ready``): for the PMO
    only, since it describes the PMO's own work."""
    from django.utils.translation import gettext_lazy

    from pmo.core.registry import ReportKind

    registry.add_report_kind(
        ReportKind(
            code=REPORT,
            label=gettext_lazy("PMO operations"),
            builder="pmo.reports.operations.pmo_operations",
            description=gettext_lazy(
                "Each month: projects by stage, imports and data-quality problems, status "
                "reporting on time, escalations and their response times, gates and studies "
                "decided, compliance and change requests, curation and loans, evaluation "
                "cycles, training hours and expiring certificates, and culture participation."
            ),
            default_period="monthly",
            permission="core.view_pmo_cockpit",
            summary="pmo.reports.operations.pmo_operations_summary",
        )
    )


def add_section(app: str, label, order: int) -> None:
    """Add a duty app's part to the report (called from the app's wiring): its
    ``<app>.operations.section(params, language)`` returns the figures of the period,
    printed with the common section template."""
    from pmo.core.registry import ReportSection

    registry.add_report_section(
        ReportSection(
            report=REPORT,
            key=app,
            label=label,
            template="reports/pdf/operations_section.html",
            build=f"{app}.operations.section",
            order=order,
        )
    )
