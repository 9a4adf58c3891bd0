"""The portfolio app's entries in the registry: navigation, tabs, widgets, reports,
imports, demo data. A nav entry whose URL does not exist is not shown."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pmo.core.registry import DemoSeeder, ImportKind, NavEntry, ProjectTab, Searchable, registry

SECTION = _("Strategy & portfolio")

NAV = (
    # key, label, url name, icon, permission, prefix
    (
        "strategy",
        _("Strategy"),
        "portfolio:strategy",
        "bullseye",
        "portfolio.view_strategy",
        "/portfolio/strategy/",
    ),
    (
        "alignment",
        _("Strategic alignment"),
        "portfolio:alignment",
        "grid-3x3",
        "portfolio.view_strategy",
        "/portfolio/alignment/",
    ),
    (
        "portfolios",
        _("Portfolios"),
        "portfolio:portfolio_list",
        "collection",
        "portfolio.view_portfolio",
        "/portfolio/portfolios/",
    ),
    (
        "capacity",
        _("Capacity"),
        "portfolio:capacity",
        "people-fill",
        "portfolio.view_capacity",
        "/portfolio/capacity/",
    ),
    (
        "watchlist",
        _("Strategic watch list"),
        "portfolio:watchlist",
        "eye",
        "portfolio.view_monitoring",
        "/portfolio/watchlist/",
    ),
    (
        "portfolio_dashboard",
        _("Portfolio dashboard"),
        "portfolio:dashboard",
        "pie-chart",
        "portfolio.view_monitoring",
        "/portfolio/dashboard/",
    ),
)


def register() -> None:
    for order, (key, label, url_name, icon, permission, prefix) in enumerate(NAV, start=10):
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
    registry.add_demo_seeder(DemoSeeder(key="portfolio", seed="portfolio.demo.seed", order=10))
    # strategy: the Strategy tab of a project, the Excel import of themes and objectives
    registry.add_project_tab(
        ProjectTab(
            key="strategy",
            label=_("Strategy"),
            view="portfolio.views.strategy.tab_strategy",
            order=30,
        )
    )
    for order, (code, label, resource) in enumerate(
        (
            ("strategic_themes", _("Strategic themes"), "StrategicThemeResource"),
            ("objectives", _("Strategic objectives"), "ObjectiveResource"),
        ),
        start=20,
    ):
        registry.add_import_kind(
            ImportKind(
                code=code,
                label=label,
                resource=f"portfolio.resources.{resource}",
                order=order,
                permission="portfolio.import_objectives",
            )
        )
    for order, (key, label, search) in enumerate(
        (
            ("objectives", _("Strategic objectives"), "search_objectives"),
            ("portfolios", _("Portfolios"), "search_portfolios"),
        ),
        start=20,
    ):
        registry.add_searchable(
            Searchable(
                key=key,
                label=label,
                search=f"portfolio.selectors.strategy.{search}",
                order=order,
            )
        )
    _register_monitoring()
    _register_prioritisation()
    _register_strategic_review()


def _register_prioritisation() -> None:
    """Prioritisation: the rating scales every portfolio rates its candidates on."""
    registry.add_nav(
        NavEntry(
            key="rating_scales",
            label=_("Rating scales"),
            url_name="portfolio:scale_list",
            icon="rulers",
            order=12,  # next to Portfolios
            section=SECTION,
            permission="portfolio.view_portfolio",
            match_prefix="/portfolio/scales/",
        )
    )


def _register_monitoring() -> None:
    """Monitoring: the project tab, the dashboard tiles and the weekly status report."""
    from pmo.core.registry import DashboardWidget, DemoSeeder, ProjectTab, ReportKind

    # After every app's demo data (status reports change the summaries the rules read).
    registry.add_demo_seeder(
        DemoSeeder(
            key="portfolio_flags", seed="portfolio.demo.monitoring.refresh_flags", order=1000
        )
    )

    registry.add_project_tab(
        ProjectTab(
            key="monitoring",
            label=_("Monitoring"),
            view="portfolio.views.monitoring.project_tab",
            order=35,
            permission="portfolio.view_monitoring",
        )
    )
    for key, dashboard, label, render, order in (
        (
            "portfolio_objectives",
            "executive",
            _("Strategic objectives"),
            "strategic_objectives",
            10,
        ),
        (
            "portfolio_attention",
            "executive",
            _("Strategic projects needing attention"),
            "strategic_attention",
            11,
        ),
        ("portfolio_flags", "pmo", _("Open attention flags"), "open_flags", 10),
        (
            "portfolio_decisions",
            "pmo",
            _("Recommendations awaiting decision"),
            "awaiting_decision",
            11,
        ),
    ):
        registry.add_widget(
            DashboardWidget(
                key=key,
                dashboard=dashboard,
                label=label,
                render=f"portfolio.widgets.{render}",
                order=order,
                width=6,
                permission="portfolio.view_monitoring",
            )
        )
    registry.add_report_kind(
        ReportKind(
            code="portfolio_status",
            label=_("Portfolio status"),
            builder="portfolio.reports.portfolio_status",
            description=_(
                "The strategic portfolio each week: objectives' progress, health, budget, "
                "spend and forecast charts, the watch list with SPI, CPI and open flags, "
                "milestones due and recommendations awaiting decision."
            ),
            default_period="weekly",
            permission="portfolio.view_monitoring",
            scoped=True,
        )
    )


def _register_strategic_review() -> None:
    """The quarterly strategic review, for those who follow the strategic portfolio."""
    from pmo.core.registry import ReportKind

    registry.add_report_kind(
        ReportKind(
            code="strategic_review",
            label=_("Strategic review"),
            builder="portfolio.reports.strategic_review",
            description=_(
                "Each quarter: every strategic objective's KPI from baseline to target with its "
                "latest measurement and progress, the projects serving it with health, SPI "
                "and CPI, the portfolio's balance by type and unit, the watch list, the "
                "recommendations decided in the quarter, and budget against spend and forecast."
            ),
            default_period="quarterly",
            permission="portfolio.view_monitoring",
            summary="portfolio.reports.strategic_review_summary",
            scoped=True,
        )
    )
