"""Import jobs: an uploaded file is checked, kept, previewed, then committed all or nothing.

The preview is a real import run inside a transaction that is rolled back, so it finds
every error the commit would meet, row by row and column by column. The commit reads
the kept file again (its SHA-256 must not have changed) and runs the same import in one
transaction: if any row fails, nothing is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import uuid
from decimal import Decimal

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.results import RowResult

from pmo.core import uploads
from pmo.core.models import ImportJob, SecurityEvent
from pmo.core.registry import registry
from pmo.core.resources import (
    LINE_COLUMN,
    RESOURCES,
    CoreResource,
    TextWidget,
    list_separator,
    normalise_header,
)
from pmo.core.services import security_event_record

logger = logging.getLogger(__name__)

NEW, UPDATE, SKIP, INVALID = "new", "update", "skip", "invalid"
ACTIONS = {
    RowResult.IMPORT_TYPE_NEW: NEW,
    RowResult.IMPORT_TYPE_UPDATE: UPDATE,
    RowResult.IMPORT_TYPE_SKIP: SKIP,
    RowResult.IMPORT_TYPE_INVALID: INVALID,
    RowResult.IMPORT_TYPE_ERROR: INVALID,
}
MAX_SHOWN_TEXT = 200


def resource_for(kind: str, actor=None) -> CoreResource:
    """The resource of an import kind: the core's own, or one a duty app registered."""
    if kind in RESOURCES:
        return RESOURCES[kind](actor=actor)
    return registry.import_kinds[kind].resource_class()(actor=actor)


def _display(value) -> str:
    """A cell as the preview shows it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date() if not value.time() else value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, Decimal):
        value = format(value, "f")
    text = str(value)
    return text if len(text) <= MAX_SHOWN_TEXT else text[: MAX_SHOWN_TEXT - 1] + "…"


# --- from a table to a dataset the resource understands ------------------------------------


def build_dataset(table: uploads.Table, resource: CoreResource):
    """Map the file's headers to column keys and order rows so that parents come first.

    Returns the dataset, the columns found, the headers that were ignored and the
    file-level errors (missing required columns, a column given twice).
    """
    header_map = resource.header_map()
    keys: list[str | None] = []
    ignored: list[str] = []
    errors: list[str] = []
    for header in table.headers:
        key = header_map.get(normalise_header(header))
        if key is None:
            keys.append(None)
            if header:
                ignored.append(header)
        elif key in keys:
            keys.append(None)
            errors.append(_("The column “%(header)s” appears twice.") % {"header": header})
        else:
            keys.append(key)
    labels = {column.key: column.title() for column in resource.import_columns()}
    missing = [labels[key] for key in resource.required_keys() if key not in keys]
    if missing:
        errors.append(
            _("The file has no column for: %(columns)s. Start from the template of this kind.")
            % {"columns": list_separator().join(missing)}
        )
    found = [key for key in keys if key is not None]
    positions = [index for index, key in enumerate(keys) if key is not None]
    rows = [
        [row[i] for i in positions] + [line]
        for row, line in zip(table.rows, table.lines, strict=True)
    ]
    if resource.self_reference and resource.self_reference in found:
        rows = _parents_first(
            rows, found.index(resource.key_columns[0]), found.index(resource.self_reference)
        )
    dataset = tablib.Dataset(*rows, headers=[*found, LINE_COLUMN])
    order = [column.key for column in resource.import_columns() if column.key in found]
    return dataset, order, ignored, errors


def _parents_first(rows: list[list], key_index: int, parent_index: int) -> list[list]:
    """Rows in an order where a row naming a parent row of the same file follows it."""
    clean = TextWidget().clean
    by_key: dict[str, int] = {}
    for index, row in enumerate(rows):
        by_key.setdefault(clean(row[key_index]), index)
    placed: set[int] = set()
    ordered: list[list] = []
    for start in range(len(rows)):
        chain: list[int] = []
        index: int | None = start
        while index is not None and index not in placed and index not in chain:
            chain.append(index)
            index = by_key.get(clean(rows[index][parent_index]))
        for index in reversed(chain):
            placed.add(index)
            ordered.append(rows[index])
    return ordered


# --- running the import ----------------------------------------------------------------------


def run_import(kind: str, table: uploads.Table, *, actor, commit: bool) -> dict:
    """Import a table (or only try, when ``commit`` is false) and describe every row.

    With ``commit``, the rows are written in one transaction that is rolled back as a
    whole if any row is invalid; without, the transaction is always rolled back.
    """
    resource = resource_for(kind, actor=actor)
    dataset, columns, ignored, file_errors = build_dataset(table, resource)
    summary = {
        "columns": columns,
        "ignored": ignored,
        "file_errors": file_errors,
        "counts": dict.fromkeys((NEW, UPDATE, SKIP, INVALID), 0),
        "rows": [],
    }
    if not dataset.height:
        file_errors.append(_("The file has a header row but no data rows."))
    if file_errors:
        return summary
    result = resource.import_data(
        dataset,
        dry_run=not commit,
        use_transactions=True,
        rollback_on_validation_errors=True,
    )
    for error in result.base_errors:
        logger.warning("import %s failed", kind, exc_info=error.error)
        file_errors.append(_("The import stopped: %(error)s") % {"error": _display(error.error)})
    rows = []
    for number, (values, row_result) in enumerate(
        zip(dataset.dict, result.rows, strict=True), start=1
    ):
        rows.append(_describe_row(resource, number, values, row_result))
    rows.sort(key=lambda r: r["line"])
    for row in rows:
        summary["counts"][row["action"]] += 1
    summary["rows"] = rows
    return summary


def _describe_row(resource: CoreResource, number: int, values: dict, row_result) -> dict:
    note = resource.notes.get(number, {})
    row = {
        "line": values[LINE_COLUMN],
        "action": ACTIONS.get(row_result.import_type, INVALID),
        "values": {key: _display(value) for key, value in values.items() if key != LINE_COLUMN},
        "errors": {},
        "row_errors": [],
        "warnings": [str(w) for w in note.get("warnings", [])],
        "changes": note.get("changes", []) if row_result.import_type == "update" else [],
    }
    if row_result.validation_error is not None:
        row["errors"], row["row_errors"] = resource.error_columns(row_result.validation_error)
    for error in row_result.errors:
        logger.warning("import row %s failed", row["line"], exc_info=error.error)
        row["row_errors"].append(
            _("This row could not be saved (%(error)s).") % {"error": _display(error.error)}
        )
    if row["action"] == INVALID and not (row["errors"] or row["row_errors"]):
        row["row_errors"].append(_("This row could not be saved."))
    return row


def has_problems(summary: dict) -> bool:
    return bool(summary["file_errors"]) or summary["counts"][INVALID] > 0


# --- the job's life: create (preview), commit -----------------------------------------------


def import_job_create(*, kind: str, upload, actor, request=None) -> ImportJob:
    """Check and keep an uploaded file, try the import and store the preview.

    A refused file is not kept; the refusal is recorded as a security event and raised
    as a ValidationError with a message for the user.
    """
    name = os.path.basename(upload.name or "")[:255]
    try:
        file_type, data = uploads.check_upload(upload)
        table = uploads.read_table(data, file_type)
    except ValidationError as error:
        security_event_record(
            kind=SecurityEvent.Kind.IMPORT,
            user=actor,
            request=request,
            success=False,
            detail=f"refused {kind} {name}: {' '.join(error.messages)}",
        )
        raise
    summary = run_import(kind, table, actor=actor, commit=False)
    checksum = hashlib.sha256(data).hexdigest()
    earlier = (
        ImportJob.objects.filter(kind=kind, checksum=checksum, status=ImportJob.Status.COMMITTED)
        .values_list("committed_at", flat=True)
        .first()
    )
    if earlier:
        summary["notices"] = [
            _(
                "This file was already imported on %(date)s; importing it again changes only what differs."
            )
            % {"date": timezone.localtime(earlier).strftime("%Y-%m-%d %H:%M")}
        ]
    job = ImportJob(
        kind=kind,
        original_name=name,
        checksum=checksum,
        status=ImportJob.Status.INVALID if has_problems(summary) else ImportJob.Status.PREVIEWED,
        summary=summary,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    job.file.save(f"{uuid.uuid4().hex}.{file_type}", ContentFile(data), save=False)
    job.full_clean()
    job.save()
    security_event_record(
        kind=SecurityEvent.Kind.IMPORT,
        user=actor,
        request=request,
        detail=f"preview #{job.pk} {kind} {name}: {_counts_text(summary)}",
    )
    return job


def _counts_text(summary: dict) -> str:
    counts = summary["counts"]
    return " ".join(f"{key}={counts[key]}" for key in (NEW, UPDATE, SKIP, INVALID))


def _read_kept_file(job: ImportJob) -> uploads.Table:
    try:
        with job.file.open("rb") as stored:
            data = stored.read(settings.PMO_IMPORT_MAX_BYTES + 1)
    except (OSError, ValueError):
        raise ValidationError(
            _("The uploaded file is no longer available. Upload it again."), code="missing"
        ) from None
    if hashlib.sha256(data).hexdigest() != job.checksum:
        raise ValidationError(
            _("The kept file has changed since it was checked. Upload it again."),
            code="checksum",
        )
    file_type = uploads.XLSX if job.file.name.endswith(".xlsx") else uploads.CSV
    return uploads.read_table(data, file_type)


def import_job_commit(*, job: ImportJob, actor, request=None) -> ImportJob:
    """Write a previewed file: every row or none.

    The job row is locked while the import runs, so a second click on "Import" waits
    and then finds the job already imported. If any row fails now (the data may have
    changed since the preview), nothing is written and the job shows the errors.
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status == ImportJob.Status.COMMITTED:
            raise ValidationError(_("This file has already been imported."), code="done")
        if job.status != ImportJob.Status.PREVIEWED:
            raise ValidationError(
                _("This file has errors; correct them and upload it again."), code="invalid"
            )
        try:
            table = _read_kept_file(job)
        except ValidationError as error:
            job.status = ImportJob.Status.FAILED
            job.summary = {**job.summary, "file_errors": error.messages}
            job.save(update_fields=["status", "summary"])
            summary = job.summary
        else:
            summary = run_import(job.kind, table, actor=actor, commit=True)
            if has_problems(summary):
                job.status = ImportJob.Status.FAILED
            else:
                job.status = ImportJob.Status.COMMITTED
                job.committed_at = timezone.now()
            job.summary = summary
            job.save(update_fields=["status", "summary", "committed_at"])
    security_event_record(
        kind=SecurityEvent.Kind.IMPORT,
        user=actor,
        request=request,
        success=job.status == ImportJob.Status.COMMITTED,
        detail=f"commit #{job.pk} {job.kind} {job.original_name}: {_counts_text(summary)}",
    )
    return job
