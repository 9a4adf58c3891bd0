"""How the library is used: views, "helpful" votes and applications in projects."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from knowledge.models import Article, Case, Lesson, Usage
from pmo.core import roles
from pmo.core.models import Project


def _item_kwargs(item) -> dict:
    if isinstance(item, Lesson):
        return {"lesson": item}
    if isinstance(item, Case):
        return {"case": item}
    if isinstance(item, Article):
        return {"article": item}
    raise TypeError(f"not a knowledge item: {item!r}")


def _bump(item, field: str, by: int = 1) -> None:
    type(item).objects.filter(pk=item.pk).update(**{field: F(field) + by})
    item.refresh_from_db(fields=[field])


def usage_record_view(*, actor, item) -> None:
    """Count a reader's view (once per reader and day)."""
    if not getattr(actor, "is_authenticated", False):
        return
    kwargs = _item_kwargs(item)
    today = timezone.localdate()
    seen = Usage.objects.filter(
        kind=Usage.Kind.VIEW, user=actor, created_at__date=today, **kwargs
    ).exists()
    if seen:
        return
    with transaction.atomic():
        Usage.objects.create(
            kind=Usage.Kind.VIEW, user=actor, person_id=roles.person_id_of(actor), **kwargs
        )
        _bump(item, "view_count")


@transaction.atomic
def usage_toggle_helpful(*, actor, item) -> bool:
    """Vote the item helpful, or take the vote back; returns whether it is now voted."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    kwargs = _item_kwargs(item)
    existing = Usage.objects.filter(kind=Usage.Kind.HELPFUL, user=actor, **kwargs)
    if existing.exists():
        existing.delete()
        _bump(item, "helpful_count", -1)
        return False
    Usage.objects.create(
        kind=Usage.Kind.HELPFUL, user=actor, person_id=roles.person_id_of(actor), **kwargs
    )
    _bump(item, "helpful_count")
    return True


@transaction.atomic
def usage_apply(*, actor, item, project: Project, result: str = "", note: str = "") -> Usage:
    """Record that a lesson or case was applied in a project, with its outcome."""
    if not actor.has_perm("core.view_project", project):
        raise PermissionDenied(_("You can record an application only in a project you see."))
    if isinstance(item, Article):
        raise ValidationError(_("Lessons and cases are applied in projects."))
    if result and result not in Usage.Result.values:
        raise ValidationError({"result": _("Choose an outcome from the list.")})
    kwargs = _item_kwargs(item)
    if Usage.objects.filter(kind=Usage.Kind.APPLIED, project=project, **kwargs).exists():
        raise ValidationError(
            _("This is already recorded as applied in %(project)s.") % {"project": project.code}
        )
    usage = Usage(
        kind=Usage.Kind.APPLIED,
        user=actor,
        person_id=roles.person_id_of(actor),
        project=project,
        result=result,
        note=(note or "").strip()[:500],
        **kwargs,
    )
    usage.full_clean()
    usage.save()
    _bump(item, "reuse_count")
    return usage


@transaction.atomic
def usage_update_outcome(*, usage: Usage, actor, result: str, note: str = "") -> Usage:
    """Say later how the application turned out."""
    if usage.user_id != getattr(actor, "pk", None) and not roles.is_pmo(actor):
        raise PermissionDenied
    if result not in Usage.Result.values:
        raise ValidationError({"result": _("Choose an outcome from the list.")})
    usage.result, usage.note = result, (note or "").strip()[:500]
    usage.save(update_fields=["result", "note"])
    return usage
