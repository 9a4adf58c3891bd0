"""How duty apps add themselves to shared screens without the core importing them.

Each app fills the registry in its ``AppConfig.ready()``:

    registry.add_nav(NavEntry(key="portfolio", label=_("Portfolio"), url_name="portfolio:home",
                              icon="diagram-3", order=10))
    registry.add_project_tab(ProjectTab(key="status", label=_("Status"),
                                        view="delivery.views.project_status_tab", order=20))

The core's pages read the registry: the sidebar, the tabs of the project page, the
widgets of the dashboards, the global search and the report catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.module_loading import import_string

# Sidebar URLs take no arguments, so each is reversed once per URL configuration and
# script prefix instead of twice per entry on every page (70 entries for the PMO).
_NAV_URLS: dict[tuple, str] = {}


def _allowed(check: Callable[[Any], bool] | str | None, user, obj=None) -> bool:
    if check is None:
        return bool(getattr(user, "is_authenticated", False))
    if isinstance(check, str):
        return user.has_perm(check, obj) if obj is not None else user.has_perm(check)
    return bool(check(user) if obj is None else check(user, obj))


@dataclass(frozen=True)
class NavEntry:
    """A sidebar link; ``section`` groups entries under a heading."""

    key: str
    label: Any
    url_name: str
    icon: str = "circle"
    order: int = 100
    section: Any = ""
    permission: Callable[[Any], bool] | str | None = None
    match_prefix: str = ""

    def url(self) -> str:
        key = (self.url_name, get_urlconf(), get_script_prefix())
        if key not in _NAV_URLS:
            _NAV_URLS[key] = reverse(self.url_name)
        return _NAV_URLS[key]

    def visible_to(self, user) -> bool:
        return _allowed(self.permission, user)


@dataclass(frozen=True)
class ProjectTab:
    """A tab of the project page; ``view`` is a dotted path to ``view(request, project)``
    returning the tab's HTML response."""

    key: str
    label: Any
    view: str
    order: int = 100
    permission: Callable[[Any, Any], bool] | str | None = "core.view_project"

    def visible_to(self, user, project) -> bool:
        return _allowed(self.permission, user, project)

    def render(self, request, project):
        return import_string(self.view)(request, project)


@dataclass(frozen=True)
class DashboardWidget:
    """A tile of a dashboard (``executive``, ``pmo`` or ``my``); ``render`` is a dotted
    path to ``render(request, filters) -> str`` (HTML)."""

    key: str
    dashboard: str
    label: Any
    render: str
    order: int = 100
    width: int = 6
    permission: Callable[[Any], bool] | str | None = None

    def visible_to(self, user) -> bool:
        return _allowed(self.permission, user)

    def html(self, request, filters: dict) -> str:
        return import_string(self.render)(request, filters)


@dataclass(frozen=True)
class Searchable:
    """A kind of record found by the global search.

    Indexed (preferred): ``model`` ("app_label.ModelName") and ``document``, a dotted
    path to ``document(obj) -> SearchDocument | None`` (``None``: not to be found). The
    core keeps the index current when such a model is saved or deleted and rebuilds it
    with ``manage.py search_rebuild``; ``queryset`` (optional dotted path to a function
    returning the rows to index) narrows or joins the rebuild.

    Unindexed: ``search`` is a dotted path to ``search(user, query, limit) ->
    list[SearchHit]`` run at every query.
    """

    key: str
    label: Any
    search: str = ""
    order: int = 100
    model: str = ""
    document: str = ""
    queryset: str = ""

    @property
    def indexed(self) -> bool:
        return bool(self.model and self.document)

    def run(self, user, query: str, limit: int) -> list[SearchHit]:
        return import_string(self.search)(user, query, limit)

    def describe(self, obj) -> SearchDocument | None:
        return import_string(self.document)(obj)

    def rows(self):
        if self.queryset:
            return import_string(self.queryset)()
        from django.apps import apps

        return apps.get_model(self.model)._default_manager.all()


@dataclass(frozen=True)
class SearchDocument:
    """What the index keeps of one record: its text and who may find it.

    ``access``: "all" (everyone signed in), "project" (those who may see ``project_id``;
    also ``owner_id`` and the PMO) or "restricted" (``owner_id``, members of ``group``
    and the PMO only).
    """

    title: str
    url: str
    body: str = ""
    access: str = "all"
    project_id: int | None = None
    owner_id: int | None = None
    group: str = ""


@dataclass(frozen=True)
class SearchHit:
    """One result; ``title_html`` and ``snippet_html`` (escaped, matches in ``<mark>``)
    come from the index, plain ``snippet`` from unindexed searchables."""

    title: str
    url: str
    snippet: str = ""
    kind: Any = ""
    title_html: str = ""
    snippet_html: str = ""


@dataclass(frozen=True)
class ReportKind:
    """A report the report service can render and send on a schedule.

    ``builder`` is a dotted path to ``build(params: dict, language: str) -> ReportContent``.
    The renderer adds ``period_start``, ``period_end`` and ``period_label`` to ``params``;
    the builder returns a ``pmo.reports.content.ReportContent`` (see that module).
    """

    code: str
    label: Any
    builder: str
    description: Any = ""
    default_period: str = "weekly"
    permission: Callable[[Any], bool] | str | None = None
    summary: str = ""
    """Dotted path to ``summary(params, language) -> list[tuple[str, str]]``: the few
    (label, value) lines a chat card shows; without it the card shows the description."""
    scoped: bool = False
    """True when what the report shows depends on the reader's visibility: it is then
    rendered once per period, language and visibility scope, and the builder reads the
    projects through ``pmo.reports.content.visible_projects(params)``."""

    def build(self, params: dict, language: str):
        return import_string(self.builder)(params, language)

    def summarise(self, params: dict, language: str) -> list[tuple[str, str]]:
        return list(import_string(self.summary)(params, language)) if self.summary else []

    def visible_to(self, user) -> bool:
        return _allowed(self.permission, user)


@dataclass(frozen=True)
class ImportKind:
    """A kind of data the import page takes: ``resource`` is a dotted path to a
    ``pmo.core.resources.CoreResource`` subclass; ``permission`` guards both the choice
    on the upload form and the template download."""

    code: str
    label: Any
    resource: str
    order: int = 100
    permission: Callable[[Any], bool] | str | None = "core.import_data"

    def resource_class(self):
        return import_string(self.resource)

    def visible_to(self, user) -> bool:
        return _allowed(self.permission, user)


@dataclass(frozen=True)
class ProjectMetric:
    """A measure of how a project is managed, computed from one app's data.

    Evaluation's computed criteria and talent's appraisal KPIs choose among these, so an
    app adds a measure without the readers importing it. ``compute`` is a dotted path to
    ``compute(project_ids: list[int], start: date, end: date) -> dict[int, float | None]``
    (one value per project over the period, ``None`` when there is no data); ``source``
    says in words where the figure comes from, shown beside every computed value.
    """

    key: str
    label: Any
    compute: str
    unit: Any = ""
    source: Any = ""
    higher_is_better: bool = True
    order: int = 100

    def values(self, project_ids, start, end) -> dict[int, float | None]:
        return import_string(self.compute)(list(project_ids), start, end)


@dataclass(frozen=True)
class DemoSeeder:
    """A duty app's part of ``manage.py seed_demo``: ``seed`` is a dotted path to
    ``seed(demo: pmo.core.demo.DemoData)``, run after the core demo data in ``order``. It
    must be idempotent (look rows up by natural keys) and deterministic (``demo.rng(key)``)."""

    key: str
    seed: str
    order: int = 100

    def run(self, demo) -> None:
        import_string(self.seed)(demo)


@dataclass(frozen=True)
class EventKind:
    """A kind of event notification (status overdue, escalation, gate waiting …).

    Apps pass ``event=code`` to ``pmo.core.services.notification_send``; each user
    chooses per kind how it reaches them (in the app only, e-mail at once, or the daily
    digest), and the PMO may route a kind to chat-robot channels as well.
    ``default`` is the delivery a user has before choosing: "instant", "digest" or "app".
    """

    code: str
    label: Any
    description: Any = ""
    default: str = "instant"
    order: int = 100


@dataclass(frozen=True)
class CalendarEvent:
    """One entry of a user's calendar feed; ``start``/``end`` are dates (all-day) or
    aware datetimes; ``uid`` is stable across feeds (e.g. "gate-17@delivery")."""

    uid: str
    title: str
    start: Any
    end: Any = None
    url: str = ""
    description: str = ""
    category: Any = ""


@dataclass(frozen=True)
class CalendarSource:
    """Dated things of an app for a user's iCalendar feed.

    ``events`` is a dotted path to ``events(user, start: date, end: date) ->
    Iterable[CalendarEvent]``, returning only what ``user`` may see, in a bounded number
    of queries.
    """

    key: str
    label: Any
    events: str
    order: int = 100

    def events_for(self, user, start, end) -> list[CalendarEvent]:
        return list(import_string(self.events)(user, start, end))


@dataclass(frozen=True)
class ReportSection:
    """A part an app adds to a composite report (e.g. the monthly PMO operations pack).

    ``build`` is a dotted path to ``build(params, language) -> dict | None`` returning the
    context of ``template`` (an HTML fragment rendered into the report body), or None
    when the section has nothing to say for the period.
    """

    report: str
    key: str
    label: Any
    template: str
    build: str
    order: int = 100

    def context(self, params: dict, language: str) -> dict | None:
        return import_string(self.build)(params, language)


@dataclass
class Registry:
    nav: dict[str, NavEntry] = field(default_factory=dict)
    project_tabs: dict[str, ProjectTab] = field(default_factory=dict)
    widgets: dict[str, DashboardWidget] = field(default_factory=dict)
    searchables: dict[str, Searchable] = field(default_factory=dict)
    report_kinds: dict[str, ReportKind] = field(default_factory=dict)
    demo_seeders: dict[str, DemoSeeder] = field(default_factory=dict)
    import_kinds: dict[str, ImportKind] = field(default_factory=dict)
    metrics: dict[str, ProjectMetric] = field(default_factory=dict)
    event_kinds: dict[str, EventKind] = field(default_factory=dict)
    calendar_sources: dict[str, CalendarSource] = field(default_factory=dict)
    report_sections: dict[str, ReportSection] = field(default_factory=dict)

    def add_nav(self, entry: NavEntry) -> None:
        self.nav[entry.key] = entry

    def add_project_tab(self, tab: ProjectTab) -> None:
        self.project_tabs[tab.key] = tab

    def add_widget(self, widget: DashboardWidget) -> None:
        self.widgets[widget.key] = widget

    def add_searchable(self, searchable: Searchable) -> None:
        self.searchables[searchable.key] = searchable

    def searchables_for_model(self, label: str) -> list[Searchable]:
        """The indexed searchables of a model ("app_label.ModelName", case-insensitive)."""
        label = label.lower()
        return [s for s in self.searchables.values() if s.indexed and s.model.lower() == label]

    def add_report_kind(self, kind: ReportKind) -> None:
        self.report_kinds[kind.code] = kind

    def add_demo_seeder(self, seeder: DemoSeeder) -> None:
        self.demo_seeders[seeder.key] = seeder

    def add_import_kind(self, kind: ImportKind) -> None:
        self.import_kinds[kind.code] = kind

    def add_metric(self, metric: ProjectMetric) -> None:
        self.metrics[metric.key] = metric

    def add_event_kind(self, kind: EventKind) -> None:
        self.event_kinds[kind.code] = kind

    def event_kind_list(self) -> list[EventKind]:
        return sorted(self.event_kinds.values(), key=lambda k: (k.order, k.code))

    def add_calendar_source(self, source: CalendarSource) -> None:
        self.calendar_sources[source.key] = source

    def calendar_source_list(self) -> list[CalendarSource]:
        return sorted(self.calendar_sources.values(), key=lambda c: (c.order, c.key))

    def add_report_section(self, section: ReportSection) -> None:
        self.report_sections[f"{section.report}.{section.key}"] = section

    def sections_for(self, report: str) -> list[ReportSection]:
        found = [s for s in self.report_sections.values() if s.report == report]
        return sorted(found, key=lambda s: (s.order, s.key))

    def metric_list(self) -> list[ProjectMetric]:
        return sorted(self.metrics.values(), key=lambda m: (m.order, m.key))

    def import_kinds_for(self, user) -> list[ImportKind]:
        kinds = sorted(self.import_kinds.values(), key=lambda k: (k.order, k.code))
        return [k for k in kinds if k.visible_to(user)]

    def nav_for(self, user) -> list[NavEntry]:
        entries = []
        for entry in sorted(self.nav.values(), key=lambda e: (e.order, e.key)):
            if not entry.visible_to(user):
                continue
            try:
                entry.url()
            except NoReverseMatch:
                continue
            entries.append(entry)
        # One heading per section: a section's entries sit together, sections in the
        # order of their first entry.
        first: dict[str, int] = {}
        for index, entry in enumerate(entries):
            first.setdefault(str(entry.section), index)
        return sorted(entries, key=lambda e: first[str(e.section)])

    def tabs_for(self, user, project) -> list[ProjectTab]:
        """The tabs ``user`` may open on ``project``; a permission named by several tabs
        (most use "core.view_project") is checked once."""
        tabs = sorted(self.project_tabs.values(), key=lambda t: (t.order, t.key))
        checked: dict[str, bool] = {}
        visible = []
        for tab in tabs:
            if isinstance(tab.permission, str):
                if tab.permission not in checked:
                    checked[tab.permission] = tab.visible_to(user, project)
                allowed = checked[tab.permission]
            else:
                allowed = tab.visible_to(user, project)
            if allowed:
                visible.append(tab)
        return visible

    def widgets_for(self, dashboard: str, user) -> list[DashboardWidget]:
        found = [w for w in self.widgets.values() if w.dashboard == dashboard]
        return [w for w in sorted(found, key=lambda w: (w.order, w.key)) if w.visible_to(user)]

    def report_kind(self, code: str) -> ReportKind:
        return self.report_kinds[code]


registry = Registry()
