"""Tiles of the knowledge app on other pages (registered in ``knowledge.wiring``).

The PMO cockpit tile counts the curation queue, the filing checks and the loans in five
counts; ``knowledge:cockpit_tile`` serves it on its own. "My work" shows the loans to
return and the lessons returned for rework. The standards process page shows the
lessons and the change requests from lessons that fed the process.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone

from knowledge.models import ArchiveRecord, Case, Lesson, Loan
from pmo.core import searchtext
from pmo.core.models import SearchEntry
from pmo.core.permissions import require_perm
from standards.models import ChangeRequest

LIMIT = 5


def _queue() -> dict:
    """The PMO's knowledge queues: curation, filing checks, loan requests, overdue loans."""
    waiting = ["submitted", "reviewed"]
    today = timezone.localdate()
    return {
        "lessons": Lesson.objects.filter(status__in=waiting).count(),
        "cases": Case.objects.filter(status__in=waiting).count(),
        "records": ArchiveRecord.objects.filter(status="submitted").count(),
        "requests": Loan.objects.filter(status="requested").count(),
        "overdue": Loan.objects.filter(status="lent", due_date__lt=today).count(),
    }


def pmo_queue(request, filters: dict) -> str:
    context = _queue()
    context["count"] = sum(context.values())
    return render_to_string("knowledge/widget_cockpit.html", context, request=request)


@require_perm("knowledge.curate")
def cockpit_tile(request):
    context = _queue()
    context["count"] = sum(context.values())
    return TemplateResponse(request, "knowledge/widget_cockpit.html", context)


def my_knowledge(request, filters: dict) -> str:
    """Loans the user must return and lessons of theirs returned for rework (two queries)."""
    today = timezone.localdate()
    loans = list(
        Loan.objects.filter(borrower=request.user, status__in=["approved", "lent"])
        .select_related("record")
        .order_by("due_date")[:LIMIT]
    )
    lessons = list(
        Lesson.objects.filter(created_by=request.user, status="returned").order_by("-pk")[:LIMIT]
    )
    context = {"loans": loans, "lessons": lessons, "today": today}
    return render_to_string("knowledge/widgets/my.html", context, request=request)


def _indexed_lessons(names: list[str]):
    """Ids of the lessons whose entry in the global search index has one of ``names``
    (read from its GIN index, this narrows the text match to a few rows instead of scanning every
    lesson), or ``None`` when the index cannot answer (not PostgreSQL, or a name
    too short to look up)."""
    if connection.vendor != "postgresql":
        return None
    clauses = [searchtext.tsquery_literal(name) for name in names]
    if not clauses or not all(clauses):
        return None
    query = " | ".join(f"({c})" for c in clauses)
    match = RawSQL("vector @@ %s::tsquery", [query], output_field=BooleanField())
    return list(
        SearchEntry.objects.filter(match, kind="lessons").values_list("object_id", flat=True)
    )


def standards_process(request, filters: dict) -> str:
    """Lessons that mention the process, and change requests raised from lessons on it."""
    process = filters.get("process")
    if process is None:
        return ""
    names = [n for n in (process.name, getattr(process, "name_en", "")) if n]
    text = Q(pk__in=[])
    for name in names:
        text |= (
            Q(title__icontains=name)
            | Q(description__icontains=name)
            | Q(recommendation__icontains=name)
        )
    lessons = Lesson.objects.visible_to(request.user).published().filter(text)
    indexed = _indexed_lessons(names)
    if indexed is not None:
        lessons = lessons.filter(pk__in=indexed)
    lessons = list(lessons.order_by("-published_at")[:LIMIT])
    affected = Q(affected__icontains=process.code)
    for name in names:
        affected |= Q(affected__icontains=name) | Q(title__icontains=name)
    changes = list(
        ChangeRequest.objects.filter(
            methodology_id=process.version.methodology_id, source=ChangeRequest.Source.LESSON
        )
        .filter(affected)
        .order_by("-pk")[:LIMIT]
    )
    return render_to_string(
        "knowledge/widget_process.html",
        {"lessons": lessons, "changes": changes, "process": process},
        request=request,
    )
