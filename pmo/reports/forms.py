"""Forms of the report pages; they validate input, the services write."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from pmo.core.forms import style
from pmo.core.models import Channel, Classification, OrgUnit
from pmo.core.registry import registry
from pmo.reports.models import Frequency, Subscription, Weekday, group_label


class RecipientChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user) -> str:
        person = getattr(user, "person", None)
        name = person.label if person else (user.get_full_name() or user.get_username())
        return f"{name} <{user.email}>" if user.email else str(name)


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, group) -> str:
        return group_label(group)


class RunFilterForm(forms.Form):
    """The archive's filter by report kind."""

    kind = forms.ChoiceField(label=_("Report"), required=False)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All reports"))] + [
            (kind.code, kind.label) for kind in kinds
        ]
        self.fields["kind"].widget.attrs["class"] = "form-select form-select-sm"


class DeliveryFilterForm(forms.Form):
    """The delivery log's filter by status."""

    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        from pmo.reports.models import Delivery

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses"))] + list(Delivery.Status.choices)
        self.fields["status"].widget.attrs["class"] = "form-select form-select-sm"


class ChannelChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, channel) -> str:
        return f"{channel.name} ({channel.get_kind_display()})"


class SubscriptionForm(forms.Form):
    """What a PMO staff member sets up: which report, filtered how, to whom and to which
    chat groups, in which language, when."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Report"))
    users = RecipientChoiceField(
        label=_("People"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "People who receive the report by e-mail; only those allowed to read the "
            "report are sent it."
        ),
    )
    group = GroupChoiceField(
        label=_("Recipient group"),
        queryset=Group.objects.order_by("name"),
        required=False,
        help_text=_("Every active member of this group receives the report as well."),
    )
    send_email = forms.BooleanField(
        label=_("Send by e-mail with the PDF attached"), required=False, initial=True
    )
    channels = ChannelChoiceField(
        label=_("Chat channels"),
        queryset=Channel.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_(
            "Each period, a summary card with a link to the report is posted to these "
            "groups. The card shows what the subscription's owner may see."
        ),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    org_unit = forms.ModelChoiceField(
        label=_("Organisational unit"),
        queryset=OrgUnit.objects.filter(is_active=True),
        required=False,
        help_text=_("Limit the report to the projects of this unit and the units below it."),
    )
    classification = forms.ChoiceField(
        label=_("Project classification"),
        choices=[("", _("All classifications"))] + list(Classification.choices),
        required=False,
        help_text=_("Only for reports that list projects."),
    )
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    weekday = forms.TypedChoiceField(
        label=_("Day of the week"),
        choices=[("", "—")] + list(Weekday.choices),
        coerce=int,
        empty_value=None,
        required=False,
    )
    day_of_month = forms.TypedChoiceField(
        label=_("Day of the month"),
        choices=[("", "—")] + [(d, str(d)) for d in range(1, 29)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    hour = forms.TypedChoiceField(
        label=_("Hour"),
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        coerce=int,
        initial=8,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, instance: Subscription | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["kind"].choices = [
            (kind.code, kind.label) for kind in registry.report_kinds.values()
        ]
        self.fields["users"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .select_related("person")
            .order_by("username")
        )
        self.fields["channels"].queryset = Channel.objects.filter(is_active=True).order_by("name")
        if instance is not None and instance.pk:
            # A channel switched off stays listed on the subscriptions that use it.
            self.fields["channels"].queryset = (
                Channel.objects.filter(
                    models.Q(is_active=True) | models.Q(report_subscriptions=instance)
                )
                .distinct()
                .order_by("name")
            )
        style(self)

    @staticmethod
    def initial_from(subscription: Subscription) -> dict:
        return {
            "name": subscription.name,
            "kind": subscription.kind,
            "users": list(subscription.users.values_list("pk", flat=True)),
            "group": subscription.group_id,
            "language": subscription.language,
            "org_unit": subscription.params.get("org_unit"),
            "classification": subscription.params.get("classification", ""),
            "send_email": subscription.send_email,
            "channels": list(subscription.channels.values_list("pk", flat=True)),
            "frequency": subscription.frequency,
            "weekday": subscription.weekday,
            "day_of_month": subscription.day_of_month,
            "hour": subscription.hour,
            "is_active": subscription.is_active,
        }

    def clean(self):
        data = super().clean()
        if data.get("send_email") and not data.get("users") and not data.get("group"):
            raise ValidationError(_("Choose at least one recipient or a group."))
        if not data.get("send_email") and not data.get("channels"):
            raise ValidationError(_("Send the report by e-mail, to a chat channel, or both."))
        frequency = data.get("frequency")
        if frequency == Frequency.WEEKLY and data.get("weekday") is None:
            self.add_error("weekday", _("Choose the day of the week to send on."))
        if (
            frequency in (Frequency.MONTHLY, Frequency.QUARTERLY)
            and data.get("day_of_month") is None
        ):
            self.add_error("day_of_month", _("Choose the day of the month to send on."))
        kind = registry.report_kinds.get(data.get("kind") or "")
        if data.get("classification") and kind is not None and not kind.scoped:
            self.add_error(
                "classification", _("This report does not list projects; leave this empty.")
            )
        return data

    def params(self) -> dict:
        """The report's filters, as runs and builders read them."""
        params = {}
        if self.cleaned_data.get("org_unit"):
            params["org_unit"] = self.cleaned_data["org_unit"].pk
        if self.cleaned_data.get("classification"):
            params["classification"] = self.cleaned_data["classification"]
        return params

    def service_kwargs(self) -> dict:
        """The cleaned data as ``subscription_save`` takes it."""
        data = dict(self.cleaned_data)
        data.pop("org_unit", None)
        data.pop("classification", None)
        data["params"] = self.params()
        return data
