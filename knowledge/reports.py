"""The weekly knowledge digest (registered in ``knowledge.wiring``): what the knowledge
base gained in the period, what was read and applied most, the articles due for review
and the archive records filed.

Everyone who may read the knowledge base receives it, so it lists only items open to
every employee: confidential lessons, cases and articles, and archive records above the
internal level (密级 secret or confidential), are never named in it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from knowledge.models import (
    ArchiveRecord,
    Article,
    Case,
    Confidentiality,
    CurationStatus,
    Lesson,
    SecurityLevel,
    Usage,
)
from pmo.reports.content import ReportContent

OPEN_CONFIDENTIALITY = (Confidentiality.PUBLIC, Confidentiality.INTERNAL)
OPEN_SECURITY_LEVELS = (SecurityLevel.PUBLIC, SecurityLevel.INTERNAL)
LIST_LIMIT = 50
TOP_LIMIT = 5
REVIEW_AHEAD_DAYS = 30
"""Articles whose review falls due up to this many days after the period are listed."""


@dataclass(frozen=True)
class DigestItem:
    """One lesson, case or article as the digest lists it."""

    kind: str
    title: str
    category: str
    url: str
    published: dt.date | None = None
    count: int = 0


def _url(obj) -> str:
    return f"{settings.SITE_URL}{obj.get_absolute_url()}"


def _bounds(params: dict) -> tuple[dt.date, dt.date, dt.datetime, dt.datetime]:
    today = timezone.localdate()
    start = params.get("period_start") or today - dt.timedelta(days=today.weekday())
    end = params.get("period_end") or start + dt.timedelta(days=6)
    tz = timezone.get_current_timezone()
    lower = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end, lower, upper


def open_lessons():
    return Lesson.objects.filter(
        status=Lesson.Status.PUBLISHED, confidentiality__in=OPEN_CONFIDENTIALITY
    )


def open_cases():
    return Case.objects.filter(
        status=CurationStatus.PUBLISHED, confidentiality__in=OPEN_CONFIDENTIALITY
    ).select_related("category")


def open_articles():
    return Article.objects.filter(
        status=Article.Status.PUBLISHED, confidentiality__in=OPEN_CONFIDENTIALITY
    ).select_related("category")


def open_records():
    return ArchiveRecord.objects.filter(
        status=ArchiveRecord.Status.ACCEPTED, security_level__in=OPEN_SECURITY_LEVELS
    )


def _lesson_item(lesson: Lesson, count: int = 0) -> DigestItem:
    return DigestItem(
        kind=str(_("Lesson")),
        title=lesson.title,
        category=lesson.get_knowledge_area_display(),
        url=_url(lesson),
        published=timezone.localtime(lesson.published_at).date() if lesson.published_at else None,
        count=count,
    )


def _case_item(case: Case, count: int = 0) -> DigestItem:
    return DigestItem(
        kind=str(_("Case")),
        title=case.title,
        category=case.category.label if case.category_id else "",
        url=_url(case),
        published=timezone.localtime(case.published_at).date() if case.published_at else None,
        count=count,
    )


def _article_item(article: Article, count: int = 0) -> DigestItem:
    return DigestItem(
        kind=str(_("Article")),
        title=article.title,
        category=article.category.label if article.category_id else "",
        url=_url(article),
        published=timezone.localtime(article.published_at).date() if article.published_at else None,
        count=count,
    )


def published_in(lower: dt.datetime, upper: dt.datetime) -> list[DigestItem]:
    """Lessons, cases and articles published in the period, newest first (three queries)."""
    window = {"published_at__gte": lower, "published_at__lt": upper}
    items = [_lesson_item(x) for x in open_lessons().filter(**window)]
    items += [_case_item(x) for x in open_cases().filter(**window)]
    items += [_article_item(x) for x in open_articles().filter(**window)]
    items.sort(key=lambda i: (i.published or dt.date.min, i.title), reverse=True)
    return items


def most_used(kind: str, lower: dt.datetime, upper: dt.datetime) -> list[DigestItem]:
    """The open items with the most usages of ``kind`` in the period (four queries)."""
    usages = Usage.objects.filter(kind=kind, created_at__gte=lower, created_at__lt=upper)
    found: list[DigestItem] = []
    for field, items, make in (
        ("lesson", open_lessons(), _lesson_item),
        ("case", open_cases(), _case_item),
        ("article", open_articles(), _article_item),
    ):
        counts = dict(
            usages.filter(**{f"{field}__in": items.values("pk")})
            .order_by()
            .values_list(f"{field}_id")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .values_list(f"{field}_id", "n")[:TOP_LIMIT]
        )
        if counts:
            found += [make(obj, counts[obj.pk]) for obj in items.filter(pk__in=counts)]
    found.sort(key=lambda i: (-i.count, i.title))
    return found[:TOP_LIMIT]


def articles_due_for_review(end: dt.date) -> list[Article]:
    return list(
        open_articles()
        .filter(review_due__isnull=False, review_due__lte=end + dt.timedelta(REVIEW_AHEAD_DAYS))
        .select_related("owner")
        .order_by("review_due", "title")[:LIST_LIMIT]
    )


def records_filed(lower: dt.datetime, upper: dt.datetime):
    return open_records().filter(filed_at__gte=lower, filed_at__lt=upper).select_related("project")


def knowledge_digest(params: dict, language: str) -> ReportContent:
    """The digest of the knowledge base for the period (a week by default)."""
    start, end, lower, upper = _bounds(params)
    published = published_in(lower, upper)
    viewed = most_used(Usage.Kind.VIEW, lower, upper)
    applied = most_used(Usage.Kind.APPLIED, lower, upper)
    due = articles_due_for_review(end)
    records = list(records_filed(lower, upper).order_by("filed_at", "pk")[:LIST_LIMIT])
    kinds = {str(_("Lesson")): 0, str(_("Case")): 0, str(_("Article")): 0}
    for item in published:
        kinds[item.kind] += 1
    kpis = [
        (_("Lessons published"), str(kinds[str(_("Lesson"))])),
        (_("Cases published"), str(kinds[str(_("Case"))])),
        (_("Articles published"), str(kinds[str(_("Article"))])),
        (_("Articles due for review"), str(len(due))),
        (_("Archive records filed"), str(len(records))),
    ]
    context = {
        "start": start,
        "end": end,
        "kpis": kpis,
        "published": published[:LIST_LIMIT],
        "published_truncated": len(published) > LIST_LIMIT,
        "viewed": viewed,
        "applied": applied,
        "due": due,
        "today": timezone.localdate(),
        "records": records,
    }
    return ReportContent(
        title=_("Knowledge digest"),
        subtitle=_("New and most used knowledge, open to every employee"),
        template="knowledge/pdf/digest.html",
        context=context,
    )


def knowledge_digest_summary(params: dict, language: str) -> list[tuple[str, str]]:
    """The chat card of the digest: what was published and filed, the most read item."""
    _start, end, lower, upper = _bounds(params)
    window = {"published_at__gte": lower, "published_at__lt": upper}
    lines = [
        (_("Lessons published"), str(open_lessons().filter(**window).count())),
        (_("Cases published"), str(open_cases().filter(**window).count())),
        (_("Articles published"), str(open_articles().filter(**window).count())),
        (_("Archive records filed"), str(records_filed(lower, upper).count())),
    ]
    viewed = most_used(Usage.Kind.VIEW, lower, upper)
    if viewed:
        lines.append((_("Most read"), viewed[0].title))
    return lines
