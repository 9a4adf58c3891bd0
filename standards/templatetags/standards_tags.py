"""Template filters of the standards pages."""

from django import template

register = template.Library()


@register.filter
def user_label(user) -> str:
    """The name of a user's person, else the user name, else a dash."""
    if user is None:
        return "—"
    person = getattr(user, "person", None)
    return person.label if person is not None else user.get_username()
