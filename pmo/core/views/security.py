"""Pages of the security administrator (lockouts, second factors, sessions, the profile in
force) and of the auditor (the security log and its export)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.core import audit, resources
from pmo.core.duty_forms import SecurityEventFilterForm
from pmo.core.models import SecurityEvent, UserSession
from pmo.core.permissions import require_perm
from pmo.core.services import security_event_record

MANAGE = "core.manage_security"
AUDIT = "core.view_security_events"
PAGE_SIZE = 50


# --- security administrator --------------------------------------------------------------


@require_perm(MANAGE)
def lockout_list(request):
    page = Paginator(audit.locked_attempts(), PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "core/security/lockouts.html", {"page": page, "tab": "lockouts"}
    )


@require_POST
@require_perm(MANAGE)
def lockout_lift(request, pk: int):
    if audit.lockout_lift(actor=request.user, attempt_id=pk, request=request):
        messages.success(request, _("The lockout was lifted."))
    return redirect("core:lockout_list")


@require_perm(MANAGE)
def second_factor_list(request):
    """The users with a second factor enrolled, to reset one that was lost."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    devices = TOTPDevice.objects.select_related("user").order_by("user__username", "pk")
    page = Paginator(devices, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "core/security/second_factors.html", {"page": page, "tab": "second_factors"}
    )


@require_POST
@require_perm(MANAGE)
def second_factor_reset(request, user_pk: int):
    user = get_object_or_404(get_user_model(), pk=user_pk)
    try:
        audit.second_factor_reset(actor=request.user, user=user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The second factor of %(name)s was reset; they enrol again at their next sign-in.")
            % {"name": user.get_username()},
        )
    return redirect("core:second_factor_list")


@require_perm(MANAGE)
def session_list(request):
    sessions = UserSession.objects.select_related("user").order_by("-created_at", "-id")
    q = request.GET.get("q", "").strip()[:150]
    if q:
        sessions = sessions.filter(user__username__icontains=q)
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "core/security/sessions.html", {"page": page, "q": q, "tab": "sessions"}
    )


@require_POST
@require_perm(MANAGE)
def session_end(request, pk: int):
    session = get_object_or_404(UserSession.objects.select_related("user"), pk=pk)
    audit.session_end(actor=request.user, session=session, request=request)
    messages.success(request, _("The session was ended."))
    return redirect("core:session_list")


@require_perm(MANAGE)
def security_profile(request):
    return TemplateResponse(
        request,
        "core/security/profile.html",
        {"sections": audit.security_profile(), "tab": "profile"},
    )


# --- auditor -----------------------------------------------------------------------------


def _filtered_events(form: SecurityEventFilterForm):
    qs = SecurityEvent.objects.all()
    if not form.is_valid():
        return qs.none() if form.is_bound and form.errors else qs
    data = form.cleaned_data
    if data["kind"]:
        qs = qs.filter(kind=data["kind"])
    if data["user"]:
        # Who did it, or whose account it was about (role and account changes, unlocks).
        name = data["user"]
        qs = qs.filter(Q(username__iexact=name) | Q(detail__istartswith=f"{name} "))
    tz = timezone.get_current_timezone()
    if data["date_from"]:
        start = dt.datetime.combine(data["date_from"], dt.time.min, tzinfo=tz)
        qs = qs.filter(created_at__gte=start)
    if data["date_to"]:
        end = dt.datetime.combine(data["date_to"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        qs = qs.filter(created_at__lt=end)
    if data["result"]:
        qs = qs.filter(success=data["result"] == "ok")
    if data["ip"]:
        qs = qs.filter(ip_address=data["ip"])
    return qs


@require_perm(AUDIT)
def security_events(request):
    form = SecurityEventFilterForm(request.GET or None)
    page = Paginator(_filtered_events(form), PAGE_SIZE).get_page(request.GET.get("page"))
    template = "core/security/events.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        template,
        {
            "form": form,
            "page": page,
            "retention_days": audit.retention_days(),
            "export_query": query.urlencode(),
        },
    )


@require_perm(AUDIT)
def security_events_export(request):
    """The filtered events as CSV; the export is itself a security event."""
    form = SecurityEventFilterForm(request.GET or None)
    events = _filtered_events(form).order_by("created_at", "id")
    headers = [
        _("Time"),
        _("Kind"),
        _("User"),
        _("IP address"),
        _("Address"),
        _("Browser"),
        _("Result"),
        _("Detail"),
    ]
    kinds = dict(SecurityEvent.Kind.choices)
    ok, failed = _("succeeded"), _("failed")
    rows = [
        [
            timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            str(kinds.get(e.kind, e.kind)),
            e.username,
            e.ip_address or "",
            e.path,
            e.user_agent,
            ok if e.success else failed,
            e.detail,
        ]
        for e in events.iterator(chunk_size=2000)
    ]
    content = resources.to_csv(headers, rows)
    security_event_record(
        kind=SecurityEvent.Kind.EXPORT,
        user=request.user,
        request=request,
        detail=f"security events csv {len(rows)} rows {request.GET.urlencode()}"[:500],
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    name = f"security-events-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
