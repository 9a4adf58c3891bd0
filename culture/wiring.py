"""The culture area's entries in the registry: the "Culture" navigation section, a
tile on "my work" (what waits for me), a tile on the knowledge home (upcoming sharing
sessions), search of ideas and sessions, the metric of sharing and the demo data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pmo.core.registry import (
    DashboardWidget,
    DemoSeeder,
    NavEntry,
    ReportKind,
    Searchable,
    registry,
)

SECTION = _("Culture")

NAV = (
    # key, label, url name, icon, permission, prefix
    ("culture_dashboard", _("Culture dashboard"), "culture:dashboard", "speedometer2",
     "culture.view_results", ""),
    ("culture_ideas", _("PM ideas"), "culture:idea_list", "lightbulb", "culture.view",
     "/culture/ideas/"),
    ("culture_campaigns", _("Campaigns"), "culture:campaign_list", "megaphone", "culture.view",
     "/culture/campaigns/"),
    ("culture_sessions", _("Sharing sessions"), "culture:session_list", "people",
     "culture.view", "/culture/sessions/"),
    ("culture_improvements", _("Improvement ideas"), "culture:improvement_list",
     "graph-up-arrow", "culture.view", "/culture/improvements/"),
    ("culture_surveys", _("Pulse surveys"), "culture:survey_list", "clipboard-data",
     "culture.view", "/culture/surveys/"),
    ("culture_recognition", _("Recognition"), "culture:recognition", "award", "culture.view",
     "/culture/recognition/"),
    ("culture_certification", _("Certification programme"), "culture:certification",
     "patch-check", "culture.view_results", "/culture/certification/"),
)  # fmt: skip


def register() -> None:
    for order, (key, label, url_name, icon, permission, prefix) in enumerate(NAV, start=80):
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
    registry.add_widget(
        DashboardWidget(
            key="culture_my",
            dashboard="my",
            label=_("Culture: waiting for you"),
            render="culture.widgets.my_culture",
            order=80,
            width=6,
            permission="culture.view",
        )
    )
    registry.add_widget(
        DashboardWidget(
            key="culture_knowledge_sessions",
            dashboard="knowledge_home",
            label=_("Upcoming sharing sessions"),
            render="culture.widgets.upcoming_sessions",
            order=80,
            width=6,
            permission="culture.view",
        )
    )
    registry.add_searchable(
        Searchable(
            key="culture_ideas", label=_("PM ideas"), search="culture.search.ideas", order=80
        )
    )
    registry.add_searchable(
        Searchable(
            key="culture_sessions",
            label=_("Sharing sessions"),
            search="culture.search.sessions",
            order=81,
        )
    )
    registry.add_report_kind(
        ReportKind(
            code="culture",
            label=_("Project management culture"),
            builder="culture.reports.culture_report",
            description=_(
                "Participation, sharing by division, training hours, certification, "
                "campaign acknowledgement and the outcome indicators over four quarters."
            ),
            default_period="monthly",
            permission="culture.view_results",
        )
    )
    registry.add_demo_seeder(DemoSeeder(key="culture", seed="culture.demo.seed", order=80))
    _register_calendar()
    _register_operations()


def _register_calendar() -> None:
    """The culture dates in each user's calendar feed."""
    from pmo.core.registry import CalendarSource

    registry.add_calendar_source(
        CalendarSource(
            key="culture", label=_("Sharing sessions"), events="culture.calendar.events", order=40
        )
    )


def _register_operations() -> None:
    """This app's part of the monthly PMO operations report."""
    from pmo.reports.operations import add_section

    add_section("culture", _("PM culture"), order=70)
