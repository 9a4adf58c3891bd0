"""Evaluation's entries in the registry: navigation, the project tab, dashboard
widgets, report kinds and demo data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from evaluation.services.reports import CYCLE_KIND, MONTHLY_KIND, RESULT_KIND
from pmo.core.registry import (
    DashboardWidget,
    DemoSeeder,
    NavEntry,
    ProjectTab,
    ReportKind,
    registry,
)

SECTION = _("Evaluation")

NAV = (
    # key, label, url name, icon, order, permission, prefix
    # Orders 57–59 sit between standards (50–56) and talent (60–69) in the sidebar.
    ("my_evaluations", _("My evaluations"), "evaluation:my", "clipboard2-check", 4, "evaluation.view_schemes", "/evaluation/my/"),
    ("evaluation_home", _("Performance evaluation"), "evaluation:home", "award", 57, "evaluation.view_schemes", "/evaluation/cycles/"),
    ("evaluation_schemes", _("Evaluation schemes"), "evaluation:scheme_list", "list-check", 58, "evaluation.view_schemes", "/evaluation/schemes/"),
    ("evaluation_weakness", _("Weak points"), "evaluation:weakness", "bar-chart-line", 59, "evaluation.view_results", "/evaluation/weaknesses/"),
    ("evaluation_maturity", _("Maturity trend"), "evaluation:maturity", "graph-up-arrow", 59, "evaluation.view_results", "/evaluation/maturity/"),
    ("evaluation_actions", _("Improvement actions"), "evaluation:action_list", "arrow-up-right-circle", 59, "evaluation.view_actions", "/evaluation/actions/"),
)  # fmt: skip


def _hidden(user) -> bool:
    """Per-cycle and per-project PDFs are requested from their pages, not the catalogue."""
    return False


def register() -> None:
    for key, label, url_name, icon, order, permission, prefix in NAV:
        registry.add_nav(
            NavEntry(
                key=key,
                label=label,
                url_name=url_name,
                icon=icon,
                order=order,
                section="" if key.startswith("my_") else SECTION,
                permission=permission,
                match_prefix=prefix,
            )
        )
    registry.add_project_tab(
        ProjectTab(
            key="evaluation",
            label=_("Evaluation"),
            view="evaluation.views.home.project_tab",
            order=85,
            permission=None,
        )
    )
    registry.add_widget(
        DashboardWidget(
            key="evaluation_pmo",
            dashboard="pmo",
            label=_("Evaluation deadlines and improvement"),
            render="evaluation.widgets.pmo_status",
            order=50,
            width=6,
            permission="evaluation.manage",
        )
    )
    registry.add_widget(
        DashboardWidget(
            key="evaluation_grades",
            dashboard="executive",
            label=_("Evaluation grades"),
            render="evaluation.widgets.grades",
            order=51,
            width=6,
            permission="evaluation.view_results",
        )
    )
    registry.add_widget(
        DashboardWidget(
            key="evaluation_my",
            dashboard="my",
            label=_("Evaluations waiting for me"),
            render="evaluation.widgets.my_tasks",
            order=20,
            width=6,
            permission="evaluation.view_schemes",
        )
    )
    registry.add_report_kind(
        ReportKind(
            code=CYCLE_KIND,
            label=_("Evaluation cycle report"),
            builder="evaluation.reports.cycle_report",
            description=_(
                "Grades, units, dimensions, strongest and weakest criteria of one cycle."
            ),
            default_period="daily",
            permission=_hidden,
        )
    )
    registry.add_report_kind(
        ReportKind(
            code=RESULT_KIND,
            label=_("Project evaluation report"),
            builder="evaluation.reports.result_report",
            description=_("One project's and its manager's result with rationale."),
            default_period="daily",
            permission=_hidden,
        )
    )
    registry.add_report_kind(
        ReportKind(
            code=MONTHLY_KIND,
            label=_("Monthly evaluation"),
            builder="evaluation.reports.monthly_report",
            description=_(
                "Each month: the cycles under way with their progress and deadlines, the "
                "latest published results, appeals, and improvement actions due or overdue."
            ),
            default_period="monthly",
            permission="evaluation.view_results",
        )
    )
    registry.add_demo_seeder(DemoSeeder(key="evaluation", seed="evaluation.demo.seed", order=60))
    _register_calendar()
    _register_operations()
    _register_event_kinds()


def _register_calendar() -> None:
    """The evaluation dates in each user's calendar feed."""
    from pmo.core.registry import CalendarSource

    registry.add_calendar_source(
        CalendarSource(
            key="evaluation",
            label=_("Evaluation deadlines"),
            events="evaluation.calendar.events",
            order=20,
        )
    )


def _register_operations() -> None:
    """This app's part of the monthly PMO operations report."""
    from pmo.reports.operations import add_section

    add_section("evaluation", _("Performance evaluation"), order=50)


def _register_event_kinds() -> None:
    """Kinds of event notifications: each user chooses how they reach them, and the PMO
    may route them to chat channels."""
    from pmo.core.registry import EventKind

    registry.add_event_kind(
        EventKind(
            code="evaluation_deadline",
            label=_("Evaluation deadline"),
            description=_(
                "An evaluation cycle asks for your self-assessment or your expert scores by a date."
            ),
            order=60,
        )
    )
