"""PDF builders of delivery, registered with ``pmo.reports`` (see its ``content`` module).

Each is called inside the report task with the run's parameters: the agreement id for
the responsibility agreement, the project id for the closeout report.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from delivery.models import (
    STEP_ORDER,
    AgreementSignoff,
    Closeout,
    Dimension,
    Gate,
    Goal,
    ResponsibilityAgreement,
)
from knowledge.models import Lesson
from pmo.core.formatting import money, percent
from pmo.reports.content import ReportContent


def _name(person: dict | None, language: str) -> str:
    if not person:
        return "—"
    if language.startswith("en") and person.get("name_en"):
        return person["name_en"]
    return person["name"]


def agreement_report(params: dict, language: str) -> ReportContent:
    """The responsibility agreement (目标责任书) of one version: goals, RACI, signatures."""
    agreement = ResponsibilityAgreement.objects.select_related(
        "project", "project__manager", "project__sponsor", "project__org_unit"
    ).get(pk=params["agreement"])
    project = agreement.project
    snapshot = agreement.snapshot
    dimensions = dict(Dimension.choices)
    directions = dict(Goal.Direction.choices)
    goals = [
        {
            **g,
            "dimension_label": dimensions.get(g["dimension"], g["dimension"]),
            "direction_label": directions.get(g["direction"], ""),
            "owner_name": _name(g.get("owner"), language),
        }
        for g in snapshot.get("goals", [])
    ]
    people = snapshot.get("people", [])
    matrix = [
        (a["name"], [a["cells"].get(str(p["id"]), "") for p in people])
        for a in snapshot.get("activities", [])
    ]
    signed = {s.step: s for s in agreement.signoffs.all()}
    steps = dict(AgreementSignoff.Step.choices)
    signatures = [(steps[step], signed.get(step)) for step in STEP_ORDER]
    context = {
        "agreement": agreement,
        "project": project,
        "goals": goals,
        "people": [_name(p, language) for p in people],
        "matrix": matrix,
        "signatures": signatures,
        "budget": money(project.budget, language),
    }
    return ReportContent(
        title=_("Responsibility agreement"),
        subtitle=f"{project.code} {project.label} · v{agreement.version} · "
        f"{agreement.get_status_display()}",
        template="delivery/pdf/agreement.html",
        context=context,
    )


def closeout_report(params: dict, language: str) -> ReportContent:
    """The closeout report: final result, goal attainment, checklist, gates, lessons."""
    closeout = Closeout.objects.select_related(
        "project", "project__manager", "project__sponsor", "project__org_unit", "decided_by"
    ).get(project_id=params["project"])
    project = closeout.project
    goals = list(Goal.objects.filter(project=project))
    lessons = list(Lesson.objects.filter(project=project).order_by("polarity", "pk"))
    gates = list(Gate.objects.filter(project=project).prefetch_related("conditions"))
    context = {
        "closeout": closeout,
        "project": project,
        "goals": goals,
        "items": list(closeout.items.all()),
        "gates": gates,
        "lessons": lessons,
        "kpis": [
            (_("Overall goal attainment"), percent(closeout.overall_attainment, 1)),
            (_("Budget"), money(project.budget, language)),
            (_("Spend to date"), money(project.spend_to_date, language)),
            (_("Lessons learned"), str(len(lessons))),
        ],
        "manager": project.manager.label if project.manager else "—",
    }
    return ReportContent(
        title=_("Closeout report"),
        subtitle=f"{project.code} {project.label}",
        template="delivery/pdf/closeout.html",
        context=context,
    )
