"""The decisions app's entries in the registry: navigation, the project tab, dashboard
widgets, the decision pack report and the demo data."""

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

SECTION = _("Investment decisions")


def register() -> None:
    registry.add_nav(
        NavEntry(
            key="studies",
            label=_("Feasibility studies"),
            url_name="decisions:study_list",
            icon="clipboard-data",
            order=30,
            section=SECTION,
            permission="decisions.view_study_list",
            match_prefix="/decisions/studies/",
        )
    )
    registry.add_nav(
        NavEntry(
            key="my_reviews",
            label=_("My reviews"),
            url_name="decisions:my_reviews",
            icon="check2-square",
            order=31,
            section=SECTION,
            permission="decisions.is_reviewer",
            match_prefix="/decisions/reviews/",
        )
    )
    registry.add_nav(
        NavEntry(
            key="appraisal_settings",
            label=_("Appraisal settings"),
            url_name="decisions:settings",
            icon="sliders",
            order=92,
            section=_("Administration"),
            permission="decisions.configure",
        )
    )
    registry.add_project_tab(
        ProjectTab(
            key="business_case",
            label=_("Business case"),
            view="decisions.views.studies.project_tab",
            order=15,
        )
    )
    registry.add_widget(
        DashboardWidget(
            key="decisions_pmo_studies",
            dashboard="pmo",
            label=_("Feasibility studies awaiting review or decision"),
            render="decisions.views.widgets.pmo_studies",
            order=20,
            width=6,
            permission="decisions.view_study_list",
        )
    )
    registry.add_widget(
        DashboardWidget(
            key="decisions_pending",
            dashboard="executive",
            label=_("Investment decisions pending"),
            render="decisions.views.widgets.pending_decisions",
            order=41,
            width=6,
            permission="decisions.decide",
        )
    )
    registry.add_widget(
        DashboardWidget(
            key="decisions_benefits",
            dashboard="executive",
            label=_("Benefits realised against the business cases"),
            render="decisions.views.widgets.benefits_realised",
            order=31,
            width=5,
            permission="decisions.view_study_list",
        )
    )
    registry.add_widget(
        DashboardWidget(
            key="decisions_my_reviews",
            dashboard="my",
            label=_("My reviews"),
            render="decisions.views.widgets.my_reviews",
            order=20,
            width=6,
            permission="decisions.has_reviews",
        )
    )
    registry.add_report_kind(
        ReportKind(
            code="decision_pack",
            label=_("Investment decision pack"),
            builder="decisions.reports.decision_pack",
            description=_(
                "For the decision meeting: the recommendation with its reasons, the "
                "financials, the ranking of the alternatives, the risks and the reviewers' "
                "opinions. Generated from a study it covers that study; from the catalogue "
                "it covers every study awaiting a decision."
            ),
            default_period="weekly",
            permission="decisions.view_study_list",
        )
    )
    registry.add_searchable(
        Searchable(
            key="studies",
            label=_("Feasibility studies"),
            search="decisions.search.studies",
            order=20,
        )
    )
    registry.add_demo_seeder(DemoSeeder(key="decisions", seed="decisions.demo.seed", order=20))
    registry.add_demo_seeder(
        DemoSeeder(key="decisions_benefits", seed="decisions.demo.seed_benefits", order=21)
    )
    _register_operations()


def _register_operations() -> None:
    """This app's part of the monthly PMO operations report."""
    from pmo.reports.operations import add_section

    add_section("decisions", _("Decision support"), order=20)
