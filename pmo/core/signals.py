"""Security events for authentication, recorded from Django's and django-axes' signals;
the list of signed-in sessions, the password history and the sign-in steps kept current."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from pmo.core.auth.gate import sign_in_steps
from pmo.core.auth.passwords import password_history_record
from pmo.core.auth.sessions import end_sessions, session_register
from pmo.core.models import SecurityEvent, UserSession
from pmo.core.services import security_event_record


@receiver(user_logged_in)
def _login(sender, request, user, **kwargs):
    security_event_record(kind=SecurityEvent.Kind.LOGIN, user=user, request=request)
    if request is not None and getattr(request, "session", None) is not None:
        session_register(request=request, user=user)
        sign_in_steps(request=request, user=user)


@receiver(user_logged_out)
def _logout(sender, request, user, **kwargs):
    # A timeout records its own SESSION_END event instead of a logout.
    if user is not None and not getattr(request, "pmo_session_timeout", None):
        security_event_record(kind=SecurityEvent.Kind.LOGOUT, user=user, request=request)
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        UserSession.objects.filter(session_key=session.session_key).delete()


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    security_event_record(
        kind=SecurityEvent.Kind.LOGIN_FAILED,
        username=str(credentials.get("username", ""))[:150],
        request=request,
        success=False,
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    security_event_record(
        kind=SecurityEvent.Kind.LOCKOUT,
        username=str(username or "")[:150],
        request=request,
        success=False,
    )


@receiver(post_save, sender=get_user_model())
def _user_saved(sender, instance, created, **kwargs):
    # set_password() leaves the raw password in _password until save() has run the
    # validators' password_changed hooks: that is the moment a password was set.
    if getattr(instance, "_password", None) is not None and instance.has_usable_password():
        password_history_record(user=instance)
    if not instance.is_active and not created:
        end_sessions(instance, reason="deactivated")
