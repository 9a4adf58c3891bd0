"""Excel/CSV import of the strategy: strategic themes and objectives.

The columns follow the core's conventions (``pmo.core.resources``): a stable key per
column, headers accepted as key or label in Chinese or English, related records named by
their codes, rows matched to existing records by code so a second import updates. An
objective may name as parent an objective created by an earlier row of the same file.
Rows are written through ``portfolio.services.strategy``; the core import runs them in
one transaction, all or nothing, after a preview.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pmo.core.models import Person
from pmo.core.resources import (
    UNIQUE_CODE,
    BooleanWidget,
    ChoiceWidget,
    Column,
    CoreResource,
    DateWidget,
    KeyWidget,
    NumberWidget,
)
from pmo.core.resources.base import by_code
from pmo.core.resources.widgets import field_label, text_column
from portfolio.models import Objective, StrategicTheme
from portfolio.services import strategy as services

OWNER = gettext_lazy("owner's employee number")


def _key(attribute, key, label, model, key_field, *, required=False, **kwargs) -> Column:
    widget = KeyWidget(model, key_field, required=required)
    return Column(attribute, key, label, widget, required=required, **kwargs)


def _number(model, name: str, *, default=None, required=False, **kwargs) -> Column:
    return Column(
        name,
        name,
        field_label(model, name),
        NumberWidget(default=default),
        required=required,
        **kwargs,
    )


class StrategicThemeResource(CoreResource):
    """Strategic themes, matched by code."""

    code = text_column(StrategicTheme, "code", required=True, help_text=UNIQUE_CODE)
    name = text_column(StrategicTheme, "name", required=True)
    name_en = text_column(StrategicTheme, "name_en")
    description = text_column(StrategicTheme, "description")
    owner_employee_no = _key("owner", "owner_employee_no", OWNER, Person, "employee_no")
    sort_order = _number(StrategicTheme, "sort_order", default=Decimal(0))
    is_active = Column(
        "is_active",
        "is_active",
        field_label(StrategicTheme, "is_active"),
        BooleanWidget(default=True),
    )

    key_columns = ("code",)

    class Meta:
        model = StrategicTheme
        fields = (
            "code",
            "name",
            "name_en",
            "description",
            "owner_employee_no",
            "sort_order",
            "is_active",
        )

    def load_existing(self, dataset):
        return by_code(StrategicTheme, dataset, related=("owner",))

    def write(self, instance, is_create):
        return services.theme_save(
            theme=instance,
            code=instance.code,
            name=instance.name,
            name_en=instance.name_en,
            description=instance.description,
            owner=instance.owner,
            sort_order=int(instance.sort_order or 0),
            is_active=instance.is_active,
            actor=self.actor,
        )


class ObjectiveResource(CoreResource):
    """Strategic objectives with their KPI, target, weight and place in the tree."""

    code = text_column(Objective, "code", required=True, help_text=UNIQUE_CODE)
    theme_code = _key(
        "theme",
        "theme_code",
        gettext_lazy("strategic theme code"),
        StrategicTheme,
        "code",
        required=True,
        help_text=gettext_lazy("Import the themes first, or create them on the strategy page."),
    )
    parent_code = _key(
        "parent",
        "parent_code",
        gettext_lazy("parent objective code"),
        Objective,
        "code",
        help_text=gettext_lazy(
            "Empty for a top objective. May name an objective of the same file; "
            "it must belong to the same theme."
        ),
    )
    name = text_column(Objective, "name", required=True)
    name_en = text_column(Objective, "name_en")
    description = text_column(Objective, "description")
    owner_employee_no = _key("owner", "owner_employee_no", OWNER, Person, "employee_no")
    period_start = Column(
        "period_start",
        "period_start",
        field_label(Objective, "period_start"),
        DateWidget(required=True),
        required=True,
    )
    period_end = Column(
        "period_end",
        "period_end",
        field_label(Objective, "period_end"),
        DateWidget(required=True),
        required=True,
    )
    kpi = text_column(Objective, "kpi", required=True)
    unit = text_column(Objective, "unit")
    baseline = _number(Objective, "baseline", default=Decimal(0))
    target = _number(Objective, "target", required=True)
    actual = _number(
        Objective,
        "actual",
        help_text=gettext_lazy(
            "A new value is recorded as a measurement of today unless a date is given."
        ),
    )
    measured_on = Column(
        "measured_on", "measured_on", field_label(Objective, "measured_on"), DateWidget()
    )
    weight = _number(
        Objective,
        "weight",
        default=Decimal(10),
        help_text=gettext_lazy("How much this objective matters within the strategy (0–100)."),
    )
    is_key = Column(
        "is_key", "is_key", field_label(Objective, "is_key"), BooleanWidget(default=False)
    )
    status = Column(
        "status",
        "status",
        field_label(Objective, "status"),
        ChoiceWidget(Objective.Status, default=Objective.Status.ON_TRACK),
    )
    sort_order = _number(Objective, "sort_order", default=Decimal(0))
    is_active = Column(
        "is_active", "is_active", field_label(Objective, "is_active"), BooleanWidget(default=True)
    )

    key_columns = ("code",)
    self_reference = "parent_code"
    constraint_columns = {"objective_period_end_after_start": "period_end"}

    class Meta:
        model = Objective
        fields = (
            "code",
            "theme_code",
            "parent_code",
            "name",
            "name_en",
            "description",
            "owner_employee_no",
            "period_start",
            "period_end",
            "kpi",
            "unit",
            "baseline",
            "target",
            "actual",
            "measured_on",
            "weight",
            "is_key",
            "status",
            "sort_order",
            "is_active",
        )

    def load_existing(self, dataset):
        return by_code(Objective, dataset, related=("theme", "parent", "owner"))

    def import_instance(self, instance, row, **kwargs):
        # A file that repeats the latest actual without its date keeps the recorded date.
        before = (instance.actual, instance.measured_on) if instance.pk else None
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            if before and instance.measured_on is None and instance.actual == before[0]:
                instance.measured_on = before[1]

    def check_row(self, instance, row, errors):
        parent = instance.parent
        if parent is None:
            return
        if parent.code == instance.code:
            errors.setdefault("parent", []).append(
                ValidationError(_("An objective cannot refine itself."))
            )
        elif instance.theme_id and parent.theme_id != instance.theme_id:
            errors.setdefault("parent", []).append(
                ValidationError(_("The parent objective must belong to the same strategic theme."))
            )

    def write(self, instance, is_create):
        fields = {name: getattr(instance, name) for name in services.OBJECTIVE_FIELDS}
        fields["sort_order"] = int(fields["sort_order"] or 0)
        return services.objective_save(
            objective=instance,
            actual=instance.actual,
            measured_on=instance.measured_on,
            actor=self.actor,
            **fields,
        )
