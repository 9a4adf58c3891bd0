"""Writes of the evaluation system: schemes, versions, dimensions, criteria, bands."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation import scoring
from evaluation.models import Criterion, Dimension, GradeBand, Scheme, SchemeVersion
from evaluation.services.common import require_pmo, save, user_or_none
from pmo.core.registry import registry

VERSION_FIELDS = (
    "scope_unit",
    "scope_project_type",
    "scope_classifications",
    "scope_stages",
    "aggregation",
    "trim_percent",
    "disagreement_threshold",
    "panel_size",
    "exclude_same_unit",
    "self_assessment",
    "appeal_days",
    "organisation",
    "change_note",
)
DEFAULT_STAGES = ["active", "closing", "closed"]


def _draft(version: SchemeVersion) -> None:
    if not version.is_draft:
        raise ValidationError(_("A published version is frozen; start a new version to change it."))


@transaction.atomic
def scheme_create(
    *,
    code: str,
    name: str,
    name_en: str = "",
    kind: str = Scheme.Kind.PERFORMANCE,
    description: str = "",
    actor,
    preset: str = "",
) -> Scheme:
    """A new scheme with an empty draft version 1."""
    require_pmo(actor)
    scheme = save(
        Scheme(
            code=code.strip(),
            name=name.strip(),
            name_en=name_en.strip(),
            kind=kind,
            description=description.strip(),
            preset=preset,
        ),
        actor,
    )
    save(
        SchemeVersion(
            scheme=scheme,
            number=1,
            scope_stages=list(DEFAULT_STAGES),
            created_by=user_or_none(actor),
        ),
        actor,
    )
    return scheme


@transaction.atomic
def version_update(*, version: SchemeVersion, actor, **fields) -> SchemeVersion:
    """Change the scope, method, organisation or process of a draft version."""
    require_pmo(actor)
    _draft(version)
    for name, value in fields.items():
        if name not in VERSION_FIELDS:
            raise ValueError(f"not a version field: {name}")
        setattr(version, name, value)
    if version.aggregation == SchemeVersion.Aggregation.MEAN:
        version.trim_percent = version.trim_percent or 0
    return save(version, actor)


@transaction.atomic
def dimension_save(
    *,
    version: SchemeVersion,
    actor,
    dimension: Dimension | None = None,
    code: str,
    name: str,
    name_en: str = "",
    weight,
    description: str = "",
    sort_order: int = 0,
) -> Dimension:
    require_pmo(actor)
    _draft(version)
    dimension = dimension or Dimension(version=version)
    dimension.code, dimension.name, dimension.name_en = code.strip(), name.strip(), name_en.strip()
    dimension.weight, dimension.description, dimension.sort_order = weight, description, sort_order
    return save(dimension, actor)


@transaction.atomic
def dimension_delete(*, dimension: Dimension, actor) -> None:
    require_pmo(actor)
    _draft(dimension.version)
    dimension.delete()


def _check_metric(method: str, metric_key: str, value_at_1, value_at_5) -> None:
    if method != Criterion.Method.COMPUTED:
        return
    errors = {}
    if metric_key not in registry.metrics:
        errors["metric_key"] = _("Choose the metric this criterion is computed from.")
    if value_at_1 is None or value_at_5 is None:
        errors["value_at_5"] = _("Give the metric values that score 1 and 5.")
    elif value_at_1 == value_at_5:
        errors["value_at_5"] = _("The values that score 1 and 5 must differ.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def criterion_save(
    *,
    dimension: Dimension,
    actor,
    criterion: Criterion | None = None,
    code: str,
    name: str,
    name_en: str = "",
    weight,
    method: str = Criterion.Method.SCORED,
    metric_key: str = "",
    value_at_1=None,
    value_at_5=None,
    rubric_1: str = "",
    rubric_3: str = "",
    rubric_5: str = "",
    sort_order: int = 0,
) -> Criterion:
    require_pmo(actor)
    _draft(dimension.version)
    _check_metric(method, metric_key, value_at_1, value_at_5)
    criterion = criterion or Criterion(dimension=dimension)
    criterion.dimension = dimension
    criterion.code, criterion.name, criterion.name_en = code.strip(), name.strip(), name_en.strip()
    criterion.weight, criterion.method, criterion.sort_order = weight, method, sort_order
    computed = method == Criterion.Method.COMPUTED
    criterion.metric_key = metric_key if computed else ""
    criterion.value_at_1 = value_at_1 if computed else None
    criterion.value_at_5 = value_at_5 if computed else None
    criterion.rubric_1, criterion.rubric_3, criterion.rubric_5 = rubric_1, rubric_3, rubric_5
    return save(criterion, actor)


@transaction.atomic
def criterion_delete(*, criterion: Criterion, actor) -> None:
    require_pmo(actor)
    _draft(criterion.dimension.version)
    criterion.delete()


@transaction.atomic
def band_save(
    *,
    version: SchemeVersion,
    actor,
    band: GradeBand | None = None,
    code: str,
    name: str,
    name_en: str = "",
    min_score,
) -> GradeBand:
    require_pmo(actor)
    _draft(version)
    band = band or GradeBand(version=version)
    band.code, band.name, band.name_en, band.min_score = (
        code.strip(),
        name.strip(),
        name_en.strip(),
        min_score,
    )
    return save(band, actor)


@transaction.atomic
def band_delete(*, band: GradeBand, actor) -> None:
    require_pmo(actor)
    _draft(band.version)
    band.delete()


def version_problems(version: SchemeVersion) -> list[str]:
    """What stops a version from being published, in words."""
    problems = []
    dimensions = list(version.dimensions.prefetch_related("criteria"))
    if not dimensions:
        problems.append(_("The version has no dimension."))
    elif not scoring.weights_ok([d.weight for d in dimensions]):
        total = sum(float(d.weight) for d in dimensions)
        problems.append(
            _("The dimension weights add up to %(total)s%%, not 100%%.") % {"total": f"{total:g}"}
        )
    for dimension in dimensions:
        criteria = list(dimension.criteria.all())
        if not criteria:
            problems.append(_("Dimension %(name)s has no criterion.") % {"name": dimension.label})
        elif not scoring.weights_ok([c.weight for c in criteria]):
            total = sum(float(c.weight) for c in criteria)
            problems.append(
                _("The criteria of %(name)s add up to %(total)s%%, not 100%%.")
                % {"name": dimension.label, "total": f"{total:g}"}
            )
        for criterion in criteria:
            if criterion.is_computed and criterion.metric_key not in registry.metrics:
                problems.append(
                    _("Criterion %(name)s uses an unknown metric.") % {"name": criterion.label}
                )
    bounds = [b.min_score for b in version.bands.all()]
    if not bounds:
        problems.append(_("The version has no grade band."))
    elif min(bounds) != 0:
        problems.append(_("The lowest grade band must start at score 0."))
    if version.panel_size < 1:
        problems.append(_("A panel needs at least one expert."))
    return problems


@transaction.atomic
def version_publish(*, version: SchemeVersion, actor) -> SchemeVersion:
    """Freeze a complete draft so that cycles may use it."""
    require_pmo(actor)
    _draft(version)
    problems = version_problems(version)
    if problems:
        raise ValidationError(problems)
    version.status = SchemeVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    return save(version, actor)


@transaction.atomic
def version_copy(*, version: SchemeVersion, actor, change_note: str = "") -> SchemeVersion:
    """A new draft with the content of ``version`` (the next number of its scheme)."""
    require_pmo(actor)
    number = (version.scheme.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    copy = SchemeVersion(
        scheme=version.scheme,
        number=number,
        based_on=version,
        change_note=change_note,
        created_by=user_or_none(actor),
        **{name: getattr(version, name) for name in VERSION_FIELDS if name != "change_note"},
    )
    save(copy, actor)
    for dimension in version.dimensions.prefetch_related("criteria"):
        criteria = list(dimension.criteria.all())
        dimension.pk, dimension.id, dimension.version = None, None, copy
        dimension._state.adding = True
        dimension.save()
        for criterion in criteria:
            criterion.pk, criterion.id, criterion.dimension = None, None, dimension
            criterion._state.adding = True
            criterion.save()
    for band in version.bands.all():
        band.pk, band.id, band.version = None, None, copy
        band._state.adding = True
        band.save()
    return copy
