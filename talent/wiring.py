"""The talent app's entries in the registry: the "Talent" navigation section, the
project's "Team" tab, the PM-system training tile of the standards adoption page,
search of the pool and the courses, demo data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pmo.core.registry import (
    DashboardWidget,
    DemoSeeder,
    NavEntry,
    ProjectTab,
    ReportKind,
    Searchable,
    registry,
)

SECTION = _("PM talent")

NAV = (
    # key, label, url name, icon, permission, prefix
    ("talent_home", _("Talent overview"), "talent:home", "people", None, ""),
    (
        "talent_pool",
        _("Talent pool"),
        "talent:pool",
        "person-badge",
        "talent.view_pool",
        "/talent/pool/",
    ),
    (
        "talent_ladder",
        _("Competencies & ladder"),
        "talent:ladder",
        "ladder",
        "talent.view_model",
        "/talent/ladder/",
    ),
    (
        "talent_training",
        _("Training"),
        "talent:training",
        "mortarboard",
        "talent.view_training",
        "/talent/training/",
    ),
    (
        "talent_appraisal",
        _("Appraisal"),
        "talent:appraisal_home",
        "award",
        "talent.view_appraisal",
        "/talent/appraisal/",
    ),
    (
        "talent_selection",
        _("Selection"),
        "talent:selection_list",
        "person-check",
        "talent.manage_selection",
        "/talent/selection/",
    ),
    (
        "talent_matching",
        _("PM matching"),
        "talent:matching",
        "shuffle",
        "talent.match_pm",
        "/talent/matching/",
    ),
    (
        "talent_teams",
        _("Project teams"),
        "talent:teams",
        "diagram-2",
        "talent.view_gap",
        "/talent/teams/",
    ),
    (
        "talent_gap",
        _("Talent gap"),
        "talent:gap",
        "graph-down-arrow",
        "talent.view_gap",
        "/talent/gap/",
    ),
    (
        "talent_recruitment",
        _("Recruitment"),
        "talent:recruitment",
        "person-plus",
        "talent.manage_recruitment",
        "/talent/recruitment/",
    ),
)


def register() -> None:
    for order, (key, label, url_name, icon, permission, prefix) in enumerate(NAV, start=60):
        registry.add_nav(
            NavEntry(
                key=key,
                label=label,
                url_name=url_name,
                icon=icon,
                order=order,
                section=SECTION,
                permission=permission,
                match_prefix=prefix,
            )
        )
    registry.add_project_tab(
        ProjectTab(
            key="talent_team",
            label=_("Team"),
            view="talent.views.teams.project_tab",
            order=70,
            # The project page and its tab URL admit only those who may see the
            # project, which is what viewing its team needs; no second check (query).
            permission=None,
        )
    )
    registry.add_widget(
        DashboardWidget(
            key="talent_pm_system_training",
            dashboard="standards_adoption",
            label=_("PM-system training of project managers"),
            render="talent.widgets.adoption",
            order=30,
            width=6,
            permission="talent.view_gap",
        )
    )
    registry.add_widget(
        DashboardWidget(
            key="talent_capacity",
            dashboard="executive",
            label=_("PM capacity: managers by level and load"),
            render="talent.widgets.capacity",
            order=60,
            width=6,
            permission="talent.view_gap",
        )
    )
    registry.add_searchable(
        Searchable(
            key="talent_pool", label=_("PM talent pool"), search="talent.search.pool", order=50
        )
    )
    registry.add_searchable(
        Searchable(
            key="talent_courses", label=_("Courses"), search="talent.search.courses", order=51
        )
    )
    registry.add_report_kind(
        ReportKind(
            code="talent",
            label=_("Project management talent"),
            builder="talent.reports.talent_report",
            description=_(
                "The pool by level with readiness for the next level, certificates expiring "
                "soon, training in the period, the latest appraisal grades and the talent gap."
            ),
            default_period="monthly",
            permission="talent.view_gap",
        )
    )
    registry.add_demo_seeder(DemoSeeder(key="talent", seed="talent.demo.seed", order=50))
    _register_calendar()
    _register_operations()


def _register_calendar() -> None:
    """The talent dates in each user's calendar feed."""
    from pmo.core.registry import CalendarSource

    registry.add_calendar_source(
        CalendarSource(
            key="talent", label=_("Training sessions"), events="talent.calendar.events", order=50
        )
    )


def _register_operations() -> None:
    """This app's part of the monthly PMO operations report."""
    from pmo.reports.operations import add_section

    add_section("talent", _("PM talent"), order=60)
