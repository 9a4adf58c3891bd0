"""Report builders of the core register; each returns a :class:`ReportContent`.

See ``pmo.reports.content`` for the contract every builder follows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from pmo.core import selectors
from pmo.core.formatting import money, percent
from pmo.core.models import OrgUnit, Project, Stage
from pmo.reports import charts
from pmo.reports.content import ReportContent, visible_projects


@dataclass(frozen=True)
class RegisterRow:
    """One project line of the register, with money already formatted."""

    project: Project
    budget: str
    spend: str
    percent_complete: str


def _scope(params: dict):
    """The active projects the run's reader may see, under its filters."""
    unit_id = params.get("org_unit")
    unit = OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None
    return unit, visible_projects(params).filter(stage=Stage.ACTIVE)


def _kpis(totals: dict, language: str) -> list[tuple[str, str]]:
    spent_share = totals["spend"] / totals["budget"] * 100 if totals["budget"] else None
    return [
        (_("Active projects"), str(totals["active"])),
        (_("Off track"), str(totals["red"])),
        (_("At risk"), str(totals["amber"])),
        (_("Budget"), money(totals["budget"], language)),
        (_("Spend to date"), money(totals["spend"], language)),
        (_("Budget spent"), percent(spent_share)),
    ]


def project_register_summary(params: dict, language: str) -> list[tuple[str, str]]:
    """The register's headline figures, for a chat card."""
    _unit, projects = _scope(params)
    return _kpis(selectors.portfolio_totals(projects), language)


def project_register(params: dict, language: str) -> ReportContent:
    """The register of active projects with KPI totals, a health chart and money by unit."""
    unit, projects = _scope(params)
    totals = selectors.portfolio_totals(projects)
    health = selectors.health_counts(projects)
    by_unit = selectors.money_by_unit(projects)
    rows = [
        RegisterRow(
            project=p,
            budget=money(p.budget, language),
            spend=money(p.spend_to_date, language),
            percent_complete=percent(p.percent_complete),
        )
        for p in projects.with_people().order_by("org_unit__path", "code")
    ]
    kpis = _kpis(totals, language)
    context = {
        "rows": rows,
        "kpis": kpis,
        "unit": unit,
        "health_svg": charts.health_pie(health, _("Health of active projects"))
        if totals["active"]
        else "",
        "money_svg": charts.money_by_unit_bar(
            by_unit,
            language=language,
            title=_("Budget and spend by unit"),
            budget_label=_("Budget"),
            spend_label=_("Spend to date"),
        )
        if by_unit
        else "",
    }
    return ReportContent(
        title=_("Project register"),
        subtitle=unit.label if unit else _("All organisational units"),
        template="reports/pdf/project_register.html",
        context=context,
        landscape=True,
    )
