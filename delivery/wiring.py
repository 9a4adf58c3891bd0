"""Delivery's entries in the registry: navigation, project tabs, dashboard widgets,
search, report kinds and demo data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from delivery.services.reports import AGREEMENT_KIND, CLOSEOUT_KIND
from pmo.core.registry import (
    DashboardWidget,
    DemoSeeder,
    NavEntry,
    ProjectMetric,
    ProjectTab,
    ReportKind,
    Searchable,
    registry,
)

SECTION = _("Delivery")

NAV = (
    # key, label, url name, icon, order, permission, prefix
    ("my_status", _("My status reports"), "delivery:my_status", "journal-check", 4, "delivery.write_status", "/delivery/my/status/"),
    ("my_reviews", _("My gate reviews"), "delivery:my_reviews", "clipboard-check", 4, "delivery.review_gates", "/delivery/my/reviews/"),
    ("status_grid", _("Status grid"), "delivery:status_grid", "grid-3x3-gap", 40, "delivery.view_status_grid", "/delivery/status/"),
    ("delivery_control", _("Control and intervention"), "delivery:control", "shield-exclamation", 41, "delivery.view_control", "/delivery/control/"),
    ("resource_requests", _("Resource adjustments"), "delivery:resource_requests", "arrow-left-right", 42, "delivery.decide_resource_request", "/delivery/resources/"),
    ("delivery_settings", _("Delivery settings"), "delivery:settings", "sliders", 43, "delivery.configure", "/delivery/settings/"),
)  # fmt: skip

TABS = (
    ("goals", _("Goals & RACI"), "goals", 30),
    ("plan", _("Plan"), "plan", 40),
    ("status", _("Status"), "status", 50),
    ("issues", _("Issues & risks"), "issues", 60),
    ("gates", _("Gates"), "gates", 70),
    ("closeout", _("Closeout"), "closeout", 80),
)

WIDGETS = (
    # key, dashboard, label, render, order, width, permission
    ("delivery_overdue", "pmo", _("Overdue status reports"), "overdue_reports", 30, 6, "delivery.view_control"),
    ("delivery_escalations", "pmo", _("Escalations past their response target"), "escalations", 31, 6, "delivery.view_control"),
    ("delivery_gates", "pmo", _("Gates waiting for a decision"), "gates_waiting", 32, 6, "delivery.view_control"),
    ("delivery_exec_escalations", "executive", _("Top risks and issues needing a decision"), "exec_escalations", 40, 6, "delivery.view_control"),
    ("delivery_health_trend", "executive", _("Portfolio health, week by week"), "health_trend", 21, 8, "delivery.view_control"),
    ("delivery_milestones", "executive", _("Milestones due in the period"), "milestones_due", 50, 6, "delivery.view_control"),
    ("delivery_my_due", "my", _("Due from me: goals, agreements, issues"), "my_due", 12, 6, None),
    ("delivery_my_reports", "my", _("Status reports due from me"), "reports_due", 10, 6, "delivery.write_status"),
    ("delivery_my_gates", "my", _("Gates I review"), "gate_reviews", 11, 6, "delivery.review_gates"),
)  # fmt: skip

METRICS = (
    # key, label, unit, source, higher is better, order
    ("on_time_milestones", _("Milestones on time"), "%", _("Delivery plan: milestones planned in the period reached by their planned date"), True, 10),
    ("status_timeliness", _("Status reports on time"), "%", _("Delivery status: reports due in the period submitted by their due date"), True, 11),
    ("goal_attainment", _("Goal attainment"), "%", _("Delivery goals: mean attainment of the measured goals due by the end of the period"), True, 12),
    ("issue_resolution_days", _("Issue resolution time"), _("days"), _("Delivery issues: mean days from raising to resolving, issues resolved in the period"), False, 13),
)  # fmt: skip


def _hidden(user) -> bool:
    """Per-project PDFs are requested from the project's pages, not the catalogue."""
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
    for key, label, name, order in TABS:
        registry.add_project_tab(
            # The core shows tabs only on a project the user may see, so no check is added.
            ProjectTab(
                key=key,
                label=label,
                view=f"delivery.views.{name}.tab_{name}",
                order=order,
                permission=None,
            )
        )
    for key, dashboard, label, render, order, width, permission in WIDGETS:
        registry.add_widget(
            DashboardWidget(
                key=key,
                dashboard=dashboard,
                label=label,
                render=f"delivery.widgets.{render}",
                order=order,
                width=width,
                permission=permission,
            )
        )
    registry.add_searchable(
        Searchable(
            key="issues",
            label=_("Issues, risks and changes"),
            search="delivery.search.issues",
            order=20,
        )
    )
    registry.add_report_kind(
        ReportKind(
            code=AGREEMENT_KIND,
            label=_("Responsibility agreement"),
            builder="delivery.reports.agreement_report",
            description=_("The goals and RACI of one agreement version with its sign-offs."),
            default_period="daily",
            permission=_hidden,
        )
    )
    registry.add_report_kind(
        ReportKind(
            code=CLOSEOUT_KIND,
            label=_("Closeout report"),
            builder="delivery.reports.closeout_report",
            description=_("Final result, goal attainment, checklist, gates and lessons."),
            default_period="daily",
            permission=_hidden,
        )
    )
    for key, label, unit, source, higher, order in METRICS:
        registry.add_metric(
            ProjectMetric(
                key=key,
                label=label,
                compute=f"delivery.metrics.{key}",
                unit=unit,
                source=source,
                higher_is_better=higher,
                order=order,
            )
        )
    registry.add_demo_seeder(DemoSeeder(key="delivery", seed="delivery.demo.seed", order=30))
    registry.add_demo_seeder(
        DemoSeeder(key="delivery_gate_links", seed="delivery.demo.link_standard_gates", order=45)
    )
    _register_calendar()
    _register_operations()
    _register_event_kinds()


def _register_calendar() -> None:
    """The delivery dates in each user's calendar feed."""
    from pmo.core.registry import CalendarSource

    registry.add_calendar_source(
        CalendarSource(
            key="delivery",
            label=_("Milestones and gate reviews"),
            events="delivery.calendar.events",
            order=10,
        )
    )


def _register_operations() -> None:
    """This app's part of the monthly PMO operations report."""
    from pmo.reports.operations import add_section

    add_section("delivery", _("Delivery assurance"), order=10)


def _register_event_kinds() -> None:
    """Kinds of event notifications: each user chooses how they reach them, and the PMO
    may route them to chat channels."""
    from pmo.core.registry import EventKind

    for order, (code, label, description) in enumerate(
        (
            (
                "status_due",
                _("Status report due"),
                _("A reminder shortly before your project's weekly status report is due."),
            ),
            (
                "status_overdue",
                _("Status report overdue"),
                _("Your project's weekly status report is past its due date."),
            ),
            (
                "escalation_raised",
                _("Issue escalated"),
                _("An issue or risk was escalated to your level and waits for your action."),
            ),
            (
                "escalation_overdue",
                _("Escalation past its response target"),
                _("Nobody acted on an issue within its response target, so it went up a level."),
            ),
            (
                "gate_waiting",
                _("Gate waiting for a decision"),
                _("A stage gate was submitted and waits for your review and decision."),
            ),
        ),
        start=10,
    ):
        registry.add_event_kind(
            EventKind(code=code, label=label, description=description, order=order)
        )
