"""Archives: the sharing page (档案共享平台), records, filing and the archivist's check,
borrowing and return, numbering rule, statistics of use, the project's archive tab.

Files are handed out only here, after the permission check; every view and download of a
secret or confidential record goes to the security log.
"""

from __future__ import annotations

import datetime as dt
import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knowledge import services
from knowledge.forms import (
    CheckForm,
    LendForm,
    LoanDecisionForm,
    LoanRequestForm,
    NumberingRuleForm,
    RecordForm,
    ReturnLoanForm,
)
from knowledge.models import (
    LOGGED_LEVELS,
    ArchiveRecord,
    Carrier,
    Loan,
    Retention,
    SecurityLevel,
)
from knowledge.roles import is_archivist
from knowledge.services.archives import current_rule, may_decide
from knowledge.views.common import PAGE_SIZE, check, form_page, int_param, visible_or_404
from pmo.core.charts import bar
from pmo.core.documents import content_type_for
from pmo.core.forms import add_service_errors
from pmo.core.models import Project, SecurityEvent
from pmo.core.permissions import get_project_for_user, require_perm
from pmo.core.services import security_event_record

VIEW, MANAGE, BORROW = "knowledge.view_archives", "knowledge.manage_archives", "knowledge.borrow"


def _log(request, record: ArchiveRecord, kind: str, what: str) -> None:
    if record.security_level in LOGGED_LEVELS:
        security_event_record(
            kind=kind,
            user=request.user,
            request=request,
            detail=f"archive {record.pk} {record.number} {what}",
        )


@require_perm(VIEW)
def archive_list(request):
    records = ArchiveRecord.objects.visible_to(request.user).with_refs()
    archivist = is_archivist(request.user)
    status = request.GET.get("status", "accepted")
    if status in ArchiveRecord.Status.values:
        records = records.filter(status=status)
    else:
        status = "all"
    filters = {}
    for name, choices in (
        ("security_level", SecurityLevel),
        ("carrier", Carrier),
        ("retention", Retention),
    ):
        value = request.GET.get(name, "")
        if value in choices.values:
            filters[name] = value
    records = records.filter(**filters)
    project_id = int_param(request.GET.get("project"))
    if project_id:
        records = records.filter(project_id=project_id)
    text = request.GET.get("q", "").strip()[:100]
    if text:
        records = records.filter(
            Q(title__icontains=text)
            | Q(number__icontains=text)
            | Q(responsible__icontains=text)
            | Q(project__code__icontains=text)
        )
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": ArchiveRecord.Status.choices,
        "filters": filters,
        "levels": SecurityLevel.choices,
        "carriers": Carrier.choices,
        "retentions": Retention.choices,
        "q": text,
        "archivist": archivist,
        "waiting": ArchiveRecord.objects.filter(status="submitted").count() if archivist else 0,
    }
    return TemplateResponse(request, "knowledge/archive_list.html", context)


def _record(request, pk: int) -> ArchiveRecord:
    return visible_or_404(ArchiveRecord.objects.with_refs(), request.user, pk)


def _open_loan(record, user):
    now = timezone.now()
    for loan in record.loans.filter(borrower=user, status=Loan.Status.LENT):
        if services.loan_may_open(loan, user, now):
            return loan
    return None


def _may_open_file(record, user) -> bool:
    if is_archivist(user):
        return True
    if record.status != ArchiveRecord.Status.ACCEPTED and record.submitted_by_id == user.pk:
        return True
    return _open_loan(record, user) is not None


@require_perm(VIEW)
def archive_detail(request, pk: int):
    record = _record(request, pk)
    _log(request, record, SecurityEvent.Kind.VIEW, "catalogue entry")
    archivist = is_archivist(request.user)
    loans = record.loans.select_related("borrower__person", "decided_by__person")
    if not archivist:
        loans = loans.filter(borrower=request.user)
    context = {
        "record": record,
        "loans": loans,
        "archivist": archivist,
        "may_open": bool(record.file) and _may_open_file(record, request.user),
        "open_loan": _open_loan(record, request.user),
        "check_items": [
            ("complete", _("Complete")),
            ("legible", _("Legible")),
            ("metadata", _("Metadata correct")),
        ],
        "loan_form": LoanRequestForm(
            initial={
                "due_date": timezone.localdate() + dt.timedelta(days=14),
                "electronic": bool(record.file),
            }
        ),
        "may_borrow": record.status == ArchiveRecord.Status.ACCEPTED,
        "may_edit": record.status != ArchiveRecord.Status.ACCEPTED
        and (archivist or record.submitted_by_id == request.user.pk),
        "history": record.history.select_related("history_user").order_by("-history_date")[:20],
    }
    return TemplateResponse(request, "knowledge/archive_detail.html", context)


@require_perm(VIEW)
def archive_file(request, pk: int):
    """The electronic copy, for archivists, its submitter before filing, and borrowers
    while their access lasts; ``?view=1`` shows it in the browser."""
    record = _record(request, pk)
    if not record.file:
        raise Http404
    if not _may_open_file(record, request.user):
        check(request, MANAGE)
    inline = request.GET.get("view") == "1"
    try:
        handle = record.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    _log(
        request,
        record,
        SecurityEvent.Kind.VIEW if inline else SecurityEvent.Kind.DOWNLOAD,
        "electronic copy",
    )
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=os.path.basename(record.original_name) or "file",
        content_type=content_type_for(record.original_name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def _record_form_page(request, form, title, record=None, back=None):
    context = {
        "title": title,
        "object": record,
        "back": back or reverse("knowledge:archive_list"),
        "submit_option": True,
    }
    return form_page(request, "knowledge/form.html", context, form)


@require_perm(VIEW)
def record_create(request):
    project_id = int_param(request.GET.get("project") or request.POST.get("project"))
    projects = Project.objects.visible_to(request.user).order_by("code")
    if not is_archivist(request.user):
        projects = projects.filter(
            manager_id=getattr(getattr(request.user, "person", None), "pk", -1)
        )
        if not projects.exists():
            check(request, MANAGE)
    initial = {
        "project": project_id,
        "record_date": timezone.localdate(),
        "retention": Retention.LONG,
        "carrier": Carrier.ELECTRONIC,
    }
    project = projects.filter(pk=project_id).first() if project_id else None
    if project is not None:
        initial["responsible"] = project.org_unit.label if project.org_unit_id else ""
    form = RecordForm(
        request.POST or None, request.FILES or None, initial=initial, projects=projects
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("upload")
        try:
            record = services.record_create(
                actor=request.user, upload=upload, submit=request.POST.get("submit") == "1", **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            check(request, MANAGE)
        else:
            messages.success(request, _("The record was saved."))
            return redirect(record)
    back = reverse("core:project_detail", args=[project.pk]) if project else None
    return _record_form_page(request, form, _("Describe a record for filing"), back=back)


@require_perm(VIEW)
def record_edit(request, pk: int):
    record = _record(request, pk)
    if record.status == ArchiveRecord.Status.ACCEPTED or not (
        is_archivist(request.user) or record.submitted_by_id == request.user.pk
    ):
        check(request, MANAGE)
        if record.status == ArchiveRecord.Status.ACCEPTED:
            messages.error(request, _("A filed record is not changed."))
            return redirect(record)
    projects = Project.objects.visible_to(request.user).order_by("code")
    form = RecordForm(
        request.POST or None, request.FILES or None, instance=record, projects=projects
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("upload")
        try:
            services.record_update(
                record=ArchiveRecord.objects.get(pk=record.pk),
                actor=request.user,
                upload=upload,
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The record was saved."))
            return redirect(record)
    return _record_form_page(
        request, form, _("Edit record"), record=record, back=record.get_absolute_url()
    )


@require_POST
@require_perm(VIEW)
def record_submit(request, pk: int):
    record = _record(request, pk)
    try:
        services.record_submit(record=record, actor=request.user)
    except PermissionDenied:
        check(request, MANAGE)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The record was submitted to the archivist."))
    return redirect(record)


@require_POST
@require_perm(MANAGE)
def record_check(request, pk: int):
    record = _record(request, pk)
    form = CheckForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_check(
                record=record,
                actor=request.user,
                complete=data["complete"],
                legible=data["legible"],
                metadata=data["metadata"],
                accept=data["accept"],
                note=data["note"],
                location=data["location"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if record.status == ArchiveRecord.Status.ACCEPTED:
                messages.success(request, _("Filed as %(number)s.") % {"number": record.number})
            else:
                messages.success(request, _("The record was returned for correction."))
    else:
        messages.error(request, _("Choose a decision."))
    return redirect(record)


@require_perm(MANAGE)
def numbering(request):
    rule = current_rule()
    form = NumberingRuleForm(
        request.POST or None, initial={"fonds": rule.fonds, "pattern": rule.pattern}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.numbering_rule_set(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The numbering rule is in force."))
            return redirect("knowledge:numbering")
    example = services.archives.number_format(
        rule.pattern,
        fonds=rule.fonds,
        year=timezone.localdate().year,
        retention="D30",
        project="HC-PRJ-001",
        seq=1,
    )
    context = {
        "title": _("Archive numbering rule (档号)"),
        "object": None,
        "back": reverse("knowledge:archive_list"),
        "example": example,
    }
    return form_page(request, "knowledge/numbering.html", context, form)


# --- loans ------------------------------------------------------------------------------


@require_POST
@require_perm(BORROW)
def loan_request(request, pk: int):
    record = _record(request, pk)
    form = LoanRequestForm(request.POST)
    if form.is_valid():
        try:
            loan = services.loan_request(actor=request.user, record=record, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your request was sent."))
            return redirect(loan)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(record)


@require_perm(BORROW)
def loan_list(request):
    loans = Loan.objects.visible_to(request.user).with_refs().select_related("borrower__person")
    archivist = is_archivist(request.user)
    status = request.GET.get("status", "open")
    if status == "open":
        loans = loans.open()
    elif status == "overdue":
        loans = loans.filter(status=Loan.Status.LENT, due_date__lt=timezone.localdate())
    elif status in Loan.Status.values:
        loans = loans.filter(status=status)
    else:
        status = "all"
    if request.GET.get("mine") == "1" or not archivist:
        loans = loans.filter(borrower=request.user)
    page = Paginator(loans, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": Loan.Status.choices,
        "archivist": archivist,
        "mine": request.GET.get("mine") == "1",
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "knowledge/loan_list.html", context)


def _loan(request, pk: int) -> Loan:
    try:
        return Loan.objects.visible_to(request.user).with_refs().get(pk=pk)
    except Loan.DoesNotExist:
        raise Http404 from None


@require_perm(BORROW)
def loan_detail(request, pk: int):
    loan = _loan(request, pk)
    archivist = is_archivist(request.user)
    context = {
        "loan": loan,
        "archivist": archivist,
        "may_decide": loan.status == Loan.Status.REQUESTED
        and may_decide(request.user, loan.record),
        "decision_form": LoanDecisionForm(),
        "lend_form": LendForm(),
        "return_form": ReturnLoanForm(initial={"condition": Loan.Condition.INTACT}),
        "may_open": services.loan_may_open(loan, request.user),
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "knowledge/loan_detail.html", context)


def _loan_action(request, pk: int, action) -> object:
    loan = _loan(request, pk)
    try:
        action(loan)
    except PermissionDenied:
        check(request, "knowledge.decide_loan", loan)
        raise
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(loan)


@require_POST
@require_perm(BORROW)
def loan_decide(request, pk: int):
    check(request, "knowledge.decide_loan", _loan(request, pk))
    form = LoanDecisionForm(request.POST)

    def act(loan):
        if not form.is_valid():
            raise ValidationError(_("Choose a decision."))
        services.loan_decide(loan=loan, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The request was decided."))

    return _loan_action(request, pk, act)


@require_POST
@require_perm(MANAGE)
def loan_lend(request, pk: int):
    form = LendForm(request.POST)

    def act(loan):
        if not form.is_valid():
            raise ValidationError([m for errs in form.errors.values() for m in errs])
        services.loan_lend(loan=loan, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The record is lent."))

    return _loan_action(request, pk, act)


@require_POST
@require_perm(MANAGE)
def loan_return(request, pk: int):
    form = ReturnLoanForm(request.POST)

    def act(loan):
        if not form.is_valid():
            raise ValidationError([m for errs in form.errors.values() for m in errs])
        services.loan_return(loan=loan, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The record is back."))

    return _loan_action(request, pk, act)


@require_perm(MANAGE)
def archive_stats(request):
    """Statistics of use: loans by month and 密级, most borrowed records, overdue."""
    since = timezone.localdate().replace(day=1) - dt.timedelta(days=335)
    by_month = dict(
        Loan.objects.filter(created_at__date__gte=since)
        .annotate(m=TruncMonth("created_at"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
    )
    months, values = [], []
    cursor = since
    for _i in range(12):
        months.append(cursor.strftime("%Y-%m"))
        values.append(sum(n for m, n in by_month.items() if m.strftime("%Y-%m") == months[-1]))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    by_level = dict(
        Loan.objects.values_list("record__security_level").annotate(n=Count("pk")).order_by()
    )
    context = {
        "chart": bar(months, {str(_("Loans")): values}, value_name=str(_("loans"))),
        "levels": [(label, by_level.get(code, 0)) for code, label in SecurityLevel.choices],
        "top": ArchiveRecord.objects.filter(status="accepted")
        .annotate(n=Count("loans"))
        .filter(n__gt=0)
        .order_by("-n", "number")[:10],
        "overdue": Loan.objects.filter(
            status=Loan.Status.LENT, due_date__lt=timezone.localdate()
        ).count(),
        "open": Loan.objects.open().count(),
        "filed": ArchiveRecord.objects.filter(status="accepted").count(),
        "waiting": ArchiveRecord.objects.filter(status="submitted").count(),
        "returned_damaged": Loan.objects.filter(
            status=Loan.Status.RETURNED, condition__in=["damaged", "incomplete"]
        ).count(),
    }
    return TemplateResponse(request, "knowledge/archive_stats.html", context)


def project_archive_tab(request, project):
    """The project's records: filed, waiting and being prepared; file one from here."""
    project = get_project_for_user(request, project.pk)
    records = ArchiveRecord.objects.visible_to(request.user).filter(project=project).with_refs()
    context = {
        "project": project,
        "records": records,
        "may_file": request.user.has_perm("knowledge.file_records", project),
        "counts": dict(
            ArchiveRecord.objects.filter(project=project)
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        ),
    }
    return render(request, "knowledge/project_archive_tab.html", context)


urlpatterns = [
    path("archives/", archive_list, name="archive_list"),
    path("archives/new/", record_create, name="record_create"),
    path("archives/numbering/", numbering, name="numbering"),
    path("archives/statistics/", archive_stats, name="archive_stats"),
    path("archives/<int:pk>/", archive_detail, name="archive_detail"),
    path("archives/<int:pk>/file/", archive_file, name="archive_file"),
    path("archives/<int:pk>/edit/", record_edit, name="record_edit"),
    path("archives/<int:pk>/submit/", record_submit, name="record_submit"),
    path("archives/<int:pk>/check/", record_check, name="record_check"),
    path("archives/<int:pk>/borrow/", loan_request, name="loan_request"),
    path("loans/", loan_list, name="loan_list"),
    path("loans/<int:pk>/", loan_detail, name="loan_detail"),
    path("loans/<int:pk>/decide/", loan_decide, name="loan_decide"),
    path("loans/<int:pk>/lend/", loan_lend, name="loan_lend"),
    path("loans/<int:pk>/return/", loan_return, name="loan_return"),
]
