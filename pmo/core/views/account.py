"""Login, password change, second factor, the user's settings and the language switch."""

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.core import services
from pmo.core.auth import gate, lockout
from pmo.core.auth import second_factor as totp
from pmo.core.auth.forms import CodeForm
from pmo.core.auth.sessions import end_sessions, session_rekeyed
from pmo.core.forms import PreferenceForm
from pmo.core.models import SecurityEvent, UserSession


class LoginView(auth_views.LoginView):
    """Django's login with one answer for every failure.

    A wrong password, an unknown user name and a locked-out name all get this page
    with status 200; the lockout message appears only once the name (known or not)
    has failed ``PMO_LOGIN_FAILURE_LIMIT`` times from the address.
    """

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if getattr(self.request, "axes_locked_out", False):
            context["locked_out"] = True
            context["lockout_message"] = lockout.lockout_message()
        return context

    def get_success_url(self):
        # A pending second factor or password change comes before the page asked for.
        if self.request.session.get(gate.STEPS):
            return gate.next_url(self.request)
        return super().get_success_url()


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
        previous_key = request.session.session_key
        update_session_auth_hash(request, user)
        session_rekeyed(previous_key, request.session.session_key)
        services.security_event_record(
            kind=SecurityEvent.Kind.PASSWORD_CHANGE, user=user, request=request
        )
        end_sessions(
            user, reason="password change", request=request, keep=request.session.session_key
        )
        gate.step_done(request, gate.PASSWORD)
        messages.success(request, _("Your password was changed."))
        return redirect(
            gate.next_url(request) if request.session.get(gate.STEPS) else "core:account"
        )
    expired = gate.PASSWORD in (request.session.get(gate.STEPS) or [])
    return render(request, "registration/password_change.html", {"form": form, "expired": expired})


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
    context = {
        "form": form,
        "has_second_factor": totp.device_confirmed(request.user) is not None,
        "second_factor_required": gate.requires_second_factor(request.user),
        "sessions": UserSession.objects.filter(user=request.user),
        "current_session": request.session.session_key,
        "remove_form": CodeForm(auto_id="remove_%s"),
    }
    context["remove_form"].fields["code"].widget.attrs.pop("autofocus", None)
    return render(request, "core/account.html", context)


@login_required
def second_factor_setup(request):
    """Enrol an authenticator app: scan the code, confirm with the six digits it shows."""
    if totp.device_confirmed(request.user) is not None:
        # Replacing an app takes removing it first, which asks for one of its codes.
        return redirect("core:account")
    if request.method == "POST" and lockout.is_locked_out(request, request.user.get_username()):
        return _locked_out(request)
    device = totp.device_pending(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp.second_factor_confirm(
            request=request, user=request.user, code=form.cleaned_data["code"]
        ):
            gate.step_done(request, gate.ENROL)
            messages.success(request, _("Your authenticator app is set up."))
            if request.session.get(gate.STEPS):
                return redirect(gate.next_url(request))
            return redirect("core:account")
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request)
        form.add_error(
            "code", _("That code is not right. Check the time on your phone and try again.")
        )
    context = {
        "form": form,
        "qr": totp.qr_svg(device),
        "secret": totp.secret_text(device),
        "required": gate.ENROL in (request.session.get(gate.STEPS) or []),
    }
    return render(request, "registration/second_factor_setup.html", context)


@login_required
def second_factor_verify(request):
    """The code asked after the password from a user with an authenticator app."""
    if totp.device_confirmed(request.user) is None:
        return redirect("second_factor_setup")
    if request.method == "POST" and lockout.is_locked_out(request, request.user.get_username()):
        return _locked_out(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp.second_factor_verify(
            request=request, user=request.user, code=form.cleaned_data["code"]
        ):
            gate.step_done(request, gate.VERIFY)
            return redirect(gate.next_url(request))
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request)
        form.add_error(
            "code", _("That code is not right. Check the time on your phone and try again.")
        )
    return render(request, "registration/second_factor_verify.html", {"form": form})


@require_POST
@login_required
def second_factor_remove(request):
    form = CodeForm(request.POST, auto_id="remove_%s")
    if form.is_valid() and totp.second_factor_remove(
        request=request, user=request.user, code=form.cleaned_data["code"]
    ):
        messages.success(request, _("Your authenticator app was removed."))
        if gate.requires_second_factor(request.user):
            request.session[gate.STEPS] = [gate.ENROL]
            return redirect("second_factor_setup")
    elif getattr(request, "axes_locked_out", False):
        return _locked_out(request)
    else:
        messages.error(request, _("That code is not right. Your authenticator app was kept."))
    return redirect("core:account")


def _locked_out(request):
    """Too many wrong codes: end the session; the name stays locked out for a while."""
    logout(request)
    messages.error(request, lockout.lockout_message())
    return redirect("login")


@require_POST
@login_required
def sessions_end_others(request):
    """Sign out of every other browser and device."""
    ended = end_sessions(
        request.user,
        reason="signed out elsewhere",
        request=request,
        keep=request.session.session_key,
    )
    messages.success(
        request,
        translation.ngettext(
            "%(count)d other session was ended.", "%(count)d other sessions were ended.", ended
        )
        % {"count": ended},
    )
    return redirect("core:account")


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
    # Not redirect(): it would try a bare word such as "home" as a URL name.
    return HttpResponseRedirect(target)
