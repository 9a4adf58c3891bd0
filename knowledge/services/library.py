"""Writes of the knowledge base: categories, cases, articles and their files."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from knowledge.models import Article, ArticleVersion, Case, Category, CurationStatus, KnowledgeFile
from knowledge.services.common import require_pmo, set_history_user, user_or_none
from pmo.core import roles
from pmo.core.documents import check_evidence
from pmo.core.services import notification_send

CASE_FIELDS = (
    "title",
    "outcome_kind",
    "project",
    "project_type",
    "category",
    "phase",
    "knowledge_area",
    "background",
    "what_happened",
    "decisions",
    "outcome",
    "lessons",
    "tags",
    "confidentiality",
)
ARTICLE_FIELDS = (
    "title",
    "category",
    "body",
    "summary",
    "tags",
    "source_label",
    "owner",
    "review_due",
    "confidentiality",
)
CATEGORY_FIELDS = ("code", "name", "name_en", "description", "parent", "is_active")
MAX_FILES = 10


def _check_fields(fields: dict, allowed: tuple) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


# --- categories -------------------------------------------------------------------------


@transaction.atomic
def category_save(*, actor, category: Category | None = None, **fields) -> Category:
    """Create or change a category of the knowledge framework (PMO only)."""
    require_pmo(actor)
    _check_fields(fields, CATEGORY_FIELDS)
    category = category or Category()
    for key, value in fields.items():
        setattr(category, key, value)
    parent = category.parent
    if parent is not None:
        node = parent
        while node is not None:
            if category.pk and node.pk == category.pk:
                raise ValidationError({"parent": _("A category cannot sit under itself.")})
            node = node.parent
        category.level = parent.level + 1
    else:
        category.level = 1
    if category.pk is None:
        siblings = Category.objects.filter(parent=parent)
        category.position = (siblings.aggregate(m=Max("position"))["m"] or 0) + 1
    category.full_clean()
    set_history_user(category, actor)
    category.save()
    _relevel(category)
    return category


def _relevel(category: Category) -> None:
    for child in category.children.all():
        if child.level != category.level + 1:
            child.level = category.level + 1
            child.save(update_fields=["level"])
        _relevel(child)


@transaction.atomic
def category_move(*, category: Category, actor, up: bool) -> Category:
    """Swap a category with its neighbour above (or below) among its siblings."""
    require_pmo(actor)
    siblings = list(
        Category.objects.select_for_update()
        .filter(parent_id=category.parent_id)
        .order_by("position", "code")
    )
    for position, node in enumerate(siblings, start=1):
        node.position = position
    index = next(i for i, node in enumerate(siblings) if node.pk == category.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, node in enumerate(siblings, start=1):
        Category.objects.filter(pk=node.pk).update(position=position)
    category.refresh_from_db()
    return category


@transaction.atomic
def category_delete(*, category: Category, actor) -> None:
    require_pmo(actor)
    if category.children.exists() or category.cases.exists() or category.articles.exists():
        raise ValidationError(
            _("The category still holds subcategories, cases or articles; move them first.")
        )
    set_history_user(category, actor)
    category.delete()


# --- files ------------------------------------------------------------------------------


def _attach(*, actor, files, case: Case | None = None, article: Article | None = None) -> list:
    files = list(files or ())
    existing = (case or article).files.count()
    if existing + len(files) > MAX_FILES:
        raise ValidationError(
            _("At most %(n)d files may be attached.") % {"n": MAX_FILES}, code="too_many"
        )
    checked = [check_evidence(upload) for upload in files]
    rows = []
    for item in checked:
        row = KnowledgeFile(
            case=case,
            article=article,
            original_name=item.name,
            size=item.size,
            checksum=item.checksum,
            uploaded_by=user_or_none(actor),
        )
        row.file.save(item.name, item.content(), save=False)
        row.save()
        rows.append(row)
    return rows


@transaction.atomic
def knowledge_file_delete(*, file: KnowledgeFile, actor) -> None:
    file.file.delete(save=False)
    file.delete()


# --- cases ------------------------------------------------------------------------------


@transaction.atomic
def case_create(*, actor, files=(), submit: bool = True, **fields) -> Case:
    """Write up a case; it is submitted for curation (or kept as a draft)."""
    _check_fields(fields, CASE_FIELDS)
    case = Case(**fields)
    if case.project_type_id is None and case.project_id is not None:
        case.project_type_id = case.project.project_type_id
    case.created_by = user_or_none(actor)
    case.status = CurationStatus.SUBMITTED if submit else CurationStatus.DRAFT
    case.full_clean()
    set_history_user(case, actor)
    case.save()
    _attach(actor=actor, files=files, case=case)
    return case


@transaction.atomic
def case_update(*, case: Case, actor, files=(), **fields) -> Case:
    """Correct a case; a curated case goes back to curation when its author changes it."""
    _check_fields(fields, CASE_FIELDS)
    for key, value in fields.items():
        setattr(case, key, value)
    if case.status not in (CurationStatus.DRAFT, CurationStatus.SUBMITTED) and not roles.is_pmo(
        actor
    ):
        case.status = CurationStatus.SUBMITTED
        case.published_at = None
    case.full_clean()
    set_history_user(case, actor)
    case.save()
    _attach(actor=actor, files=files, case=case)
    return case


@transaction.atomic
def case_curate(*, case: Case, actor, to: str, reason: str = "") -> Case:
    """Move a case through curation: ``reviewed``, ``published`` or ``returned``."""
    require_pmo(actor)
    allowed = {
        CurationStatus.REVIEWED: (CurationStatus.SUBMITTED, CurationStatus.RETURNED),
        CurationStatus.PUBLISHED: (CurationStatus.REVIEWED,),
        CurationStatus.RETURNED: (
            CurationStatus.SUBMITTED,
            CurationStatus.REVIEWED,
            CurationStatus.PUBLISHED,
        ),
    }
    if to not in allowed:
        raise ValidationError(_("Unknown curation step."))
    if case.status not in allowed[to]:
        raise ValidationError(
            _("A case that is “%(status)s” cannot be moved to “%(to)s”.")
            % {"status": case.get_status_display(), "to": CurationStatus(to).label}
        )
    reason = (reason or "").strip()
    if to == CurationStatus.RETURNED and not reason:
        raise ValidationError({"reason": _("Say why the case is returned.")})
    case.status = to
    case.return_reason = reason[:500] if to == CurationStatus.RETURNED else ""
    case.reviewed_by = actor
    case.published_at = timezone.now() if to == CurationStatus.PUBLISHED else None
    set_history_user(case, actor)
    case.save()
    if case.created_by_id and to != CurationStatus.REVIEWED:
        notification_send(
            recipients=[case.created_by],
            title=_("Your case “%(title)s”: %(status)s")
            % {"title": case.title, "status": case.get_status_display()},
            body=case.return_reason,
            url=case.get_absolute_url(),
        )
    return case


@transaction.atomic
def case_rate(*, case: Case, actor, stars: int) -> Case:
    """Rate a published case from 1 to 5 stars."""
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ValidationError({"stars": _("Give 1 to 5 stars.")})
    if case.status != CurationStatus.PUBLISHED:
        raise ValidationError(_("Only published cases are rated."))
    Case.objects.filter(pk=case.pk).update(
        rating_sum=F("rating_sum") + stars, rating_count=F("rating_count") + 1
    )
    case.refresh_from_db(fields=["rating_sum", "rating_count"])
    return case


# --- articles ---------------------------------------------------------------------------


def _snapshot(article: Article, actor, note: str) -> ArticleVersion:
    return ArticleVersion.objects.create(
        article=article,
        number=article.version,
        title=article.title,
        body=article.body,
        change_note=note[:300],
        created_by=user_or_none(actor),
    )


@transaction.atomic
def article_create(
    *,
    actor,
    title: str,
    body: str,
    category: Category | None = None,
    files=(),
    source_label: str = "",
    publish: bool = True,
    **fields,
) -> Article:
    """Write an article of the knowledge base (Markdown or plain text), version 1.

    Other apps (culture, for the materials of a sharing session) call this too; HTML
    in ``body`` is shown as text, never as markup.
    """
    _check_fields(fields, ARTICLE_FIELDS)
    article = Article(
        title=(title or "").strip(),
        body=body or "",
        category=category,
        source_label=(source_label or "")[:200],
        created_by=user_or_none(actor),
        **fields,
    )
    if article.owner_id is None and getattr(actor, "is_authenticated", False):
        article.owner_id = roles.person_id_of(actor)
    if publish:
        article.status = Article.Status.PUBLISHED
        article.published_at = timezone.now()
    article.full_clean()
    set_history_user(article, actor)
    article.save()
    _snapshot(article, actor, _("First version"))
    _attach(actor=actor, files=files, article=article)
    return article


@transaction.atomic
def article_update(
    *, article: Article, actor, change_note: str = "", files=(), **fields
) -> Article:
    """Change an article: a new version when the title or the text changes."""
    _check_fields(fields, ARTICLE_FIELDS)
    before = (article.title, article.body)
    for key, value in fields.items():
        setattr(article, key, value)
    changed = (article.title, article.body) != before
    if changed:
        article.version += 1
    article.full_clean()
    set_history_user(article, actor)
    article.save()
    if changed:
        _snapshot(article, actor, change_note)
    _attach(actor=actor, files=files, article=article)
    return article


@transaction.atomic
def article_set_status(*, article: Article, actor, status: str) -> Article:
    """Publish, withdraw or re-draft an article."""
    if status not in Article.Status.values:
        raise ValidationError(_("Unknown status."))
    article.status = status
    if status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    set_history_user(article, actor)
    article.save()
    return article


@transaction.atomic
def article_reviewed(*, article: Article, actor, next_review) -> Article:
    """The owner or the PMO confirmed the article is still right; set the next review date."""
    if next_review is None or next_review <= timezone.localdate():
        raise ValidationError({"review_due": _("The next review date is in the future.")})
    article.review_due = next_review
    set_history_user(article, actor)
    article.save()
    return article
