"""Login, password change, the user's settings and the language switch."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.core import services
from pmo.core.forms import PreferenceForm
from pmo.core.models import SecurityEvent
from pmo.core.permissions import require_perm


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def _switch(request, language: str):
    translation.activate(language)
    request.session["pmo_language"] = language


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    for field in form.fields.values():
        field.widget.attrs["class"] = "form-control"
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        services.security_event_record(
            kind=SecurityEvent.Kind.PASSWORD_CHANGE, user=user, request=request
        )
        messages.success(request, _("Your password was changed."))
        return redirect("core:account")
    return render(request, "registration/password_change.html", {"form": form})


@login_required
def account(request):
    current = translation.get_language()
    form = PreferenceForm(request.POST or None, initial={"language": current})
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        services.user_language_set(user=request.user, language=language)
        _switch(request, language)
        messages.success(request, _("Your settings were saved."))
        return redirect("core:account")
    return render(request, "core/account.html", {"form": form})


@require_POST
@login_required
def language(request):
    """The top bar's language switch: remember the choice and go back."""
    form = PreferenceForm(request.POST)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    if form.is_valid():
        language = form.cleaned_data["language"]
        services.user_language_set(user=request.user, language=language)
        _switch(request, language)
    return redirect(target)


@require_perm("core.view_security_events")
def security_events(request):
    qs = SecurityEvent.objects.select_related("user")
    kind = request.GET.get("kind")
    if kind in SecurityEvent.Kind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "core/security_events.html",
        {"page": page, "kinds": SecurityEvent.Kind.choices, "kind": kind},
    )
