"""Forms of the chat-channel pages and of the notification preferences."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pmo.core.forms import StyledForm, StyledModelForm
from pmo.core.models import Channel, Delivery


class ChannelForm(StyledModelForm):
    """A channel's settings; the secret is write-only: left blank it stays as it is."""

    webhook_url = forms.URLField(
        label=_("Webhook address"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Copy it from the robot's settings in the group, e.g. "
            "https://oapi.dingtalk.com/robot/send?access_token=…"
        ),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    clear_secret = forms.BooleanField(label=_("Remove the stored secret"), required=False)

    class Meta:
        model = Channel
        fields = ["name", "kind", "webhook_url", "secret", "is_active"]
        labels = {
            "name": _("Name"),
            "kind": _("Platform"),
            "is_active": _("Active"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.secret:
            self.fields["secret"].help_text = _(
                "A secret is stored (%(hint)s). Leave blank to keep it."
            ) % {"hint": self.instance.secret_hint}
        else:
            self.fields["secret"].help_text = _(
                "DingTalk: the 'SEC…' secret of the robot's signing option; Feishu: the "
                "signature secret. Leave blank when the robot has none (WeCom never has)."
            )
            del self.fields["clear_secret"]

    def _post_clean(self):
        # The model's clean() checks the address against the platform's hosts; a blank
        # secret field must not wipe the stored secret (the service decides).
        stored = self.instance.secret
        super()._post_clean()
        if not self.cleaned_data.get("secret"):
            self.instance.secret = stored


class EventRouteForm(StyledForm):
    """The channels one kind of event is posted to."""

    channels = forms.ModelMultipleChoiceField(
        label=_("Post to these channels"),
        queryset=Channel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channels"].queryset = Channel.objects.filter(is_active=True).order_by("name")


class NotificationPreferencesForm(StyledForm):
    """One choice per registered kind of event: in the app, e-mail at once, or digest."""

    def __init__(self, *args, preferences, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = []
        for kind, delivery, _own in preferences:
            name = f"event_{kind.code}"
            self.fields[name] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=Delivery.choices,
                initial=delivery,
                widget=forms.RadioSelect,
            )
            self.kinds.append((kind, name))

    def choices(self) -> dict[str, str]:
        return {kind.code: self.cleaned_data[name] for kind, name in self.kinds}

    def rows(self):
        """(kind, bound field) pairs for the template."""
        return [(kind, self[name]) for kind, name in self.kinds]
