"""The notification page, marking notifications read, and the notification preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.core import notify, services
from pmo.core.channel_forms import NotificationPreferencesForm
from pmo.core.forms import add_service_errors
from pmo.core.models import Notification


@login_required
def notification_list(request):
    qs = Notification.objects.filter(recipient=request.user)
    if request.GET.get("unread"):
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return TemplateResponse(request, "core/notification_list.html", {"page": page})


@require_POST
@login_required
def notification_read(request):
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    services.notification_mark_read(user=request.user, notification_ids=ids)
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("core:notifications")


@login_required
def notification_preferences(request):
    """How each kind of event reaches the user: in the app, e-mail at once, or digest."""
    preferences = notify.preferences_of(request.user)
    form = NotificationPreferencesForm(
        request.POST if request.method == "POST" else None, preferences=preferences
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_preferences_set(user=request.user, choices=form.choices())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your notification preferences were saved."))
            return redirect("core:notification_preferences")
    own = {kind.code: is_own for kind, _delivery, is_own in preferences}
    return render(
        request,
        "core/notification_preferences.html",
        {"form": form, "rows": [(k, f, own[k.code]) for k, f in form.rows()]},
    )
