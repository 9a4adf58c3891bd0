"""Forms of the administrator duties' pages: users and roles, and the audit log filters."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from pmo.core import roles
from pmo.core.forms import StyledForm
from pmo.core.models import Person, SecurityEvent


def role_choices():
    return [(code, label) for code, label in roles.ROLE_LABELS.items()]


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Roles"))
        kwargs.setdefault("required", False)
        super().__init__(choices=role_choices, **kwargs)


class UserFilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), required=False)
    active = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All")), ("yes", _("Active")), ("no", _("Deactivated"))],
    )
    locked = forms.BooleanField(label=_("Locked out only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("All")), *role_choices()]


class UserCreateForm(StyledForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    person = forms.ModelChoiceField(
        label=_("Person"),
        required=False,
        queryset=Person.objects.none(),
        help_text=_("The person in the directory this login belongs to, if any."),
    )
    roles = RolesField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(
            user__isnull=True, is_active=True
        ).order_by("name", "pk")


class UserRolesForm(forms.Form):
    roles = RolesField()


class SecurityEventFilterForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    result = forms.ChoiceField(
        label=_("Result"),
        required=False,
        choices=[("", _("All")), ("ok", _("succeeded")), ("failed", _("failed"))],
    )
    ip = forms.GenericIPAddressField(label=_("IP address"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *SecurityEvent.Kind.choices]
