"""The knowledge app's entries in the registry: the "Knowledge" navigation section, the
project tabs (similar lessons and cases, archive), search of lessons, cases, articles
and archive records, the PMO cockpit tile, the standards slot, a metric, demo data."""

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

SECTION = _("Knowledge")

NAV = (
    # key, label, url name, icon, permission, prefix
    ("knowledge_home", _("Knowledge base"), "knowledge:home", "book", "knowledge.view_library", ""),
    (
        "knowledge_lessons",
        _("Lessons learned"),
        "knowledge:lesson_list",
        "lightbulb",
        "knowledge.view_library",
        "/knowledge/lessons/",
    ),
    (
        "knowledge_cases",
        _("Cases"),
        "knowledge:case_list",
        "journal-richtext",
        "knowledge.view_library",
        "/knowledge/cases/",
    ),
    (
        "knowledge_articles",
        _("Articles"),
        "knowledge:article_list",
        "file-richtext",
        "knowledge.view_library",
        "/knowledge/articles/",
    ),
    (
        "knowledge_curation",
        _("Curation"),
        "knowledge:curation",
        "check2-square",
        "knowledge.curate",
        "/knowledge/curation/",
    ),
    (
        "knowledge_reuse",
        _("Reuse statistics"),
        "knowledge:reuse",
        "bar-chart-line",
        "knowledge.view_reuse",
        "/knowledge/reuse/",
    ),
    (
        "knowledge_archives",
        _("Archives"),
        "knowledge:archive_list",
        "archive",
        "knowledge.view_archives",
        "/knowledge/archives/",
    ),
    (
        "knowledge_loans",
        _("Borrowing"),
        "knowledge:loan_list",
        "box-arrow-up-right",
        "knowledge.borrow",
        "/knowledge/loans/",
    ),
)

SEARCH = (
    # key, label, model, document, queryset, order
    ("lessons", _("Lessons learned"), "knowledge.Lesson", "lesson_document", 20),
    ("cases", _("Cases"), "knowledge.Case", "case_document", 21),
    ("articles", _("Knowledge articles"), "knowledge.Article", "article_document", 22),
    ("archives", _("Archive records"), "knowledge.ArchiveRecord", "archive_document", 23),
)

METRICS = (
    (
        "lessons_contributed",
        _("Lessons contributed"),
        _("lessons"),
        _("Lessons captured in the period and not returned by the curators (knowledge)."),
    ),
    (
        "lessons_applied",
        _("Lessons and cases applied"),
        _("items"),
        _("Lessons and cases of other projects recorded as applied (knowledge)."),
    ),
)


def register() -> None:
    for order, (key, label, url_name, icon, permission, prefix) in enumerate(NAV, start=70):
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
    for key, label, model, document, order in SEARCH:
        registry.add_searchable(
            Searchable(
                key=key,
                label=label,
                model=model,
                document=f"knowledge.indexing.{document}",
                order=order,
            )
        )
    registry.add_project_tab(
        ProjectTab(
            key="knowledge_reuse",
            label=_("Lessons & cases"),
            view="knowledge.views.reuse.project_tab",
            order=80,
        )
    )
    registry.add_project_tab(
        ProjectTab(
            key="knowledge_archive",
            label=_("Archive"),
            view="knowledge.views.archives.project_archive_tab",
            order=85,
        )
    )
    registry.add_widget(
        DashboardWidget(
            key="knowledge_queue",
            dashboard="pmo",
            label=_("Knowledge: curation, filing and loans waiting"),
            render="knowledge.widgets.pmo_queue",
            order=45,
            width=6,
            permission="knowledge.curate",
        )
    )
    registry.add_widget(
        DashboardWidget(
            key="knowledge_my",
            dashboard="my",
            label=_("Loans to return and lessons to rework"),
            render="knowledge.widgets.my_knowledge",
            order=40,
            width=6,
        )
    )
    registry.add_widget(
        DashboardWidget(
            key="knowledge_process",
            dashboard="standards_process",
            label=_("Lessons that fed this process"),
            render="knowledge.widgets.standards_process",
            order=50,
            permission="knowledge.view_library",
        )
    )
    for order, (key, label, unit, source) in enumerate(METRICS, start=70):
        registry.add_metric(
            ProjectMetric(
                key=key,
                label=label,
                compute=f"knowledge.metrics.{key}",
                unit=unit,
                source=source,
                order=order,
            )
        )
    registry.add_demo_seeder(DemoSeeder(key="knowledge", seed="knowledge.demo.seed", order=60))
    _register_calendar()
    _register_digest()
    _register_operations()
    _register_event_kinds()


def _register_calendar() -> None:
    """The knowledge dates in each user's calendar feed."""
    from pmo.core.registry import CalendarSource

    registry.add_calendar_source(
        CalendarSource(
            key="knowledge",
            label=_("Archive loans due"),
            events="knowledge.calendar.events",
            order=30,
        )
    )


def _register_digest() -> None:
    """The weekly digest of the knowledge base, for everyone who reads it."""
    from pmo.core.registry import ReportKind

    registry.add_report_kind(
        ReportKind(
            code="knowledge_digest",
            label=_("Knowledge digest"),
            builder="knowledge.reports.knowledge_digest",
            description=_(
                "Each week: the lessons, cases and articles published, the most read and "
                "most applied, the articles due for review and the archive records filed; "
                "only items open to every employee are named."
            ),
            default_period="weekly",
            permission="knowledge.view_library",
            summary="knowledge.reports.knowledge_digest_summary",
        )
    )


def _register_operations() -> None:
    """This app's part of the monthly PMO operations report."""
    from pmo.reports.operations import add_section

    add_section("knowledge", _("Knowledge and archives"), order=40)


def _register_event_kinds() -> None:
    """Kinds of event notifications: each user chooses how they reach them, and the PMO
    may route them to chat channels."""
    from pmo.core.registry import EventKind

    registry.add_event_kind(
        EventKind(
            code="loan_due",
            label=_("Archive loan due soon"),
            description=_("A record you borrowed from the archive is due back in a few days."),
            order=50,
        )
    )
    registry.add_event_kind(
        EventKind(
            code="loan_overdue",
            label=_("Archive loan overdue"),
            description=_("A borrowed archive record was not returned by its due date."),
            order=51,
        )
    )
