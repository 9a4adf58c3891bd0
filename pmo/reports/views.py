"""Report pages: the archive, downloads, the catalogue with previews, subscriptions
and their delivery log.

PDFs are rendered here only for the preview of a subscription that is being set up (it
is not saved, so there is no run to archive); otherwise a request only asks for a run,
and the archive row or the preview page polls (htmx) until the Celery task has
finished it.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pmo.core import locking, queue
from pmo.core.forms import add_service_errors
from pmo.core.models import SecurityEvent
from pmo.core.permissions import require_perm
from pmo.core.registry import registry
from pmo.core.services import security_event_record
from pmo.reports import services
from pmo.reports.content import scope_for
from pmo.reports.forms import DeliveryFilterForm, RunFilterForm, SubscriptionForm
from pmo.reports.models import Delivery, ReportRun, Subscription
from pmo.reports.pdf import render_pdf
from pmo.reports.periods import period_containing

PAGE_SIZE = 25
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def _visible_kinds(user) -> list:
    kinds = sorted(registry.report_kinds.values(), key=lambda k: str(k.label))
    return [kind for kind in kinds if kind.visible_to(user)]


def _visible_run(request, pk: int) -> ReportRun:
    """The run if the user may see it, else 404 (its existence is not revealed)."""
    return get_object_or_404(ReportRun.objects.visible_to(request.user).with_people(), pk=pk)


def _visible_kind(request, code: str):
    kind = registry.report_kinds.get(code)
    if kind is None or not kind.visible_to(request.user):
        raise Http404
    return kind


# --- archive -------------------------------------------------------------------------


@require_GET
@require_perm("reports.view_archive")
def archive(request):
    kinds = _visible_kinds(request.user)
    filter_form = RunFilterForm(request.GET or None, kinds=kinds)
    kind = filter_form.cleaned_data["kind"] if filter_form.is_valid() else ""
    runs = ReportRun.objects.visible_to(request.user).of_kind(kind).with_people()
    context = {
        "filter_form": filter_form,
        "page": Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_request": request.user.has_perm("reports.request_run"),
    }
    template = "reports/reportrun_archive.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(request, template, context)


@require_GET
@require_perm("reports.view_archive")
def run_row(request, pk: int):
    """One archive row, polled by htmx while the run is waiting or rendering."""
    run = _visible_run(request, pk)
    if not request.htmx:
        return redirect(f"{reverse('reports:archive')}?kind={run.kind}")
    return TemplateResponse(request, "reports/reportrun_archive.html#run-row", {"run": run})


@require_GET
@require_perm("reports.view_archive")
def download(request, pk: int):
    run = _visible_run(request, pk)
    if not run.is_downloadable:
        raise Http404
    inline = request.GET.get("inline") == "1"
    security_event_record(
        kind=SecurityEvent.Kind.DOWNLOAD,
        user=request.user,
        request=request,
        detail=f"report run {run.pk} {run.kind} {run.period_label} {run.language}",
    )
    return FileResponse(
        run.file.open("rb"),
        as_attachment=not inline,
        filename=f"{run.kind_label}-{run.period_label}.pdf",
        content_type="application/pdf",
    )


@require_GET
@require_perm("reports.view_archive")
def run_preview(request, pk: int):
    """Wait for a run and then show its PDF in the browser."""
    run = _visible_run(request, pk)
    if run.is_downloadable:
        url = f"{run.get_download_url()}?inline=1"
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
    template = "reports/reportrun_preview.html"
    if request.htmx:
        template += "#status"
    return TemplateResponse(request, template, {"run": run})


# --- catalogue -----------------------------------------------------------------------


@require_GET
@require_perm("reports.view_archive")
def catalogue(request):
    today = timezone.localdate()
    kinds = [
        (kind, period_containing(kind.default_period, today))
        for kind in _visible_kinds(request.user)
    ]
    context = {
        "kinds": kinds,
        "languages": settings.LANGUAGES,
        "current_language": translation.get_language(),
        "can_request": request.user.has_perm("reports.request_run"),
    }
    return TemplateResponse(request, "reports/catalogue.html", context)


def _request_current_run(request, code: str, *, refresh: bool) -> ReportRun:
    kind = _visible_kind(request, code)
    language = request.POST.get("language")
    if language not in LANGUAGE_CODES:
        language = translation.get_language()
    period = period_containing(kind.default_period, timezone.localdate())
    params = {"scope": scope_for(request.user)} if kind.scoped else {}
    return services.report_run_request(
        kind=kind.code,
        period=period,
        language=language,
        params=params,
        actor=request.user,
        refresh=refresh,
    )


@require_POST
@require_perm("reports.request_run")
def catalogue_generate(request, code: str):
    run = _request_current_run(request, code, refresh=True)
    if not queue.take_notices():
        messages.success(
            request,
            _("%(report)s for %(period)s was requested; it appears here when it is ready.")
            % {"report": run.kind_label, "period": run.period_label},
        )
    else:
        messages.warning(request, services.RENDER_WAITING)
    return redirect(f"{reverse('reports:archive')}?kind={run.kind}")


@require_POST
@require_perm("reports.request_run")
def catalogue_preview(request, code: str):
    run = _request_current_run(request, code, refresh=False)
    return redirect("reports:run_preview", pk=run.pk)


# --- subscriptions -------------------------------------------------------------------


@require_GET
@require_perm("reports.manage_subscriptions")
def subscription_list(request):
    subscriptions = Subscription.objects.for_list()
    page = Paginator(subscriptions, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "reports/subscription_list.html", {"page": page})


RECENT_DELIVERIES = 10


def _subscription_form_page(request, form, subscription=None, status=200):
    deliveries = []
    if subscription is not None:
        deliveries = Delivery.objects.filter(subscription=subscription).for_log()[
            :RECENT_DELIVERIES
        ]
    project_kinds = [code for code, kind in registry.report_kinds.items() if kind.scoped]
    context = {
        "form": form,
        "subscription": subscription,
        "deliveries": deliveries,
        "project_kinds": project_kinds,
    }
    return TemplateResponse(request, "reports/subscription_form.html", context, status=status)


def _save_subscription(request, form, subscription=None):
    try:
        with locking.guard(form):
            saved = services.subscription_save(
                actor=request.user, subscription=subscription, **form.service_kwargs()
            )
    except ValidationError as error:
        add_service_errors(form, error)
        return _subscription_form_page(request, form, subscription, status=422)
    messages.success(request, _("The subscription %(name)s was saved.") % {"name": saved.name})
    return redirect(saved)


@require_perm("reports.manage_subscriptions")
def subscription_create(request):
    form = SubscriptionForm(
        request.POST or None,
        initial={
            "language": translation.get_language(),
            "hour": 8,
            "is_active": True,
            "frequency": "weekly",
            "weekday": 0,
        },
    )
    if request.method == "POST":
        if form.is_valid():
            return _save_subscription(request, form)
        return _subscription_form_page(request, form, status=422)
    return _subscription_form_page(request, form)


@require_perm("reports.manage_subscriptions")
def subscription_edit(request, pk: int):
    subscription = get_object_or_404(Subscription.objects.select_related("periodic_task"), pk=pk)
    form = SubscriptionForm(request.POST or None, instance=subscription)
    locking.attach_token(form, subscription)
    if request.method == "POST":
        if form.is_valid():
            return _save_subscription(request, form, subscription)
        return _subscription_form_page(request, form, subscription, status=422)
    return _subscription_form_page(request, form, subscription)


@require_POST
@require_perm("reports.manage_subscriptions")
def subscription_delete(request, pk: int):
    subscription = get_object_or_404(Subscription, pk=pk)
    name = subscription.name
    services.subscription_delete(subscription=subscription, actor=request.user)
    messages.success(request, _("The subscription %(name)s was deleted.") % {"name": name})
    return redirect("reports:subscriptions")


@require_POST
@require_perm("reports.manage_subscriptions")
def subscription_send(request, pk: int):
    subscription = get_object_or_404(Subscription, pk=pk)
    if not subscription.is_active:
        messages.warning(request, _("An inactive subscription is not sent."))
        return redirect(subscription)
    try:
        services.subscription_deliver_now(subscription=subscription)
    except queue.QueueUnavailable:
        messages.error(request, queue.NOT_QUEUED)
        return redirect(subscription)
    messages.success(
        request,
        _(
            "The report is being sent; recipients who already have this period's report "
            "are not sent it again."
        ),
    )
    return redirect(subscription)


@require_POST
@require_perm("reports.manage_subscriptions")
def subscription_preview(request):
    """The PDF the subscription being set up would send now, for the signed-in user.

    Nothing is saved: the report is rendered in this request (in the user's scope, for
    the current period) and shown inline; an invalid form comes back with its errors.
    """
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        return _subscription_form_page(request, form, status=422)
    kind = _visible_kind(request, form.cleaned_data["kind"])
    language = form.cleaned_data["language"]
    period = period_containing(form.cleaned_data["frequency"], timezone.localdate())
    params = {
        **form.params(),
        **({"scope": scope_for(request.user)} if kind.scoped else {}),
        "period_start": period.start,
        "period_end": period.end,
        "period_label": period.label,
    }
    try:
        with translation.override(language):
            content = kind.build(params, language)
            pdf = render_pdf(content, language=language, period_label=period.label)
            filename = f"{kind.label}-{period.label}.pdf"
    except Exception as error:  # a builder's failure is shown on the form, not as a 500
        form.add_error(None, _("The report could not be made: %(error)s") % {"error": error})
        return _subscription_form_page(request, form, status=422)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


# --- delivery log --------------------------------------------------------------------


def _delivery_log_page(request, deliveries, subscription=None):
    filter_form = DeliveryFilterForm(request.GET or None)
    status = filter_form.cleaned_data["status"] if filter_form.is_valid() else ""
    if status:
        deliveries = deliveries.filter(status=status)
    context = {
        "filter_form": filter_form,
        "subscription": subscription,
        "page": Paginator(deliveries.for_log(), PAGE_SIZE).get_page(request.GET.get("page")),
        "here": request.get_full_path(),
    }
    template = "reports/delivery_log.html"
    if request.htmx and not request.htmx.boosted:
        template += "#log"
    return TemplateResponse(request, template, context)


@require_GET
@require_perm("reports.manage_subscriptions")
def delivery_log(request):
    """Every e-mail and card sent (or not) by every subscription."""
    return _delivery_log_page(request, Delivery.objects.all())


@require_GET
@require_perm("reports.manage_subscriptions")
def subscription_deliveries(request, pk: int):
    subscription = get_object_or_404(Subscription, pk=pk)
    return _delivery_log_page(
        request, Delivery.objects.filter(subscription=subscription), subscription
    )


@require_POST
@require_perm("reports.manage_subscriptions")
def delivery_retry(request, pk: int):
    delivery = get_object_or_404(Delivery, pk=pk)
    try:
        services.delivery_retry(delivery=delivery, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except queue.QueueUnavailable:
        messages.error(request, queue.NOT_QUEUED)
    else:
        messages.success(
            request,
            _("%(target)s is being sent again; the log shows the result.")
            % {"target": delivery.target},
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("reports:deliveries")
    return redirect(back)
