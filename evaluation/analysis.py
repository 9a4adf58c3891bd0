"""Reads behind the result pages, charts and reports: a cycle's results and
meta-evaluation, weaknesses (lowest or falling criteria) and the maturity trend.

Each function runs a fixed number of queries whatever the number of projects."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.utils import translation

from evaluation import scoring
from evaluation.models import (
    Appeal,
    CriterionResult,
    Cycle,
    Dimension,
    Evaluation,
    PanelAssignment,
)

DONE_STATUSES = (Cycle.Status.PUBLISHED, Cycle.Status.CLOSED)


def bilingual(name: str, name_en: str) -> str:
    return name_en if name_en and (translation.get_language() or "").startswith("en") else name


@dataclass
class CriterionMean:
    code: str
    dimension_code: str
    label: str
    dimension_label: str
    mean: float  # on 1–5
    previous: float | None = None

    @property
    def change(self) -> float | None:
        return None if self.previous is None else self.mean - self.previous

    @property
    def falling(self) -> bool:
        return self.change is not None and self.change < 0


@dataclass
class CycleResults:
    cycle: Cycle
    evaluations: list[Evaluation]
    grades: list[tuple[str, str, int]]
    by_unit: list[tuple[str, float, int]]
    dimensions: list[tuple[str, str, float | None, float | None]]  # code, label, mean, previous
    criteria: list[CriterionMean]
    mean_score: float | None
    previous: Cycle | None = None
    previous_mean: float | None = None
    previous_grades: dict[str, int] = field(default_factory=dict)

    @property
    def top(self) -> list[CriterionMean]:
        return sorted(self.criteria, key=lambda c: (-c.mean, c.code))[:3]

    @property
    def bottom(self) -> list[CriterionMean]:
        return sorted(self.criteria, key=lambda c: (c.mean, c.code))[:3]

    @property
    def change(self) -> float | None:
        if self.mean_score is None or self.previous_mean is None:
            return None
        return self.mean_score - self.previous_mean


def previous_cycle(cycle: Cycle) -> Cycle | None:
    """The last finished cycle of the same scheme before this one."""
    return (
        Cycle.objects.filter(
            version__scheme_id=cycle.version.scheme_id,
            period_end__lt=cycle.period_end,
            status__in=DONE_STATUSES,
        )
        .order_by("-period_end")
        .first()
    )


def criterion_means(cycle_ids: list[int], evaluations=None) -> dict[int, dict[tuple, dict]]:
    """Mean final score per (dimension code, criterion code), per cycle."""
    rows = CriterionResult.objects.filter(
        evaluation__cycle_id__in=cycle_ids, final_score__isnull=False
    )
    if evaluations is not None:
        rows = rows.filter(evaluation__in=evaluations)
    found: dict[int, dict[tuple, dict]] = {}
    for row in rows.values(
        "evaluation__cycle_id",
        "criterion__code",
        "criterion__name",
        "criterion__name_en",
        "criterion__weight",
        "criterion__dimension__code",
        "criterion__dimension__name",
        "criterion__dimension__name_en",
        "criterion__dimension__weight",
        "criterion__dimension__sort_order",
    ).annotate(mean=Avg("final_score")):
        key = (row["criterion__dimension__code"], row["criterion__code"])
        found.setdefault(row["evaluation__cycle_id"], {})[key] = row
    return found


def dimension_means(rows: dict[tuple, dict]) -> dict[str, tuple[str, float | None, int]]:
    """Weighted mean of the criterion means per dimension (1–5), with label and order."""
    items: dict[str, list] = {}
    meta: dict[str, tuple[str, int]] = {}
    for (dim_code, _code), row in rows.items():
        items.setdefault(dim_code, []).append((float(row["criterion__weight"]), float(row["mean"])))
        meta[dim_code] = (
            bilingual(row["criterion__dimension__name"], row["criterion__dimension__name_en"]),
            row["criterion__dimension__sort_order"],
        )
    return {
        code: (meta[code][0], scoring.weighted_mean(values).value, meta[code][1])
        for code, values in items.items()
    }


def cycle_results(cycle: Cycle) -> CycleResults:
    evaluations = list(
        Evaluation.objects.filter(cycle=cycle)
        .select_related("project", "manager", "org_unit")
        .annotate(
            experts=Count("panel", distinct=True),
            experts_done=Count("panel", filter=Q(panel__submitted_at__isnull=False), distinct=True),
            flags=Count(
                "results",
                filter=Q(results__flagged=True, results__calibrated_score__isnull=True),
                distinct=True,
            ),
        )
        .order_by("project__code")
    )
    appeals = dict(
        Appeal.objects.filter(evaluation__cycle=cycle).values_list("evaluation_id", "status")
    )
    appeal_labels = dict(Appeal.Status.choices)
    for evaluation in evaluations:
        status = appeals.get(evaluation.pk)
        evaluation.appeal_status = status
        evaluation.appeal_label = appeal_labels.get(status, "")
    bands = list(cycle.version.bands.all())
    scored = [e for e in evaluations if e.score is not None]
    counts = {b.code: 0 for b in bands}
    for e in scored:
        counts[e.grade] = counts.get(e.grade, 0) + 1
    grades = [(b.code, b.label, counts.get(b.code, 0)) for b in bands]
    units: dict[str, list[float]] = {}
    for e in scored:
        units.setdefault(e.org_unit.label, []).append(float(e.score))
    by_unit = sorted(
        ((label, sum(v) / len(v), len(v)) for label, v in units.items()), key=lambda r: r[0]
    )
    previous = previous_cycle(cycle)
    means = criterion_means([cycle.pk] + ([previous.pk] if previous else []))
    now, before = means.get(cycle.pk, {}), means.get(previous.pk, {}) if previous else {}
    criteria = [
        CriterionMean(
            code=key[1],
            dimension_code=key[0],
            label=bilingual(row["criterion__name"], row["criterion__name_en"]),
            dimension_label=bilingual(
                row["criterion__dimension__name"], row["criterion__dimension__name_en"]
            ),
            mean=float(row["mean"]),
            previous=float(before[key]["mean"]) if key in before else None,
        )
        for key, row in now.items()
    ]
    dims_now, dims_before = dimension_means(now), dimension_means(before)
    dimensions = [
        (code, label, value, dims_before.get(code, (None, None, None))[1])
        for code, (label, value, _order) in sorted(dims_now.items(), key=lambda i: i[1][2])
    ]
    result = CycleResults(
        cycle=cycle,
        evaluations=evaluations,
        grades=grades,
        by_unit=by_unit,
        dimensions=dimensions,
        criteria=criteria,
        mean_score=sum(float(e.score) for e in scored) / len(scored) if scored else None,
        previous=previous,
    )
    if previous is not None:
        before_scores = list(
            Evaluation.objects.filter(cycle=previous, score__isnull=False).values_list(
                "score", "grade"
            )
        )
        if before_scores:
            result.previous_mean = sum(float(s) for s, _g in before_scores) / len(before_scores)
        for _s, grade in before_scores:
            result.previous_grades[grade] = result.previous_grades.get(grade, 0) + 1
    return result


@dataclass
class MetaEvaluation:
    """Was the process followed and effective (评估过程是否规范有效)?"""

    evaluations: int
    self_due: int
    self_on_time: int
    self_late: int
    panel_seats: int
    scores_on_time: int
    scores_late: int
    appeals: int
    appeals_upheld: int
    appeals_pending: int
    multi_scored: int
    consistent: float | None
    flagged: int
    calibrated: int
    finalised: int

    @property
    def self_rate(self) -> float | None:
        return 100.0 * self.self_on_time / self.self_due if self.self_due else None

    @property
    def scores_rate(self) -> float | None:
        return 100.0 * self.scores_on_time / self.panel_seats if self.panel_seats else None

    @property
    def appeal_rate(self) -> float | None:
        return 100.0 * self.appeals / self.evaluations if self.evaluations else None


def meta_evaluation(cycle: Cycle) -> MetaEvaluation:
    evaluations = Evaluation.objects.filter(cycle=cycle)
    self_stats = evaluations.aggregate(
        n=Count("pk"),
        on_time=Count("pk", filter=Q(self_submitted_at__date__lte=cycle.self_assessment_due)),
        late=Count("pk", filter=Q(self_submitted_at__date__gt=cycle.self_assessment_due)),
        finalised=Count(
            "pk", filter=Q(status__in=(Evaluation.Status.FINALISED, Evaluation.Status.PUBLISHED))
        ),
    )
    panel = PanelAssignment.objects.filter(evaluation__cycle=cycle).aggregate(
        n=Count("pk"),
        on_time=Count("pk", filter=Q(submitted_at__date__lte=cycle.review_due)),
        late=Count("pk", filter=Q(submitted_at__date__gt=cycle.review_due)),
    )
    appeals = Appeal.objects.filter(evaluation__cycle=cycle).aggregate(
        n=Count("pk"),
        upheld=Count("pk", filter=Q(status=Appeal.Status.UPHELD)),
        pending=Count("pk", filter=Q(status=Appeal.Status.PENDING)),
    )
    results = CriterionResult.objects.filter(evaluation__cycle=cycle)
    spreads = list(results.filter(spread__isnull=False).values_list("spread", flat=True))
    flags = results.aggregate(
        flagged=Count("pk", filter=Q(flagged=True)),
        calibrated=Count("pk", filter=Q(calibrated_score__isnull=False)),
    )
    return MetaEvaluation(
        evaluations=self_stats["n"],
        self_due=self_stats["n"] if cycle.version.self_assessment else 0,
        self_on_time=self_stats["on_time"],
        self_late=self_stats["late"],
        panel_seats=panel["n"],
        scores_on_time=panel["on_time"],
        scores_late=panel["late"],
        appeals=appeals["n"],
        appeals_upheld=appeals["upheld"],
        appeals_pending=appeals["pending"],
        multi_scored=len(spreads),
        consistent=scoring.consistency(spreads, float(cycle.version.disagreement_threshold)),
        flagged=flags["flagged"],
        calibrated=flags["calibrated"],
        finalised=self_stats["finalised"],
    )


def finished_cycles(scheme_id: int | None = None) -> list[Cycle]:
    cycles = Cycle.objects.filter(status__in=DONE_STATUSES).select_related("version__scheme")
    if scheme_id:
        cycles = cycles.filter(version__scheme_id=scheme_id)
    return list(cycles.order_by("period_end"))


@dataclass
class Weakness:
    cycles: list[Cycle]
    scheme_id: int | None
    criteria: list[CriterionMean]  # the latest cycle, lowest first
    by_group: list[tuple[str, dict[str, float | None]]]  # unit or type → dimension → mean
    dimension_labels: dict[str, str]

    @property
    def falling(self) -> list[CriterionMean]:
        return sorted((c for c in self.criteria if c.falling), key=lambda c: c.change)


def weakness(
    *, scheme_id: int | None, unit=None, project_type_id=None, group_by: str = "unit"
) -> Weakness:
    """The criteria with the lowest or falling mean score in the latest finished cycle of
    a scheme (against the one before), and dimension means by unit or project type."""
    cycles = finished_cycles(scheme_id)
    if scheme_id is None and cycles:
        scheme_id = cycles[-1].version.scheme_id
        cycles = [c for c in cycles if c.version.scheme_id == scheme_id]
    if not cycles:
        return Weakness([], scheme_id, [], [], {})
    evaluations = Evaluation.objects.filter(cycle__in=cycles)
    if unit is not None:
        evaluations = evaluations.filter(org_unit__path__startswith=unit.path)
    if project_type_id:
        evaluations = evaluations.filter(project__project_type_id=project_type_id)
    latest, before = cycles[-1], (cycles[-2] if len(cycles) > 1 else None)
    means = criterion_means([c.pk for c in cycles[-2:]], evaluations)
    now, prev = means.get(latest.pk, {}), means.get(before.pk, {}) if before else {}
    criteria = sorted(
        (
            CriterionMean(
                code=key[1],
                dimension_code=key[0],
                label=bilingual(row["criterion__name"], row["criterion__name_en"]),
                dimension_label=bilingual(
                    row["criterion__dimension__name"], row["criterion__dimension__name_en"]
                ),
                mean=float(row["mean"]),
                previous=float(prev[key]["mean"]) if key in prev else None,
            )
            for key, row in now.items()
        ),
        key=lambda c: (c.mean, c.code),
    )
    group_field = (
        ("evaluation__org_unit__name", "evaluation__org_unit__name_en")
        if group_by == "unit"
        else (
            "evaluation__project__project_type__name",
            "evaluation__project__project_type__name_en",
        )
    )
    groups: dict[str, dict[str, list]] = {}
    labels: dict[str, str] = {}
    for row in (
        CriterionResult.objects.filter(
            evaluation__in=evaluations.filter(cycle=latest), final_score__isnull=False
        )
        .values(
            *group_field,
            "criterion__dimension__code",
            "criterion__dimension__name",
            "criterion__dimension__name_en",
        )
        .annotate(mean=Avg("final_score"))
    ):
        group = bilingual(row[group_field[0]] or "—", row[group_field[1]] or "")
        code = row["criterion__dimension__code"]
        labels[code] = bilingual(
            row["criterion__dimension__name"], row["criterion__dimension__name_en"]
        )
        groups.setdefault(group, {})[code] = float(row["mean"])
    return Weakness(
        cycles=cycles,
        scheme_id=scheme_id,
        criteria=criteria,
        by_group=sorted(groups.items()),
        dimension_labels=labels,
    )


@dataclass
class Trend:
    cycles: list[Cycle]
    series: dict[str, list[float | None]]  # dimension label → mean per cycle (1–5)


def maturity_trend(*, scheme_id: int | None) -> Trend:
    """The mean level of each dimension (a P3M3 perspective) per finished cycle."""
    cycles = finished_cycles(scheme_id)
    if not cycles:
        return Trend([], {})
    means = criterion_means([c.pk for c in cycles])
    per_cycle = {c.pk: dimension_means(means.get(c.pk, {})) for c in cycles}
    order: dict[str, tuple[int, str]] = {}
    for dims in per_cycle.values():
        for code, (label, _value, sort) in dims.items():
            order[code] = (sort, label)
    series = {
        label: [per_cycle[c.pk].get(code, (None, None, None))[1] for c in cycles]
        for code, (_sort, label) in sorted(order.items(), key=lambda i: i[1])
    }
    return Trend(cycles, series)


def schemes_with_cycles():
    from evaluation.models import Scheme

    return (
        Scheme.objects.filter(versions__cycles__status__in=DONE_STATUSES)
        .distinct()
        .order_by("code")
    )


def dimension_scores(evaluation: Evaluation) -> list[tuple[Dimension, float | None, list]]:
    """Each dimension of an evaluation with its score (1–5) and its criterion results."""
    rows = list(
        evaluation.results.select_related("criterion", "criterion__dimension").order_by(
            "criterion__dimension__sort_order",
            "criterion__dimension_id",
            "criterion__sort_order",
            "criterion_id",
        )
    )
    grouped: dict[int, tuple[Dimension, list]] = {}
    for row in rows:
        dimension = row.criterion.dimension
        grouped.setdefault(dimension.pk, (dimension, []))[1].append(row)
    return [
        (
            dimension,
            scoring.weighted_mean(
                (
                    float(r.criterion.weight),
                    float(r.final_score) if r.final_score is not None else None,
                )
                for r in items
            ).value,
            items,
        )
        for dimension, items in grouped.values()
    ]
