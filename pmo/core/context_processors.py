"""What every page's shell needs: the sidebar and the unread-notification count."""

from pmo.core.registry import registry


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread():
        from pmo.core.models import Notification

        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

    return {
        "nav_entries": lambda: registry.nav_for(user),
        "unread_notifications": unread,
    }
