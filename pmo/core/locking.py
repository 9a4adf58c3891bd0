"""Optimistic locking for edit forms: the second of two concurrent saves is refused.

An edit form carries a hidden *version token*: a digest of the stored values of the
fields the form edits, taken when the form was opened. On save, the view runs the
service inside :func:`guard`, which reads the row again with ``select_for_update()``
in the save's transaction and compares its token with the posted one. When someone
else saved the record in between, the tokens differ and the save is refused with a
``ValidationError`` that the view shows on the re-rendered form like any service
error, so the user's input is kept.

A digest of the edited values (rather than a version column) needs no migration and
ignores writes that do not touch what the form shows, such as the project summary
that delivery keeps current. A post without a token (an API client, an old page) is
not checked: the token protects people from overwriting each other, it is not an
access control.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

VERSION_FIELD = "version_token"

CONFLICT_MESSAGE = _(
    "Someone else saved this record after you opened it, so your changes were not saved. "
    "Your input is still in the form: reload the page to see the current version, "
    "then apply your changes again."
)


def _stored_value(instance: models.Model, name: str):
    """The value of one field as stored, in a form that JSON can carry."""
    try:
        field = instance._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a form field that is not a model field
        return None
    if field.many_to_many:
        if not instance.pk:
            return []
        return sorted(getattr(instance, name).values_list("pk", flat=True))
    if not field.concrete:
        return None
    value = field.value_from_object(instance)
    if isinstance(value, models.Model):
        value = value.pk
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        value = value.name
    return value


def version_token(instance: models.Model | None, fields: Iterable[str]) -> str:
    """A digest of the stored values of ``fields`` on ``instance`` ("new" for no row yet)."""
    if instance is None or instance.pk is None:
        return "new"
    values = {name: _stored_value(instance, name) for name in sorted(fields)}
    data = json.dumps(values, sort_keys=True, default=str, ensure_ascii=True)
    return hashlib.sha256(data.encode()).hexdigest()[:32]


class LockedFormMixin:
    """Adds the hidden version token to a ModelForm bound to an existing record.

    ``locked_fields`` (default: the form's model fields) names what the token covers.
    """

    locked_fields: tuple[str, ...] | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lock_conflict = False
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            attach_token(self, instance, self.lock_fields())

    def lock_fields(self) -> list[str]:
        if self.locked_fields is not None:
            return list(self.locked_fields)
        return [name for name in self.fields if name != VERSION_FIELD]


def attach_token(
    form: forms.BaseForm,
    instance: models.Model | None,
    fields: Iterable[str] | None = None,
    *,
    rows: models.QuerySet | None = None,
) -> None:
    """Give any form the hidden token of the record it edits (by default covering the
    form's own fields); nothing for a create form (no instance and no ``rows``).

    ``rows`` is for a form that edits "the row matching this filter, if any" (a draft
    per period, say): the token then also notices a row created in the meantime.
    """
    if instance is None and rows is None:
        return  # a create form: nothing to compare with
    fields = list(form.fields) if fields is None else list(fields)
    form.fields[VERSION_FIELD] = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=64
    )
    form.initial[VERSION_FIELD] = version_token(instance, fields)
    if rows is None and instance is not None:
        rows = type(instance)._base_manager.filter(pk=instance.pk)
    form.lock_rows = rows
    form.lock_field_names = fields
    if not hasattr(form, "lock_conflict"):
        form.lock_conflict = False
    # The token is read from the raw data by guard(); keeping it out of cleaned_data
    # lets views pass ``**form.cleaned_data`` to a service unchanged.
    form_clean = form.clean

    def clean():
        data = form_clean()
        (form.cleaned_data if data is None else data).pop(VERSION_FIELD, None)
        return data

    form.clean = clean


@contextmanager
def guard(form: forms.BaseForm) -> Iterator[None]:
    """Run the save in a transaction, refusing it when the record changed since the form
    was opened. Raises ``ValidationError`` (shown on the form by the view)."""
    posted = form.data.get(form.add_prefix(VERSION_FIELD)) if form.is_bound else None
    rows = getattr(form, "lock_rows", None)
    with transaction.atomic():
        if posted and rows is not None:
            current = rows.select_for_update().first()
            if version_token(current, form.lock_field_names) != posted:
                form.lock_conflict = True
                raise ValidationError(CONFLICT_MESSAGE, code="conflict")
        yield
