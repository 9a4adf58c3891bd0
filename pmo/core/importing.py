"""Import jobs: an uploaded file is checked, kept, previewed, then committed all or nothing.

The preview is a real import run inside a transaction that is rolled back, so it finds
every error the commit would meet, row by row and column by column. The commit reads
the kept file again (its SHA-256 must not have changed) and runs the same import in one
transaction: if any row fails, nothing is written.

A file of more than ``PMO_IMPORT_BACKGROUND_ROWS`` rows is checked and written by Celery
tasks (``pmo.core.tasks.import_job_check`` and ``import_job_write``): the job waits in
"checking" or "importing", its page polls the progress, which the running import keeps
in the cache, and a task delivered twice finds the job no longer waiting and does nothing.
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
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.results import RowResult

from pmo.core import queue, uploads
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
    # Without the key column there is nothing to order by (the file is refused anyway).
    if resource.self_reference in found and resource.key_columns[0] in found:
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


def run_import(kind: str, table: uploads.Table, *, actor, commit: bool, progress=None) -> dict:
    """Import a table (or only try, when ``commit`` is false) and describe every row.

    With ``commit``, the rows are written in one transaction that is rolled back as a
    whole if any row is invalid; without, the transaction is always rolled back.
    ``progress(done)`` is called now and then with the number of rows checked.
    """
    resource = resource_for(kind, actor=actor)
    resource.progress = progress
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
    as a ValidationError with a message for the user. A big file is kept and its check
    queued (status "checking"); the preview is stored when the task has run.
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
    checksum = hashlib.sha256(data).hexdigest()
    job = ImportJob(
        kind=kind,
        original_name=name,
        checksum=checksum,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    background = runs_in_background(len(table.rows))
    if background:
        job.status = ImportJob.Status.CHECKING
        job.summary = {"total": len(table.rows)}
    else:
        job.summary = _preview(job, table, actor)
        job.status = _checked_status(job.summary)
    job.file.save(f"{uuid.uuid4().hex}.{file_type}", ContentFile(data), save=False)
    job.full_clean()
    job.save()
    if background:
        from pmo.core.tasks import import_job_check

        queue.enqueue(
            import_job_check,
            job.pk,
            waiting=queue.NOT_QUEUED,
            on_unavailable=lambda: _not_started(job.pk, ImportJob.Status.CHECKING),
        )
    security_event_record(
        kind=SecurityEvent.Kind.IMPORT,
        user=actor,
        request=request,
        detail=f"{'queued ' if background else ''}preview #{job.pk} {kind} {name}: "
        + (f"{len(table.rows)} rows" if background else _counts_text(job.summary)),
    )
    return job


def runs_in_background(rows: int) -> bool:
    """Whether a file of this many rows is checked and written by a task."""
    return rows > settings.PMO_IMPORT_BACKGROUND_ROWS


def _preview(job: ImportJob, table: uploads.Table, actor, progress=None) -> dict:
    summary = run_import(job.kind, table, actor=actor, commit=False, progress=progress)
    summary["total"] = len(table.rows)
    earlier = (
        ImportJob.objects.filter(
            kind=job.kind, checksum=job.checksum, status=ImportJob.Status.COMMITTED
        )
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
    return summary


def _checked_status(summary: dict) -> str:
    return ImportJob.Status.INVALID if has_problems(summary) else ImportJob.Status.PREVIEWED


def _counts_text(summary: dict) -> str:
    counts = summary["counts"]
    return " ".join(f"{key}={counts[key]}" for key in (NEW, UPDATE, SKIP, INVALID))


# --- progress of a background job ----------------------------------------------------------


def progress_key(job_pk: int) -> str:
    return f"pmo:import-progress:{job_pk}"


def progress_of(job: ImportJob) -> dict:
    """Rows done so far of a job a task is running, and the file's rows."""
    total = (job.summary or {}).get("total") or 0
    done = min(cache.get(progress_key(job.pk), 0), total)
    return {"done": done, "total": total, "percent": int(100 * done / total) if total else 0}


def _reporter(job_pk: int):
    def report(done: int) -> None:
        cache.set(progress_key(job_pk), done, timeout=3600)

    return report


def import_job_check(*, job_pk: int) -> ImportJob | None:
    """The background check of a big file: store its preview (task ``import_job_check``).

    Only a job still "checking" is checked, and only one of two deliveries stores its
    result, so a task delivered twice does no harm.
    """
    job = ImportJob.objects.filter(pk=job_pk, status=ImportJob.Status.CHECKING).first()
    if job is None:
        return None
    report = _reporter(job.pk)
    report(0)
    try:
        table = _read_kept_file(job)
    except ValidationError as error:
        summary, status = {**job.summary, "file_errors": error.messages}, ImportJob.Status.FAILED
    else:
        summary = _preview(job, table, job.created_by, progress=report)
        status = _checked_status(summary)
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKING).update(
        status=status, summary=summary
    )
    job.refresh_from_db()
    security_event_record(
        kind=SecurityEvent.Kind.IMPORT,
        user=job.created_by,
        detail=f"preview #{job.pk} {job.kind} {job.original_name}: {_counts_text(summary)}"
        if "counts" in summary
        else f"preview #{job.pk} {job.kind} {job.original_name}: failed",
        success=status != ImportJob.Status.FAILED,
    )
    return job


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
    changed since the preview), nothing is written and the job shows the errors. A big
    file is handed to a task: the job becomes "importing" and is returned at once.
    """
    if runs_in_background((job.summary or {}).get("total", 0)):
        return _queue_commit(job=job, actor=actor, request=request)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        _check_committable(job)
        summary = _write(job, actor)
    _record_commit(job, actor, summary, request)
    return job


def _check_committable(job: ImportJob) -> None:
    if job.status == ImportJob.Status.COMMITTED:
        raise ValidationError(_("This file has already been imported."), code="done")
    if job.status == ImportJob.Status.IMPORTING:
        raise ValidationError(_("This file is being imported."), code="running")
    if job.status != ImportJob.Status.PREVIEWED:
        raise ValidationError(
            _("This file has errors; correct them and upload it again."), code="invalid"
        )


def _queue_commit(*, job: ImportJob, actor, request=None) -> ImportJob:
    job = ImportJob.objects.get(pk=job.pk)
    _check_committable(job)
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
        status=ImportJob.Status.IMPORTING
    )
    if not claimed:  # someone else clicked "Import" at the same moment
        raise ValidationError(_("This file is being imported."), code="running")
    from pmo.core.tasks import import_job_write

    actor_pk = actor.pk if getattr(actor, "is_authenticated", False) else None
    queue.enqueue(
        import_job_write,
        job.pk,
        actor_pk,
        waiting=queue.NOT_QUEUED,
        on_unavailable=lambda: _not_started(job.pk, ImportJob.Status.IMPORTING),
    )
    security_event_record(
        kind=SecurityEvent.Kind.IMPORT,
        user=actor,
        request=request,
        detail=f"queued commit #{job.pk} {job.kind} {job.original_name}",
    )
    job.refresh_from_db()
    return job


def _not_started(job_pk: int, waiting: str) -> None:
    """The broker did not take a job's task: a check fails (upload again later), a
    commit goes back to "previewed" (confirm again later); nothing was written."""
    if waiting == ImportJob.Status.IMPORTING:
        ImportJob.objects.filter(pk=job_pk, status=waiting).update(
            status=ImportJob.Status.PREVIEWED
        )
        return
    job = ImportJob.objects.filter(pk=job_pk, status=waiting).first()
    if job is not None:
        job.status = ImportJob.Status.FAILED
        job.summary = {**job.summary, "file_errors": [str(queue.NOT_QUEUED)]}
        job.save(update_fields=["status", "summary"])


def import_job_write(*, job_pk: int, actor) -> ImportJob | None:
    """The background commit of a big file (task ``import_job_write``).

    The job is locked and must still be "importing": a second delivery of the task
    (after a worker died, say) either waits and finds it done, or writes it once.
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_pk).first()
        if job is None or job.status != ImportJob.Status.IMPORTING:
            return None
        report = _reporter(job.pk)
        report(0)
        summary = _write(job, actor, progress=report)
    _record_commit(job, actor, summary)
    return job


def _write(job: ImportJob, actor, progress=None) -> dict:
    """Import the kept file of a locked job and store the outcome on it."""
    try:
        table = _read_kept_file(job)
    except ValidationError as error:
        job.status = ImportJob.Status.FAILED
        job.summary = {**job.summary, "file_errors": error.messages}
        job.save(update_fields=["status", "summary"])
        return job.summary
    summary = run_import(job.kind, table, actor=actor, commit=True, progress=progress)
    summary["total"] = len(table.rows)
    if has_problems(summary):
        job.status = ImportJob.Status.FAILED
    else:
        job.status = ImportJob.Status.COMMITTED
        job.committed_at = timezone.now()
    job.summary = summary
    job.save(update_fields=["status", "summary", "committed_at"])
    return summary


def _record_commit(job: ImportJob, actor, summary: dict, request=None) -> None:
    security_event_record(
        kind=SecurityEvent.Kind.IMPORT,
        user=actor,
        request=request,
        success=job.status == ImportJob.Status.COMMITTED,
        detail=f"commit #{job.pk} {job.kind} {job.original_name}: "
        + (_counts_text(summary) if "counts" in summary else "failed"),
    )
