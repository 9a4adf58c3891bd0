"""Reads other apps use: the training needs raised by improvement actions."""

from __future__ import annotations

from django.db.models import Q

from evaluation.models import ImprovementAction


def training_needs(*, year: int) -> list[dict]:
    """Improvement actions that ask for training and are open or due in ``year``:
    ``id``, ``title``, ``org_unit_id``, ``topic`` (competency or topic text), ``url``,
    ``status`` and ``target_date``. Talent's yearly training plan lists them."""
    actions = (
        ImprovementAction.objects.filter(needs_training=True)
        .exclude(status=ImprovementAction.Status.CANCELLED)
        .filter(Q(target_date__year=year) | Q(status__in=ImprovementAction.OPEN))
        .order_by("target_date", "pk")
    )
    return [
        {
            "id": action.pk,
            "title": action.title,
            "org_unit_id": action.org_unit_id,
            "topic": action.training_topic or action.measure,
            "url": action.get_absolute_url(),
            "status": action.status,
            "target_date": action.target_date,
        }
        for action in actions
    ]
