"""Security events for authentication, recorded from Django's auth signals, and the
list of signed-in sessions kept current."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from pmo.core.auth.sessions import session_register
from pmo.core.models import SecurityEvent, UserSession
from pmo.core.services import security_event_record


@receiver(user_logged_in)
def _login(sender, request, user, **kwargs):
    security_event_record(kind=SecurityEvent.Kind.LOGIN, user=user, request=request)
    if request is not None:
        session_register(request=request, user=user)


@receiver(user_logged_out)
def _logout(sender, request, user, **kwargs):
    if user is not None:
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
