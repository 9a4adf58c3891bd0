"""The PMO administrators' pages of chat-robot channels and event routes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.core import services
from pmo.core.channel_forms import ChannelForm, EventRouteForm
from pmo.core.channels import ChannelError, post_card
from pmo.core.forms import add_service_errors
from pmo.core.models import Channel, ChannelPost, EventRoute
from pmo.core.permissions import require_perm
from pmo.core.registry import registry

PERM = "core.manage_channels"


def _channel_rows():
    last = ChannelPost.objects.filter(channel=OuterRef("pk")).order_by("-created_at", "-id")
    return Channel.objects.annotate(
        route_count=Count("routes", distinct=True),
        last_status=Subquery(last.values("status")[:1]),
        last_at=Subquery(last.values("created_at")[:1]),
        last_error=Subquery(last.values("error")[:1]),
    ).order_by("-is_active", "name", "id")


@require_perm(PERM)
def channel_list(request):
    channels = list(_channel_rows())
    routes: dict[str, list] = {}
    for route in EventRoute.objects.select_related("channel").order_by("channel__name"):
        routes.setdefault(route.event, []).append(route.channel)
    kinds = [(kind, routes.get(kind.code, [])) for kind in registry.event_kind_list()]
    statuses = dict(ChannelPost.Status.choices)
    for channel in channels:
        channel.last_status_label = statuses.get(channel.last_status, "")
    return render(request, "core/channel_list.html", {"channels": channels, "kinds": kinds})


@require_perm(PERM)
def channel_create(request):
    form = ChannelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.CHANNEL_FIELDS}
        try:
            channel = services.channel_create(user=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The channel was added."))
            return redirect(channel.get_absolute_url())
    return render(request, "core/channel_form.html", {"form": form, "channel": None})


@require_perm(PERM)
def channel_detail(request, pk: int):
    channel = get_object_or_404(Channel.objects.select_related("created_by"), pk=pk)
    posts = list(channel.posts.all()[:20])
    kinds = registry.event_kinds
    routed = [
        kinds[code].label if code in kinds else code
        for code in channel.routes.values_list("event", flat=True)
    ]
    return render(
        request,
        "core/channel_detail.html",
        {"channel": channel, "posts": posts, "routed": routed},
    )


@require_perm(PERM)
def channel_edit(request, pk: int):
    channel = get_object_or_404(Channel, pk=pk)
    title = channel.name
    form = ChannelForm(request.POST if request.method == "POST" else None, instance=channel)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.CHANNEL_FIELDS}
        clear = form.cleaned_data.get("clear_secret", False)
        if clear:
            data["secret"] = ""
        try:
            services.channel_update(channel=channel, keep_secret=not clear, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The channel was saved."))
            return redirect(channel.get_absolute_url())
    return render(
        request, "core/channel_form.html", {"form": form, "channel": channel, "title": title}
    )


@require_POST
@require_perm(PERM)
def channel_active(request, pk: int):
    """Deactivate (``active=0``) or reactivate a channel."""
    channel = get_object_or_404(Channel, pk=pk)
    if request.POST.get("active") == "1":
        try:
            services.channel_activate(channel=channel)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The channel is active again."))
    else:
        services.channel_deactivate(channel=channel)
        messages.success(request, _("The channel was deactivated; nothing is posted to it."))
    return redirect(channel.get_absolute_url())


@require_POST
@require_perm(PERM)
def channel_test(request, pk: int):
    """Post a test card at once and say whether the robot took it."""
    channel = get_object_or_404(Channel, pk=pk)
    try:
        post_card(
            channel,
            title=_("Test message from the PMO"),
            lines=[
                (_("Channel"), channel.name),
                (_("Sent by"), request.user.get_full_name() or request.user.get_username()),
            ],
            url=channel.get_absolute_url(),
        )
    except ChannelError as exc:
        messages.error(request, _("The test card was not posted: %(error)s") % {"error": str(exc)})
    else:
        messages.success(request, _("The test card was posted; check the group."))
    return redirect(channel.get_absolute_url())


@require_perm(PERM)
def event_route_edit(request, event: str):
    kind = registry.event_kinds.get(event)
    if kind is None:
        raise Http404
    current = Channel.objects.filter(routes__event=event, is_active=True)
    form = EventRouteForm(
        request.POST if request.method == "POST" else None, initial={"channels": list(current)}
    )
    if request.method == "POST" and form.is_valid():
        # Routes to deactivated channels are not on the form; they stay as they are.
        kept = Channel.objects.filter(routes__event=event, is_active=False)
        chosen = [*form.cleaned_data["channels"], *kept]
        services.event_routes_set(event=event, channels=chosen)
        messages.success(request, _("The routes of this kind of event were saved."))
        return redirect("core:channel_list")
    return render(request, "core/channel_routes.html", {"form": form, "kind": kind})
