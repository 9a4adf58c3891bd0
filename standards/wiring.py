"""The standards app's entries in the registry: the "Standards" navigation section,
the project tab, the PMO cockpit tile, search of processes and templates, demo data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pmo.core.registry import (
    DashboardWidget,
    DemoSeeder,
    NavEntry,
    ProjectMetric,
    ProjectTab,
    Searchable,
    registry,
)

SECTION = _("Standards")

NAV = (
    # key, label, url name, icon, permission, prefix
    (
        "standards_library",
        _("Methodologies"),
        "standards:library",
        "journal-check",
        "standards.view_library",
        "/standards/methodologies/",
    ),
    (
        "standards_templates",
        _("Templates"),
        "standards:template_list",
        "file-earmark-text",
        "standards.view_library",
        "/standards/templates/",
    ),
    (
        "standards_compliance",
        _("Compliance"),
        "standards:compliance",
        "clipboard-check",
        "standards.view_compliance",
        "/standards/compliance/",
    ),
    (
        "standards_changes",
        _("Change requests"),
        "standards:change_list",
        "arrow-repeat",
        "standards.raise_change",
        "/standards/changes/",
    ),
    (
        "standards_adoption",
        _("PM system adoption"),
        "standards:adoption",
        "display",
        "standards.view_adoption",
        "/standards/adoption/",
    ),
    (
        "standards_tools",
        _("Tool evaluation"),
        "standards:tool_list",
        "ui-checks-grid",
        "standards.view_tools",
        "/standards/tools/",
    ),
    (
        "standards_suggestions",
        _("Suggestions"),
        "standards:suggestion_list",
        "chat-square-text",
        "standards.suggest",
        "/standards/suggestions/",
    ),
)


def register() -> None:
    for order, (key, label, url_name, icon, permission, prefix) in enumerate(NAV, start=50):
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
            key="standards",
            label=_("Methodology & deliverables"),
            view="standards.views.projects.project_tab",
            order=60,
            permission="standards.view_project_standards",
        )
    )
    registry.add_widget(
        DashboardWidget(
            key="standards_queue",
            dashboard="pmo",
            label=_("Standards: decisions waiting for the PMO"),
            render="standards.widgets.pmo_queue",
            order=40,
            width=6,
            permission="standards.decide_tailoring",
        )
    )
    registry.add_searchable(
        Searchable(
            key="standards_processes",
            label=_("Processes"),
            search="standards.search.processes",
            order=40,
        )
    )
    registry.add_searchable(
        Searchable(
            key="standards_templates",
            label=_("Document templates"),
            search="standards.search.templates",
            order=41,
        )
    )
    registry.add_metric(
        ProjectMetric(
            key="deliverable_compliance",
            label=_("Deliverable compliance"),
            compute="standards.metrics.deliverable_compliance",
            unit="%",
            source=_("Standards compliance: required deliverables of due gates that are present"),
            order=20,
        )
    )
    registry.add_demo_seeder(DemoSeeder(key="standards", seed="standards.demo.seed", order=40))
    _register_operations()


def _register_operations() -> None:
    """This app's part of the monthly PMO operations report."""
    from pmo.reports.operations import add_section

    add_section("standards", _("Standards"), order=30)
