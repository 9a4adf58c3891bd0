"""The behaviour shared by the core's import resources.

Rows are matched to existing records by natural key, loaded in bulk before the first
row; unchanged rows are reported as such. A resource writes its rows either one by one
through a service, or, with ``Meta.use_bulk``, all at once after the last row has been
checked (``write_bulk``): then checking a file costs the same few queries whatever its
length, and writing it a few statements per thousand rows.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from import_export import resources

from pmo.core.resources.widgets import Column, KeyWidget, TextWidget


class CoreResource(resources.ModelResource):
    """Behaviour shared by the core's resources.

    Subclasses name their natural key (``key_columns``), load the records a file may
    update (``load_existing``) and write a row through a service (``write``).
    """

    key_columns: tuple[str, ...] = ()
    # The column naming a record of the same kind (a parent unit, a programme), which
    # an earlier row of the same file may create.
    self_reference: str = ""
    # Messages of model check constraints mapped to the column they are about.
    constraint_columns: dict[str, str] = {}
    # With Meta.use_bulk: each check constraint of the model as a test of one instance,
    # so that checking a row needs no query (Django checks a constraint with a query).
    constraint_checks: dict[str, object] = {}

    class Meta:
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, *, actor=None, **kwargs):
        super().__init__(**kwargs)
        self.actor = actor
        self.existing: dict[tuple, object] = {}
        self.first_line: dict[tuple, int] = {}
        self.notes: dict[int, dict] = {}
        self._note: dict = {}
        # With Meta.use_bulk: the checked rows waiting for write_bulk, as (instance, is_new).
        self.pending: list[tuple[object, bool]] = []
        # Told the number of rows checked so far, now and then (a background job's page).
        self.progress = None

    # columns ------------------------------------------------------------------------------

    def columns(self) -> list[Column]:
        """The columns in the order of ``Meta.fields`` (the model's order is not the file's)."""
        ordered = (self.fields.get(name) for name in self.get_export_order())
        return [field for field in ordered if isinstance(field, Column)]

    def import_columns(self) -> list[Column]:
        return [c for c in self.columns() if not c.readonly]

    def required_keys(self) -> list[str]:
        return [c.key for c in self.import_columns() if c.required]

    def header_map(self) -> dict[str, str]:
        """Normalised header text → column key, for keys and labels in both languages."""
        mapping: dict[str, str] = {}
        for column in self.import_columns():
            for alias in column.aliases():
                mapping.setdefault(alias, column.key)
        return mapping

    def column_for_attribute(self, attribute: str) -> str | None:
        for column in self.import_columns():
            if column.attribute == attribute:
                return column.key
        return None

    def error_columns(self, error: ValidationError) -> tuple[dict[str, list[str]], list[str]]:
        """A row's validation error split into messages per column and for the row."""
        by_column: dict[str, list[str]] = {}
        for_row: list[str] = []
        constraint_messages = self._constraint_messages()
        error_dict = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
        for name, errors in error_dict.items():
            messages = ValidationError(errors).messages
            if name in (None, NON_FIELD_ERRORS):
                for message in messages:
                    key = constraint_messages.get(message)
                    if key:
                        by_column.setdefault(key, []).append(message)
                    else:
                        for_row.append(message)
                continue
            key = self.column_for_attribute(name)
            if key:
                by_column.setdefault(key, []).extend(messages)
            else:
                label = _field_label(self._meta.model, name)
                for_row.extend(f"{label}: {message}" for message in messages)
        return by_column, for_row

    def _constraint_messages(self) -> dict[str, str]:
        result = {}
        for constraint in self._meta.model._meta.constraints:
            key = self.constraint_columns.get(constraint.name)
            if key:
                result[str(constraint.get_violation_error_message())] = key
        return result

    # the import ---------------------------------------------------------------------------

    def key_widgets(self) -> list[tuple[Column, KeyWidget]]:
        return [(c, c.widget) for c in self.import_columns() if isinstance(c.widget, KeyWidget)]

    def before_import(self, dataset, **kwargs):
        """Load in bulk what the rows name, so that a row costs no lookups of its own."""
        headers = set(dataset.headers or ())
        for column, widget in self.key_widgets():
            if column.key in headers:
                widget.prime(TextWidget().clean(v) for v in dataset[column.key])
        self.existing = self.load_existing(dataset)

    def load_existing(self, dataset) -> dict[tuple, object]:
        raise NotImplementedError

    def row_key(self, row) -> tuple | None:
        """The natural key of a row from its raw cells (None if a key cell is invalid)."""
        values = []
        for key in self.key_columns:
            column = self.fields[key]
            try:
                value = column.clean(row)
            except (ValueError, KeyError):
                return None
            values.append(getattr(value, "pk", value))
        if any(v in (None, "") for v in values):
            return None
        return tuple(values)

    def instance_key(self, instance) -> tuple | None:
        values = []
        for key in self.key_columns:
            value = self.fields[key].get_value(instance)
            values.append(getattr(value, "pk", value))
        if any(v in (None, "") for v in values):
            return None
        return tuple(values)

    def get_instance(self, instance_loader, row):
        key = self.row_key(row)
        return self.existing.get(key) if key else None

    def before_import_row(self, row, **kwargs):
        self._note = self.notes.setdefault(kwargs.get("row_number"), {"warnings": []})

    def after_import_row(self, row, row_result, **kwargs):
        number = kwargs.get("row_number") or 0
        if self.progress is not None and number % PROGRESS_EVERY == 0:
            self.progress(number)

    def import_instance(self, instance, row, **kwargs):
        """Set the row's values; a natural key met twice in one file is an error."""
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        self.check_row(instance, row, errors)
        key = self.instance_key(instance)
        if key is not None:
            line = row.get(LINE_COLUMN)
            first = self.first_line.setdefault(key, line)
            if first != line:
                attribute = self.fields[self.key_columns[0]].attribute
                errors.setdefault(attribute, []).append(
                    ValidationError(
                        _("Line %(line)s of this file already has this key.") % {"line": first}
                    )
                )
        if errors:
            raise ValidationError(errors)

    def check_row(self, instance, row, errors: dict) -> None:
        """Rules across columns of one row; add messages to ``errors``."""

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Report a bad row's cell errors together with the model's own.

        A row whose cells all read well is validated once, by the service that writes
        it; only a row that already has errors is cleaned here as well, so that the
        preview lists all of its problems at once. A bulk resource validates every row
        here, without queries (see ``validate_in_memory``).
        """
        if self._meta.use_bulk:
            self.validate_in_memory(instance, import_validation_errors or {})
        elif import_validation_errors:
            super().validate_instance(instance, import_validation_errors, validate_unique)

    def validate_in_memory(self, instance, errors: dict) -> None:
        """The model's own checks without a query per row.

        Related records were found by the key widgets in one query per column, the
        natural key is unique by construction (a known key updates its record, a key
        met twice in the file is an error), and the check constraints are tested by
        ``constraint_checks``. What only the database can still refuse (a record created
        by someone else meanwhile) fails ``write_bulk``, and with it the whole file.
        """
        errors = dict(errors)
        related = [f.name for f in instance._meta.concrete_fields if f.is_relation]
        try:
            instance.full_clean(
                exclude={*errors, *related}, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for constraint in instance._meta.constraints:
            if not isinstance(constraint, models.CheckConstraint):
                continue
            if _field_names(constraint.condition) & set(errors):
                continue
            if not self.constraint_checks[constraint.name](instance):
                errors.setdefault(NON_FIELD_ERRORS, []).append(
                    ValidationError(constraint.get_violation_error_message())
                )
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        """A bulk resource keeps the checked row for ``write_bulk``; others save it now."""
        if not self._meta.use_bulk:
            super().save_instance(instance, is_create, row, **kwargs)
            return
        self.pending.append((instance, is_create))
        self.after_save_instance(instance, row, **kwargs)

    def write_bulk(self, pending: list[tuple[object, bool]]) -> None:
        """Write every checked row of a bulk resource (inside the import's transaction)."""
        raise NotImplementedError

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row that changes nothing on an existing record is reported as unchanged."""
        if import_validation_errors or original is None or original.pk is None:
            return False
        changes = [
            column.key
            for column in self.import_columns()
            if column.key in row and column.get_value(instance) != column.get_value(original)
        ]
        self._note["changes"] = changes
        return not changes

    def do_instance_save(self, instance, is_create):
        saved = self.write(instance, is_create)
        if saved is not instance:
            instance.pk = saved.pk
            instance._state.adding = False
            instance._state.db = saved._state.db

    def write(self, instance, is_create: bool):
        raise NotImplementedError

    def after_save_instance(self, instance, row, **kwargs):
        key = self.instance_key(instance)
        if key is not None:
            self.existing[key] = instance
        if self.self_reference:
            self.fields[self.self_reference].widget.remember(instance)

    def after_import(self, dataset, result, **kwargs):
        """A bulk resource writes its rows now, if every row was valid and this is no trial.

        Ids are never imported, so the sequences need no reset.
        """
        if not (self._meta.use_bulk and self.pending) or kwargs.get("dry_run", True):
            return
        if result.has_errors() or result.has_validation_errors():
            return
        self.write_bulk(self.pending)
        self.pending = []


PROGRESS_EVERY = 250

# The dataset column that carries each row's line number in the uploaded file.
LINE_COLUMN = "_line"


def _field_names(condition: models.Q) -> set[str]:
    """The fields a Q condition reads, on either side of its lookups, however nested."""
    names: set[str] = set()
    for child in condition.children:
        if isinstance(child, models.Q):
            names |= _field_names(child)
            continue
        lookup, value = child
        names.add(lookup.split("__")[0])
        if isinstance(value, models.F):
            names.add(value.name.split("__")[0])
    return names


def _field_label(model, name: str) -> str:
    from django.core.exceptions import FieldDoesNotExist

    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def by_code(model, dataset, column: str = "code", field: str = "code", related=()):
    """The records a file names in ``column``, keyed as ``(code,)`` like a row key."""
    if column not in (dataset.headers or ()):
        return {}
    codes = {TextWidget().clean(v) for v in dataset[column]} - {""}
    objects = model._default_manager.filter(**{f"{field}__in": codes}).select_related(*related)
    return {(getattr(obj, field),): obj for obj in objects}
