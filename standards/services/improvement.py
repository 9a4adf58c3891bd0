"""Writes of continuous improvement: change requests against a standard, and users'
suggestions for the project management information system."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from standards.models import ChangeRequest, Methodology, MethodologyVersion, Suggestion
from standards.services.common import require_pmo, set_history_user, user_or_none

CR = ChangeRequest.Status


@transaction.atomic
def change_request_raise(
    *,
    methodology: Methodology,
    title: str,
    description: str,
    rationale: str = "",
    affected: str = "",
    source: str = ChangeRequest.Source.USER,
    source_reference: str = "",
    priority: str = ChangeRequest.Priority.MEDIUM,
    actor,
) -> ChangeRequest:
    """Raise a change request against a methodology (anyone may; other apps call this
    with ``source`` = evaluation or lesson and a reference)."""
    request = ChangeRequest(
        methodology=methodology,
        title=title.strip(),
        description=description.strip(),
        rationale=rationale.strip(),
        affected=affected.strip(),
        source=source,
        source_reference=source_reference.strip(),
        priority=priority,
        raised_by=user_or_none(actor),
    )
    request.full_clean()
    set_history_user(request, actor)
    request.save()
    return request


@transaction.atomic
def change_request_triage(
    *,
    request: ChangeRequest,
    status: str,
    note: str = "",
    priority: str | None = None,
    implemented_in: MethodologyVersion | None = None,
    actor,
) -> ChangeRequest:
    """The PMO accepts, defers or rejects a change request, or links it to the version
    that implements it. A link to a published version makes it implemented; to a
    draft or a version in review, it becomes implemented when that version is published.
    """
    require_pmo(actor)
    request = ChangeRequest.objects.select_for_update().get(pk=request.pk)
    if request.status in (CR.REJECTED, CR.IMPLEMENTED):
        raise ValidationError(_("This change request is closed."))
    if status not in (CR.ACCEPTED, CR.DEFERRED, CR.REJECTED, CR.IMPLEMENTED):
        raise ValidationError({"status": _("Choose accept, defer, reject or implemented.")})
    if status in (CR.REJECTED, CR.DEFERRED) and not note.strip():
        raise ValidationError({"note": _("Give the reason to the requester.")})
    if implemented_in is not None and implemented_in.methodology_id != request.methodology_id:
        raise ValidationError(
            {"implemented_in": _("Choose a version of the methodology the request is about.")}
        )
    if status == CR.IMPLEMENTED:
        if implemented_in is None:
            raise ValidationError(
                {"implemented_in": _("Name the version that implemented the change.")}
            )
        if implemented_in.status != MethodologyVersion.Status.PUBLISHED and (
            implemented_in.status != MethodologyVersion.Status.RETIRED
        ):
            status = CR.ACCEPTED  # implemented when that version is published
    if status in (CR.REJECTED, CR.DEFERRED):
        implemented_in = None
    request.status = status
    request.triage_note = note.strip()
    if priority:
        request.priority = priority
    request.implemented_in = implemented_in
    request.triaged_by, request.triaged_at = user_or_none(actor), timezone.now()
    request.full_clean()
    set_history_user(request, actor)
    request.save()
    return request


@transaction.atomic
def suggestion_submit(*, title: str, description: str, area: str, actor) -> Suggestion:
    """A user suggests an improvement of the information system."""
    suggestion = Suggestion(
        title=title.strip(),
        description=description.strip(),
        area=area,
        submitted_by=user_or_none(actor),
    )
    suggestion.full_clean()
    set_history_user(suggestion, actor)
    suggestion.save()
    return suggestion


@transaction.atomic
def suggestion_respond(*, suggestion: Suggestion, status: str, response: str, actor) -> Suggestion:
    """The PMO answers a suggestion and sets its status; the author is notified."""
    require_pmo(actor)
    if not response.strip():
        raise ValidationError({"response": _("Write the answer the author will read.")})
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    suggestion.status, suggestion.response = status, response.strip()
    suggestion.responded_by, suggestion.responded_at = user_or_none(actor), timezone.now()
    suggestion.full_clean()
    set_history_user(suggestion, actor)
    suggestion.save()
    if suggestion.submitted_by_id:
        from django.urls import reverse

        from pmo.core.services import notification_send

        notification_send(
            recipients=[suggestion.submitted_by],
            title=_("Your suggestion “%(title)s”: %(status)s")
            % {"title": suggestion.title[:80], "status": suggestion.get_status_display()},
            body=suggestion.response,
            url=reverse("standards:suggestion_list"),
        )
    return suggestion
