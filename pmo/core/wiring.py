"""The core's own entries in the registry: navigation, project tabs, search."""

from django.utils.translation import gettext_lazy as _

from pmo.core.models import ImportJob
from pmo.core.registry import (
    DemoSeeder,
    ImportKind,
    NavEntry,
    ProjectMetric,
    ProjectTab,
    Searchable,
    registry,
)

OVERVIEW = _("Overview")


CORE_IMPORTS = (
    (ImportJob.Kind.ORG_UNITS, "OrgUnitResource"),
    (ImportJob.Kind.PEOPLE, "PersonResource"),
    (ImportJob.Kind.PROJECTS, "ProjectResource"),
    (ImportJob.Kind.RESOURCE_DEMAND, "ResourceDemandResource"),
)


def register() -> None:
    for order, (kind, resource) in enumerate(CORE_IMPORTS, start=1):
        registry.add_import_kind(
            ImportKind(
                code=kind.value,
                label=kind.label,
                resource=f"pmo.core.resources.{resource}",
                order=order,
            )
        )
    registry.add_nav(
        NavEntry(
            key="cockpit",
            label=_("PMO cockpit"),
            url_name="core:cockpit",
            icon="speedometer2",
            order=1,
            permission="core.view_pmo_cockpit",
        )
    )
    registry.add_nav(
        NavEntry(
            key="dashboard",
            label=_("Executive dashboard"),
            url_name="core:dashboard",
            icon="graph-up",
            order=2,
            permission="core.view_executive_dashboard",
        )
    )
    registry.add_nav(
        NavEntry(
            key="my_work",
            label=_("My work"),
            url_name="core:my_work",
            icon="person-workspace",
            order=3,
        )
    )
    registry.add_nav(
        NavEntry(
            key="projects",
            label=_("Projects"),
            url_name="core:project_list",
            icon="folder2-open",
            order=5,
            match_prefix="/projects/",
        )
    )
    registry.add_nav(
        NavEntry(
            key="people",
            label=_("People"),
            url_name="core:person_list",
            icon="people",
            order=80,
            section=_("Organisation"),
            match_prefix="/people/",
        )
    )
    registry.add_nav(
        NavEntry(
            key="org",
            label=_("Organisation"),
            url_name="core:orgunit_tree",
            icon="diagram-2",
            order=81,
            section=_("Organisation"),
            match_prefix="/org/",
        )
    )
    registry.add_nav(
        NavEntry(
            key="import",
            label=_("Import data"),
            url_name="core:import_start",
            icon="upload",
            order=90,
            section=_("Administration"),
            permission="core.import_data",
            match_prefix="/import/",
        )
    )
    import rules

    from pmo.core.rules import is_pmo_admin

    rules.add_perm("core.manage_channels", is_pmo_admin)
    registry.add_nav(
        NavEntry(
            key="channels",
            label=_("Chat channels"),
            url_name="core:channel_list",
            icon="robot",
            order=93,
            section=_("Administration"),
            permission="core.manage_channels",
            match_prefix="/channels/",
        )
    )
    registry.add_demo_seeder(
        DemoSeeder(key="channels", seed="pmo.core.notify.seed_demo", order=900)
    )
    registry.add_nav(
        NavEntry(
            key="users",
            label=_("Users and roles"),
            url_name="core:user_list",
            icon="person-gear",
            order=94,
            section=_("Administration"),
            permission="core.manage_users",
            match_prefix="/users/",
        )
    )
    registry.add_nav(
        NavEntry(
            key="security_admin",
            label=_("Security administration"),
            url_name="core:lockout_list",
            icon="shield-check",
            order=95,
            section=_("Administration"),
            permission="core.manage_security",
            match_prefix="/security/admin/",
        )
    )
    registry.add_nav(
        NavEntry(
            key="security_events",
            label=_("Security log"),
            url_name="core:security_events",
            icon="shield-lock",
            order=96,
            section=_("Administration"),
            permission="core.view_security_events",
            match_prefix="/security/events/",
        )
    )
    from pmo.core import audit

    audit.connect_signals()
    registry.add_demo_seeder(DemoSeeder(key="security", seed="pmo.core.audit.seed_demo", order=950))
    for key, label, order in (
        ("overview", OVERVIEW, 0),
        ("members", _("Team"), 10),
        ("demand", _("Resource demand"), 20),
        ("history", _("History"), 90),
    ):
        registry.add_project_tab(
            ProjectTab(key=key, label=label, view=f"pmo.core.views.projects.tab_{key}", order=order)
        )
    # The index keeps these current; pmo.core.search connects the signal handlers.
    from pmo.core import search  # noqa: F401

    for key, label, model, document, order in (
        ("projects", _("Projects"), "core.Project", "project_document", 1),
        ("people", _("People"), "core.Person", "person_document", 2),
        ("org_units", _("Organisational units"), "core.OrgUnit", "org_unit_document", 3),
    ):
        registry.add_searchable(
            Searchable(
                key=key,
                label=label,
                model=model,
                document=f"pmo.core.search.{document}",
                order=order,
            )
        )
    registry.add_demo_seeder(
        DemoSeeder(key="search_index", seed="pmo.core.search.seed_index", order=1000)
    )
    for order, key, label in (
        (1, "spi", _("Schedule performance index (SPI)")),
        (2, "cpi", _("Cost performance index (CPI)")),
    ):
        registry.add_metric(
            ProjectMetric(
                key=key,
                label=label,
                compute=f"pmo.core.metrics.{key}",
                source=_("Project summary: the latest status report's earned value"),
                order=order,
            )
        )
