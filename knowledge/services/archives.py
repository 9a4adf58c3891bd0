"""Archives: filing a project's records, the archivist's check, borrowing and return.

Filing: the project's manager (or an archivist) describes a record and submits it; the
archivist checks it (complete, legible, metadata correct) and accepts it, which gives it
its 档号 from the numbering rule in force, or returns it with a note.

Borrowing: anyone may request a filed record with a purpose and a due date; approval
follows 密级 (public records are lent at once, internal ones approved by an archivist,
secret ones by the PMO, confidential ones by a PMO administrator); the archivist lends
(an electronic view limited in time, or a physical hand-over) and takes it back with a
condition check. Reminders go out before and after the due date.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from knowledge.models import ArchiveRecord, Loan, NumberingRule, SecurityLevel
from knowledge.roles import ARCHIVIST, is_archivist
from knowledge.services.common import set_history_user, user_or_none
from pmo.core import roles
from pmo.core.documents import check_evidence
from pmo.core.services import notification_send

RECORD_FIELDS = (
    "title",
    "responsible",
    "record_date",
    "project",
    "retention",
    "security_level",
    "pieces",
    "pages",
    "carrier",
    "location",
    "description",
)
REMIND_DAYS_BEFORE = 3
MAX_ACCESS_DAYS = 30
PLACEHOLDERS = ("fonds", "year", "retention", "project", "seq")

R, L = ArchiveRecord.Status, Loan.Status


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(RECORD_FIELDS)
    if unknown:
        raise TypeError(f"unknown record fields: {sorted(unknown)}")


def _require_archivist(actor) -> None:
    if not is_archivist(actor):
        raise PermissionDenied(_("Only an archivist may do this."))


def _archivists():
    from django.contrib.auth import get_user_model

    from pmo.core.roles import PMO_ADMIN, PMO_STAFF

    return (
        get_user_model()
        .objects.filter(groups__name__in=[ARCHIVIST, PMO_STAFF, PMO_ADMIN], is_active=True)
        .distinct()
    )


# --- numbering --------------------------------------------------------------------------


def number_format(pattern: str, *, fonds: str, year: int, retention: str, project: str, seq: int):
    """The 档号 of a pattern, or a ValidationError naming what is wrong with it."""
    try:
        return pattern.format(
            fonds=fonds, year=year, retention=retention, project=project or "", seq=seq
        )
    except (KeyError, IndexError, ValueError, AttributeError) as error:
        raise ValidationError(
            {"pattern": _("The pattern cannot be used: %(error)s") % {"error": error}}
        ) from None


@transaction.atomic
def numbering_rule_set(*, actor, fonds: str, pattern: str) -> NumberingRule:
    """Put a new numbering rule in force (the old ones stay for the record)."""
    _require_archivist(actor)
    if "{seq" not in pattern:
        raise ValidationError({"pattern": _("The pattern needs a sequence number {seq:04d}.")})
    number_format(pattern, fonds=fonds, year=2026, retention="Y", project="P", seq=1)
    NumberingRule.objects.filter(is_active=True).update(is_active=False)
    rule = NumberingRule(fonds=fonds.strip(), pattern=pattern.strip(), is_active=True)
    rule.full_clean()
    set_history_user(rule, actor)
    rule.save()
    return rule


def current_rule() -> NumberingRule:
    rule = NumberingRule.objects.filter(is_active=True).order_by("-pk").first()
    return rule or NumberingRule(fonds="PMO")


def _next_number(record: ArchiveRecord) -> str:
    """The next free 档号: the sequence counts within the year and retention period (and
    the project, when the pattern names it)."""
    rule = current_rule()
    year = record.record_date.year
    project = record.project.code if record.project_id else ""
    same = ArchiveRecord.objects.select_for_update().filter(
        status=R.ACCEPTED, record_date__year=year, retention=record.retention
    )
    if "{project" in rule.pattern:
        same = same.filter(project_id=record.project_id)
    seq = len(same.values_list("pk", flat=True)) + 1
    while True:
        number = number_format(
            rule.pattern,
            fonds=rule.fonds,
            year=year,
            retention=record.retention,
            project=project,
            seq=seq,
        )
        if not ArchiveRecord.objects.filter(number=number).exists():
            return number
        seq += 1


# --- filing -----------------------------------------------------------------------------


def _store_file(record: ArchiveRecord, upload) -> None:
    checked = check_evidence(upload)
    record.original_name = checked.name
    record.size = checked.size
    record.checksum = checked.checksum
    record.file.save(checked.name, checked.content(), save=False)


@transaction.atomic
def record_create(*, actor, upload=None, submit: bool = False, **fields) -> ArchiveRecord:
    """Describe a record for the catalogue (with its electronic file, if any)."""
    _check_fields(fields)
    project = fields.get("project")
    if project is not None:
        if not actor.has_perm("knowledge.file_records", project):
            raise PermissionDenied(
                _("Only the project's manager or an archivist files its records.")
            )
    else:
        _require_archivist(actor)
    record = ArchiveRecord(**fields)
    record.submitted_by = user_or_none(actor)
    if upload is not None:
        _store_file(record, upload)
    _check_carrier(record)
    record.full_clean()
    set_history_user(record, actor)
    record.save()
    if submit:
        record_submit(record=record, actor=actor)
    return record


def _check_carrier(record: ArchiveRecord) -> None:
    if record.carrier == "electronic" and not record.file:
        raise ValidationError({"upload": _("An electronic record needs its file.")})
    if record.carrier == "paper" and not record.location.strip():
        raise ValidationError({"location": _("Say where the paper record is kept.")})


@transaction.atomic
def record_update(*, record: ArchiveRecord, actor, upload=None, **fields) -> ArchiveRecord:
    """Correct a record before it is filed."""
    _check_fields(fields)
    if record.status == R.ACCEPTED:
        raise ValidationError(_("A filed record is not changed."))
    if record.submitted_by_id != getattr(actor, "pk", None) and not is_archivist(actor):
        raise PermissionDenied
    for key, value in fields.items():
        setattr(record, key, value)
    if upload is not None:
        _store_file(record, upload)
    _check_carrier(record)
    record.full_clean()
    set_history_user(record, actor)
    record.save()
    return record


@transaction.atomic
def record_submit(*, record: ArchiveRecord, actor) -> ArchiveRecord:
    """Hand the record to the archivist for the quality check."""
    if record.status not in (R.DRAFT, R.RETURNED):
        raise ValidationError(_("This record has already been submitted."))
    if record.submitted_by_id != getattr(actor, "pk", None) and not is_archivist(actor):
        raise PermissionDenied
    record.status = R.SUBMITTED
    record.submitted_at = timezone.now()
    set_history_user(record, actor)
    record.save()
    notification_send(
        recipients=_archivists().filter(groups__name=ARCHIVIST) or _archivists(),
        title=_("Record submitted for filing: %(title)s") % {"title": record.title},
        url=record.get_absolute_url(),
    )
    return record


@transaction.atomic
def record_check(
    *,
    record: ArchiveRecord,
    actor,
    complete: bool,
    legible: bool,
    metadata: bool,
    accept: bool,
    note: str = "",
    location: str = "",
) -> ArchiveRecord:
    """The archivist's quality check: accepted (and numbered) only when all three hold."""
    _require_archivist(actor)
    if record.status != R.SUBMITTED:
        raise ValidationError(_("Only a submitted record is checked."))
    note = (note or "").strip()
    record.check_complete, record.check_legible, record.check_metadata = (
        complete,
        legible,
        metadata,
    )
    if location:
        record.location = location.strip()[:120]
    if accept:
        if not (complete and legible and metadata):
            raise ValidationError(
                _("A record is filed only when it is complete, legible and its metadata correct.")
            )
        if record.carrier == "electronic" and record.file:
            record.file.open("rb")
            digest = hashlib.sha256(record.file.read()).hexdigest()
            record.file.close()
            if digest != record.checksum:
                raise ValidationError(_("The electronic file does not match its checksum."))
        record.number = _next_number(record)
        record.status = R.ACCEPTED
        record.filed_at = timezone.now()
    else:
        if not note:
            raise ValidationError({"note": _("Say what is to be corrected.")})
        record.status = R.RETURNED
    record.check_note = note[:500]
    record.checked_by, record.checked_at = actor, timezone.now()
    record.full_clean()
    set_history_user(record, actor)
    record.save()
    if record.submitted_by_id and record.submitted_by_id != actor.pk:
        notification_send(
            recipients=[record.submitted_by],
            title=(
                _("Filed as %(number)s: %(title)s")
                if accept
                else _("Returned for correction: %(title)s")
            )
            % {"number": record.number, "title": record.title},
            body=note,
            url=record.get_absolute_url(),
        )
    return record


# --- borrowing --------------------------------------------------------------------------


def may_decide(actor, record: ArchiveRecord) -> bool:
    level = record.security_level
    if level == SecurityLevel.CONFIDENTIAL:
        return roles.is_pmo_admin(actor)
    if level == SecurityLevel.SECRET:
        return roles.is_pmo(actor)
    return is_archivist(actor)


@transaction.atomic
def loan_request(
    *, actor, record: ArchiveRecord, purpose: str, due_date: dt.date, electronic: bool = True
) -> Loan:
    """Ask to borrow a filed record; public records are approved at once."""
    if record.status != R.ACCEPTED:
        raise ValidationError(_("Only filed records are lent."))
    purpose = (purpose or "").strip()
    errors = {}
    if not purpose:
        errors["purpose"] = _("Say what the record is needed for.")
    today = timezone.localdate()
    if due_date is None or due_date < today:
        errors["due_date"] = _("The due date cannot be in the past.")
    elif due_date > today + dt.timedelta(days=90):
        errors["due_date"] = _("Records are lent for at most 90 days.")
    if electronic and not record.file:
        errors["electronic"] = _("This record has no electronic copy; borrow the original.")
    if not electronic and record.carrier == "electronic":
        errors["electronic"] = _("This record exists only as an electronic file.")
    if errors:
        raise ValidationError(errors)
    if Loan.objects.filter(record=record, borrower=actor).open().exists():
        raise ValidationError(_("You already have an open request for this record."))
    loan = Loan(
        record=record,
        borrower=actor,
        purpose=purpose[:300],
        due_date=due_date,
        electronic=electronic,
    )
    if record.security_level == SecurityLevel.PUBLIC:
        loan.status, loan.decided_at = L.APPROVED, timezone.now()
        loan.decision_note = _("Public record: approved without review.")
    loan.full_clean()
    set_history_user(loan, actor)
    loan.save()
    if loan.status == L.REQUESTED:
        notification_send(
            recipients=[u for u in _archivists() if may_decide(u, record)],
            title=_("Loan request: %(title)s") % {"title": record.title},
            url=loan.get_absolute_url(),
        )
    return loan


@transaction.atomic
def loan_decide(*, loan: Loan, actor, approve: bool, note: str = "") -> Loan:
    if not may_decide(actor, loan.record):
        raise PermissionDenied(_("This record's security level needs a higher approval."))
    if loan.status != L.REQUESTED:
        raise ValidationError(_("This request has already been decided."))
    if not approve and not (note or "").strip():
        raise ValidationError({"note": _("Say why the request is refused.")})
    loan.status = L.APPROVED if approve else L.REFUSED
    loan.decided_by, loan.decided_at = actor, timezone.now()
    loan.decision_note = (note or "").strip()[:300]
    set_history_user(loan, actor)
    loan.save()
    notification_send(
        recipients=[loan.borrower],
        title=(_("Loan approved: %(title)s") if approve else _("Loan refused: %(title)s"))
        % {"title": loan.record.title},
        body=loan.decision_note,
        url=loan.get_absolute_url(),
    )
    return loan


@transaction.atomic
def loan_lend(*, loan: Loan, actor, days: int | None = None, handover_note: str = "") -> Loan:
    """Lend: open the electronic view for ``days``, or record the physical hand-over."""
    _require_archivist(actor)
    if loan.status != L.APPROVED:
        raise ValidationError(_("Only an approved request is lent."))
    now = timezone.now()
    if loan.electronic:
        days = days or 7
        if not 1 <= days <= MAX_ACCESS_DAYS:
            raise ValidationError({"days": _("Electronic access lasts 1 to 30 days.")})
        loan.access_until = now + dt.timedelta(days=days)
    else:
        if not (handover_note or "").strip():
            raise ValidationError({"handover_note": _("Record who received the original.")})
        loan.handover_note = handover_note.strip()[:300]
    loan.status, loan.lent_at = L.LENT, now
    set_history_user(loan, actor)
    loan.save()
    notification_send(
        recipients=[loan.borrower],
        title=_("Record lent to you: %(title)s") % {"title": loan.record.title},
        url=loan.get_absolute_url(),
    )
    return loan


@transaction.atomic
def loan_return(*, loan: Loan, actor, condition: str, condition_note: str = "") -> Loan:
    """Take the record back and note its condition (electronic access ends too)."""
    _require_archivist(actor)
    if loan.status != L.LENT:
        raise ValidationError(_("Only a lent record is returned."))
    if condition not in Loan.Condition.values:
        raise ValidationError({"condition": _("Choose the condition from the list.")})
    if condition != Loan.Condition.INTACT and not (condition_note or "").strip():
        raise ValidationError({"condition_note": _("Describe the damage or what is missing.")})
    now = timezone.now()
    loan.status, loan.returned_at = L.RETURNED, now
    loan.condition, loan.condition_note = condition, (condition_note or "").strip()[:300]
    if loan.access_until and loan.access_until > now:
        loan.access_until = now
    set_history_user(loan, actor)
    loan.save()
    return loan


def loan_may_open(loan: Loan, user, now=None) -> bool:
    """The borrower may open the electronic copy while the lent access lasts."""
    now = now or timezone.now()
    return (
        loan.borrower_id == getattr(user, "pk", None)
        and loan.status == L.LENT
        and loan.electronic
        and loan.access_until is not None
        and loan.access_until > now
    )


def loan_send_reminders(*, today: dt.date | None = None) -> dict[str, int]:
    """Remind borrowers a few days before the due date and once it has passed."""
    today = today or timezone.localdate()
    sent = {"before": 0, "overdue": 0}
    soon = today + dt.timedelta(days=REMIND_DAYS_BEFORE)
    lent = Loan.objects.filter(status=L.LENT).select_related("record", "borrower")
    for loan in lent.filter(
        due_date__gt=today, due_date__lte=soon, reminded_before_at__isnull=True
    ):
        with transaction.atomic():
            notification_send(
                recipients=[loan.borrower],
                title=_("Due on %(date)s: %(title)s")
                % {"date": loan.due_date.isoformat(), "title": loan.record.title},
                url=loan.get_absolute_url(),
                email=True,
                event="loan_due",
            )
            Loan.objects.filter(pk=loan.pk).update(reminded_before_at=timezone.now())
            sent["before"] += 1
    for loan in lent.filter(due_date__lt=today, reminded_overdue_at__isnull=True):
        with transaction.atomic():
            notification_send(
                recipients=[loan.borrower, *_archivists().filter(groups__name=ARCHIVIST)],
                title=_("Overdue since %(date)s: %(title)s")
                % {"date": loan.due_date.isoformat(), "title": loan.record.title},
                url=loan.get_absolute_url(),
                level="warning",
                email=True,
                event="loan_overdue",
            )
            Loan.objects.filter(pk=loan.pk).update(reminded_overdue_at=timezone.now())
            sent["overdue"] += 1
    return sent
