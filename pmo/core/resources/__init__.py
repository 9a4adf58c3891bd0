"""Import-export resources of the core model: the columns of its spreadsheets.

Every column has a stable key (``code``, ``org_unit_code`` …) and a translated label.
An uploaded file may head a column with its key or with its label in Chinese or in
English, so a template downloaded in either language, or an export, can be filled in and
imported again. Related records are named by their natural keys (a unit's code, a
person's employee number), and rows are matched to existing records by natural key, so
importing the same file twice updates instead of duplicating.

Rows are validated by the widgets (:mod:`.widgets`) and by the model's ``full_clean()``, and written
through :mod:`pmo.core.services` (``orgunit_save``, ``person_save``, ``project_create``,
``project_update``, ``resource_demand_set``); :mod:`pmo.core.importing` runs them in one
transaction, all or nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pmo.core import search, services
from pmo.core.models import (
    Classification,
    Health,
    ImportJob,
    OrgUnit,
    Person,
    Project,
    ProjectType,
    ResourceDemand,
    Role,
    Stage,
)
from pmo.core.resources.base import LINE_COLUMN, CoreResource, by_code
from pmo.core.resources.spreadsheets import export_rows, template_xlsx, to_csv, to_xlsx
from pmo.core.resources.widgets import (
    FORMULA_TRIGGERS,
    UNIQUE_CODE,
    BooleanWidget,
    ChoiceWidget,
    Column,
    DateWidget,
    KeyWidget,
    MonthWidget,
    NumberWidget,
    TextWidget,
    field_label,
    list_separator,
    neutralise,
    normalise_header,
    text_column,
)

__all__ = [
    "FORMULA_TRIGGERS",
    "LINE_COLUMN",
    "RESOURCES",
    "BooleanWidget",
    "ChoiceWidget",
    "Column",
    "CoreResource",
    "DateWidget",
    "KeyWidget",
    "MonthWidget",
    "NumberWidget",
    "OrgUnitResource",
    "PersonResource",
    "ProjectExportResource",
    "ProjectResource",
    "ResourceDemandResource",
    "TextWidget",
    "export_rows",
    "list_separator",
    "neutralise",
    "normalise_header",
    "template_xlsx",
    "to_csv",
    "to_xlsx",
]


UNIT_CODE = gettext_lazy("organisational unit code")
# Rows per statement when a file is written in bulk.
BULK_BATCH = 500
ROLE_CODE = gettext_lazy("resource role code")


def key_column(attribute, key, label, model, key_field, *, required=False, check=None, **kwargs):
    """A column naming a related record by its natural key (a code, an employee number).

    ``required`` holds for both the widget, which refuses an empty cell, and the column,
    which the template marks as required.
    """
    widget = KeyWidget(model, key_field, required=required, check=check)
    return Column(attribute, key, label, widget, required=required, **kwargs)


class OrgUnitResource(CoreResource):
    """Organisational units; a unit's parent may be a unit created earlier in the file."""

    code = text_column(OrgUnit, "code", required=True, help_text=UNIQUE_CODE)
    name = text_column(OrgUnit, "name", required=True)
    name_en = text_column(OrgUnit, "name_en")
    kind = Column(
        "kind",
        "kind",
        field_label(OrgUnit, "kind"),
        ChoiceWidget(OrgUnit.Kind, default=OrgUnit.Kind.DEPARTMENT),
    )
    parent_code = key_column(
        "parent",
        "parent_code",
        gettext_lazy("parent unit code"),
        OrgUnit,
        "code",
        help_text=gettext_lazy(
            "Empty for the company at the top. May name a unit of the same file."
        ),
    )
    head_employee_no = key_column(
        "head",
        "head_employee_no",
        gettext_lazy("head's employee number"),
        Person,
        "employee_no",
        help_text=gettext_lazy("Import people first, then name the heads."),
    )

    key_columns = ("code",)
    self_reference = "parent_code"

    class Meta:
        model = OrgUnit
        fields = ("code", "name", "name_en", "kind", "parent_code", "head_employee_no")

    def load_existing(self, dataset):
        return by_code(OrgUnit, dataset, related=("parent", "head"))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The tree path is computed by orgunit_save; a new unit must reach it empty.
        placeholder = not instance.path
        if placeholder:
            instance.path = "/"
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        finally:
            if placeholder:
                instance.path = ""

    def check_row(self, instance, row, errors):
        if instance.parent is not None and instance.parent.code == instance.code:
            errors.setdefault("parent", []).append(
                ValidationError(_("A unit cannot be placed under itself."))
            )

    def write(self, instance, is_create):
        return services.orgunit_save(
            code=instance.code,
            name=instance.name,
            name_en=instance.name_en,
            kind=instance.kind,
            parent=instance.parent,
            head=instance.head,
            sort_order=instance.sort_order,
            unit=instance,
            actor=self.actor,
        )


PERSON_FIELDS = (
    "employee_no",
    "name",
    "name_en",
    "email",
    "phone",
    "title",
    "org_unit",
    "role",
    "weekly_capacity_hours",
    "cost_rate",
    "is_active",
)


class PersonResource(CoreResource):
    """People (human resources); logins are managed separately."""

    employee_no = text_column(
        Person,
        "employee_no",
        required=True,
        help_text=gettext_lazy(
            "Unique. A row with an employee number that already exists updates that person."
        ),
    )
    name = text_column(Person, "name", required=True)
    name_en = text_column(Person, "name_en")
    email = text_column(Person, "email")
    phone = text_column(Person, "phone")
    title = text_column(Person, "title")
    org_unit_code = key_column(
        "org_unit", "org_unit_code", UNIT_CODE, OrgUnit, "code", required=True
    )
    role_code = key_column("role", "role_code", ROLE_CODE, Role, "code")
    weekly_capacity_hours = Column(
        "weekly_capacity_hours",
        "weekly_capacity_hours",
        field_label(Person, "weekly_capacity_hours"),
        NumberWidget(default=Decimal(40)),
    )
    cost_rate = Column(
        "cost_rate", "cost_rate", field_label(Person, "cost_rate"), NumberWidget(default=Decimal(0))
    )
    is_active = Column(
        "is_active", "is_active", field_label(Person, "is_active"), BooleanWidget(default=True)
    )

    key_columns = ("employee_no",)

    class Meta:
        model = Person
        fields = (
            "employee_no",
            "name",
            "name_en",
            "email",
            "phone",
            "title",
            "org_unit_code",
            "role_code",
            "weekly_capacity_hours",
            "cost_rate",
            "is_active",
        )

    def load_existing(self, dataset):
        return by_code(Person, dataset, "employee_no", "employee_no", related=("org_unit", "role"))

    def write(self, instance, is_create):
        fields = {name: getattr(instance, name) for name in PERSON_FIELDS}
        return services.person_save(person=instance, actor=self.actor, **fields)


def _must_be_programme(project) -> None:
    if not project.is_program:
        raise ValueError(
            _("Project %(code)s is not a programme; mark it as a programme first.")
            % {"code": project.code}
        )


class ProjectResource(CoreResource):
    """Projects and programmes; the stage of an existing project is never changed here."""

    code = text_column(Project, "code", required=True, help_text=UNIQUE_CODE)
    name = text_column(Project, "name", required=True)
    name_en = text_column(Project, "name_en")
    description = text_column(Project, "description")
    type_code = key_column(
        "project_type", "type_code", gettext_lazy("project type code"), ProjectType, "code"
    )
    org_unit_code = key_column(
        "org_unit", "org_unit_code", UNIT_CODE, OrgUnit, "code", required=True
    )
    sponsor_employee_no = key_column(
        "sponsor",
        "sponsor_employee_no",
        gettext_lazy("sponsor's employee number"),
        Person,
        "employee_no",
    )
    manager_employee_no = key_column(
        "manager",
        "manager_employee_no",
        gettext_lazy("project manager's employee number"),
        Person,
        "employee_no",
    )
    program_code = key_column(
        "program",
        "program_code",
        gettext_lazy("programme code"),
        Project,
        "code",
        check=_must_be_programme,
        help_text=gettext_lazy(
            "A project marked as a programme, already in the system or in the same file."
        ),
    )
    is_program = Column(
        "is_program", "is_program", field_label(Project, "is_program"), BooleanWidget(default=False)
    )
    classification = Column(
        "classification",
        "classification",
        field_label(Project, "classification"),
        ChoiceWidget(Classification, default=Classification.GENERAL),
    )
    stage = Column(
        "stage",
        "stage",
        field_label(Project, "stage"),
        ChoiceWidget(Stage, default=Stage.IDEA),
        help_text=gettext_lazy(
            "Used for new projects only; existing projects change stage on their page."
        ),
    )
    planned_start = Column(
        "planned_start", "planned_start", field_label(Project, "planned_start"), DateWidget()
    )
    planned_finish = Column(
        "planned_finish", "planned_finish", field_label(Project, "planned_finish"), DateWidget()
    )
    budget = Column(
        "budget", "budget", field_label(Project, "budget"), NumberWidget(default=Decimal(0))
    )

    key_columns = ("code",)
    self_reference = "program_code"
    constraint_columns = {
        "project_budget_not_negative": "budget",
        "project_planned_finish_after_start": "planned_finish",
    }

    constraint_checks = {
        "project_budget_not_negative": lambda p: p.budget is None or p.budget >= 0,
        "project_percent_complete_0_100": lambda p: 0 <= p.percent_complete <= 100,
        "project_planned_finish_after_start": lambda p: (
            p.planned_finish is None
            or p.planned_start is None
            or p.planned_finish >= p.planned_start
        ),
    }

    class Meta:
        model = Project
        # Thousands of projects in one file: checked without a query per row, written
        # in bulk with their history, key members and search entries (write_bulk).
        use_bulk = True
        fields = (
            "code",
            "name",
            "name_en",
            "description",
            "type_code",
            "org_unit_code",
            "sponsor_employee_no",
            "manager_employee_no",
            "program_code",
            "is_program",
            "classification",
            "stage",
            "planned_start",
            "planned_finish",
            "budget",
        )

    def load_existing(self, dataset):
        return by_code(Project, dataset, related=("org_unit", "manager", "sponsor", "program"))

    def import_instance(self, instance, row, **kwargs):
        stage_before = instance.stage if instance.pk else None
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            if stage_before is not None and instance.stage != stage_before:
                self._note["warnings"].append(
                    _(
                        "The stage stays %(stage)s: an existing project changes stage "
                        "on its own page."
                    )
                    % {"stage": Stage(stage_before).label}
                )
                instance.stage = stage_before

    def check_row(self, instance, row, errors):
        if instance.program is not None and instance.program.code == instance.code:
            errors.setdefault("program", []).append(
                ValidationError(_("A project cannot be its own programme."))
            )

    def write(self, instance, is_create):
        fields = {name: getattr(instance, name) for name in services.PROJECT_FIELDS}
        if is_create:
            return services.project_create(actor=self.actor, stage=instance.stage, **fields)
        return services.project_update(project=instance, actor=self.actor, **fields)

    def write_bulk(self, pending):
        """What project_create and project_update do for one row, for all rows at once.

        New projects are created level by level, so that a programme of the same file
        has its id before the projects that name it.
        """
        from simple_history.utils import bulk_create_with_history, bulk_update_with_history

        user = services.user_or_none(self.actor)
        now = timezone.now()
        remaining = [instance for instance, is_new in pending if is_new]
        updated = [instance for instance, is_new in pending if not is_new]
        while remaining:
            ready = [p for p in remaining if p.program is None or p.program.pk is not None]
            if not ready:
                raise ValueError("programmes of the file form a cycle")
            bulk_create_with_history(ready, Project, batch_size=BULK_BATCH, default_user=user)
            remaining = [p for p in remaining if p.pk is None]
        for project in updated:
            project.updated_at = now
        bulk_update_with_history(
            updated,
            Project,
            [*services.PROJECT_FIELDS, "updated_at"],
            batch_size=BULK_BATCH,
            default_user=user,
            default_date=now,
        )
        projects = [instance for instance, _new in pending]
        services.project_key_members_sync(projects=projects, actor=self.actor)
        search.index_objects(projects)


class ProjectExportResource(ProjectResource):
    """The project register as exported: the import columns plus the summary."""

    org_unit_name = Column(
        "org_unit__name",
        "org_unit_name",
        gettext_lazy("organisational unit"),
        TextWidget(),
        readonly=True,
    )
    manager_name = Column(
        "manager__name",
        "manager_name",
        gettext_lazy("project manager"),
        TextWidget(),
        readonly=True,
    )
    health = Column(
        "health", "health", field_label(Project, "health"), ChoiceWidget(Health), readonly=True
    )
    percent_complete = Column(
        "percent_complete",
        "percent_complete",
        field_label(Project, "percent_complete"),
        NumberWidget(),
        readonly=True,
    )
    spend_to_date = Column(
        "spend_to_date",
        "spend_to_date",
        field_label(Project, "spend_to_date"),
        NumberWidget(),
        readonly=True,
    )
    last_status_date = Column(
        "last_status_date",
        "last_status_date",
        field_label(Project, "last_status_date"),
        DateWidget(),
        readonly=True,
    )
    actual_start = Column(
        "actual_start",
        "actual_start",
        field_label(Project, "actual_start"),
        DateWidget(),
        readonly=True,
    )
    actual_finish = Column(
        "actual_finish",
        "actual_finish",
        field_label(Project, "actual_finish"),
        DateWidget(),
        readonly=True,
    )

    class Meta:
        model = Project
        fields = (
            *ProjectResource.Meta.fields,
            "org_unit_name",
            "manager_name",
            "health",
            "percent_complete",
            "spend_to_date",
            "last_status_date",
            "actual_start",
            "actual_finish",
        )


class ResourceDemandResource(CoreResource):
    """Hours of a role per project and month; the key is project, role, month and source."""

    project_code = key_column(
        "project", "project_code", gettext_lazy("project code"), Project, "code", required=True
    )
    role_code = key_column("role", "role_code", ROLE_CODE, Role, "code", required=True)
    month = Column(
        "month",
        "month",
        field_label(ResourceDemand, "month"),
        MonthWidget(required=True),
        required=True,
    )
    hours = Column(
        "hours", "hours", field_label(ResourceDemand, "hours"), NumberWidget(), required=True
    )
    source = Column(
        "source",
        "source",
        field_label(ResourceDemand, "source"),
        ChoiceWidget(ResourceDemand.Source, default=ResourceDemand.Source.MANUAL),
    )
    note = text_column(ResourceDemand, "note")

    key_columns = ("project_code", "role_code", "month", "source")
    constraint_columns = {
        "demand_hours_positive": "hours",
        "demand_month_first_day": "month",
    }

    class Meta:
        model = ResourceDemand
        fields = ("project_code", "role_code", "month", "hours", "source", "note")

    def row_key(self, row):
        # A file may leave out the source column; the key then uses the default source.
        if "source" not in row:
            row = {**row, "source": None}
        return super().row_key(row)

    def load_existing(self, dataset):
        if "project_code" not in (dataset.headers or ()):
            return {}
        codes = {TextWidget().clean(v) for v in dataset["project_code"]} - {""}
        demands = ResourceDemand.objects.filter(project__code__in=codes).select_related(
            "project", "role"
        )
        return {(d.project_id, d.role_id, d.month, d.source): d for d in demands}

    def write(self, instance, is_create):
        return services.resource_demand_set(
            project=instance.project,
            role=instance.role,
            month=instance.month,
            hours=instance.hours,
            source=instance.source,
            note=instance.note,
            actor=self.actor,
        )


RESOURCES: dict[str, type[CoreResource]] = {
    ImportJob.Kind.ORG_UNITS: OrgUnitResource,
    ImportJob.Kind.PEOPLE: PersonResource,
    ImportJob.Kind.PROJECTS: ProjectResource,
    ImportJob.Kind.RESOURCE_DEMAND: ResourceDemandResource,
}
