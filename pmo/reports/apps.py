from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "pmo.reports"
    label = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pmo.core.registry import NavEntry, ReportKind, registry
        from pmo.reports import demo, demo_log, operations, rules  # noqa: F401

        section = _("Reports")
        registry.add_nav(
            NavEntry(
                key="reports_archive",
                label=_("Report archive"),
                url_name="reports:archive",
                icon="archive",
                order=70,
                section=section,
                permission="reports.view_archive",
            )
        )
        registry.add_nav(
            NavEntry(
                key="reports_catalogue",
                label=_("Report catalogue"),
                url_name="reports:catalogue",
                icon="file-earmark-pdf",
                order=71,
                section=section,
                permission="reports.view_archive",
                match_prefix="/reports/catalogue/",
            )
        )
        registry.add_nav(
            NavEntry(
                key="reports_subscriptions",
                label=_("Subscriptions"),
                url_name="reports:subscriptions",
                icon="envelope-paper",
                order=72,
                section=section,
                permission="reports.manage_subscriptions",
                match_prefix="/reports/subscriptions/",
            )
        )
        registry.add_report_kind(
            ReportKind(
                code="project_register",
                label=_("Project register"),
                builder="pmo.reports.builders.project_register",
                summary="pmo.reports.builders.project_register_summary",
                description=_(
                    "All active projects with unit, manager, health, progress, budget and "
                    "spend, the portfolio totals, a health chart and money by unit."
                ),
                default_period="weekly",
                permission="reports.view_archive",
                scoped=True,
            )
        )
        operations.register()
        demo.register()
        demo_log.register()
