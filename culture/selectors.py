"""Reads behind the culture pages: campaign coverage, sharing frequency, the
lifecycle view of ideas, survey results that identify nobody, participation."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from culture import measures
from culture.models import (
    Attendance,
    CampaignRecipient,
    Idea,
    IdeaPractice,
    ImprovementIdea,
    ImprovementVote,
    Phase,
    SharingSession,
    Survey,
    SurveyAnswer,
    SurveyParticipation,
    SurveyQuestion,
)
from pmo.core.models import OrgUnit, Person


def quarters(today: dt.date, n: int) -> list[tuple[str, dt.date, dt.date]]:
    """The last ``n`` calendar quarters up to today's, oldest first: (label, start, end)."""
    q = (today.month - 1) // 3
    year = today.year
    rows = []
    for _i in range(n):
        start = dt.date(year, 3 * q + 1, 1)
        end_month = 3 * q + 3
        end = (
            dt.date(year + 1, 1, 1) if end_month == 12 else dt.date(year, end_month + 1, 1)
        ) - dt.timedelta(days=1)
        rows.append((f"{year} Q{q + 1}", start, end))
        q -= 1
        if q < 0:
            q, year = 3, year - 1
    return list(reversed(rows))


def twelve_months(today: dt.date) -> dt.date:
    """The first day of the twelve calendar months that end with today's month."""
    month = today.month - 11
    year = today.year + (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1)


def units_by_id(ids) -> dict[int, OrgUnit]:
    return {u.pk: u for u in OrgUnit.objects.filter(pk__in=set(ids))}


# --- campaigns ----------------------------------------------------------------------


@dataclass
class CoverageRow:
    unit: OrgUnit | None
    recipients: int
    read: int
    acknowledged: int
    correct: int
    quizzed: int

    @property
    def read_rate(self):
        return measures.rate(self.read, self.recipients)

    @property
    def ack_rate(self):
        return measures.rate(self.acknowledged, self.recipients)

    @property
    def quiz_rate(self):
        return measures.rate(self.correct, self.quizzed)


def campaign_coverage(campaign_ids) -> tuple[list[CoverageRow], CoverageRow]:
    """Per org unit: addressees, how many read, acknowledged and passed the quiz."""
    rows = (
        CampaignRecipient.objects.filter(campaign_id__in=list(campaign_ids))
        .values("org_unit")
        .annotate(
            n=Count("pk"),
            read=Count("pk", filter=Q(read_at__isnull=False)),
            ack=Count("pk", filter=Q(acknowledged_at__isnull=False)),
            correct=Count("pk", filter=Q(quiz_correct=True)),
            quizzed=Count("pk", filter=Q(quiz_correct__isnull=False)),
        )
    )
    units = units_by_id(r["org_unit"] for r in rows)
    result = [
        CoverageRow(units[r["org_unit"]], r["n"], r["read"], r["ack"], r["correct"], r["quizzed"])
        for r in rows
    ]
    result.sort(key=lambda r: r.unit.path)
    total = CoverageRow(
        None,
        sum(r.recipients for r in result),
        sum(r.read for r in result),
        sum(r.acknowledged for r in result),
        sum(r.correct for r in result),
        sum(r.quizzed for r in result),
    )
    return result, total


# --- ideas in practice --------------------------------------------------------------


def lifecycle_matrix(ideas) -> tuple[list[dict], list[tuple[str, str]]]:
    """For each idea, how many practices it has in each lifecycle phase."""
    counts = defaultdict(dict)
    for row in (
        IdeaPractice.objects.filter(idea__in=ideas)
        .values("idea_id", "phase")
        .annotate(n=Count("pk"))
    ):
        counts[row["idea_id"]][row["phase"]] = row["n"]
    phases = list(Phase.choices)
    rows = []
    for idea in ideas:
        cells = [counts[idea.pk].get(code, 0) for code, _label in phases]
        rows.append(
            {
                "idea": idea,
                "cells": cells,
                "covered": sum(1 for c in cells if c),
                "complete": all(cells),
            }
        )
    return rows, phases


# --- sharing ------------------------------------------------------------------------


@dataclass
class SharingRow:
    unit: OrgUnit
    sessions: int = 0
    attendees: int = 0
    months_with_session: int = 0
    months: int = 1
    people: int = 0

    @property
    def per_month(self) -> float:
        return round(self.sessions / self.months, 2) if self.months else 0

    @property
    def regularity(self):
        """Share of months with at least one session: 100% = sharing every month."""
        return measures.rate(self.months_with_session, self.months)

    @property
    def attendance_per_person(self) -> float:
        return round(self.attendees / self.people, 2) if self.people else 0


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _division_of(unit: OrgUnit, divisions: dict[int, OrgUnit]) -> OrgUnit:
    """The unit's ancestor at depth 1 (a division), or the unit itself at the top."""
    parts = [int(p) for p in unit.path.strip("/").split("/") if p]
    for pk in parts:
        if pk in divisions:
            return divisions[pk]
    return unit


def sharing_by_unit(start: dt.date, end: dt.date) -> list[SharingRow]:
    """Sessions held, their attendance and the months with sharing, per division."""
    divisions = {u.pk: u for u in OrgUnit.objects.filter(depth=1, is_active=True)}
    rows = {pk: SharingRow(unit=u) for pk, u in divisions.items()}
    months = _months_between(start, end)
    seen_months = defaultdict(set)
    held = (
        SharingSession.objects.held()
        .filter(starts_at__date__gte=start, starts_at__date__lte=end)
        .select_related("org_unit")
        .annotate(n=Count("attendances", filter=Q(attendances__attended=True)))
    )
    for session in held:
        division = _division_of(session.org_unit, divisions)
        row = rows.setdefault(division.pk, SharingRow(unit=division))
        row.sessions += 1
        row.attendees += session.n
        seen_months[division.pk].add((session.starts_at.year, session.starts_at.month))
    people = Person.objects.filter(is_active=True).values_list("org_unit__path", flat=True)
    for path in people:
        for pk in (int(p) for p in path.strip("/").split("/") if p):
            if pk in rows:
                rows[pk].people += 1
                break
    for pk, row in rows.items():
        row.months = months
        row.months_with_session = len(seen_months[pk])
    return sorted(rows.values(), key=lambda r: r.unit.path)


def sharing_per_quarter(today: dt.date, n: int = 4) -> list[tuple[str, int, int]]:
    """(quarter, sessions held, attendances) for the last ``n`` quarters."""
    result = []
    periods = quarters(today, n)
    data = (
        SharingSession.objects.held()
        .filter(starts_at__date__gte=periods[0][1], starts_at__date__lte=periods[-1][2])
        .annotate(n=Count("attendances", filter=Q(attendances__attended=True)))
        .values_list("starts_at", "n")
    )
    data = list(data)
    for label, start, end in periods:
        inside = [n for when, n in data if start <= when.date() <= end]
        result.append((label, len(inside), sum(inside)))
    return result


# --- surveys ------------------------------------------------------------------------


@dataclass
class RoundResult:
    survey_round: object
    respondents: int
    audience: int
    overall: dict = field(default_factory=dict)
    groups: list = field(default_factory=list)

    @property
    def response_rate(self):
        return measures.rate(self.respondents, self.audience)

    @property
    def overall_mean(self):
        return measures.mean(self.overall.values())


OTHER = "other"


def survey_results(survey: Survey, audience_size: int) -> tuple[list, list[RoundResult]]:
    """Per round: respondents, mean per scale question, and means per org unit only for
    units with at least the survey's minimum group size (the others pooled)."""
    questions = [q for q in survey.questions.all() if q.kind == SurveyQuestion.Kind.SCALE]
    rounds = list(survey.rounds.order_by("opens_on"))
    answers = SurveyAnswer.objects.filter(
        response__round__survey=survey, question__kind=SurveyQuestion.Kind.SCALE
    ).values_list(
        "response__round_id", "response_id", "response__org_unit_id", "question_id", "value"
    )
    by_round = defaultdict(lambda: defaultdict(dict))  # round → response → {q: v}
    unit_of = {}
    for round_id, response_id, unit_id, question_id, value in answers:
        by_round[round_id][response_id][question_id] = value
        unit_of[response_id] = unit_id
    participation = dict(
        SurveyParticipation.objects.filter(round__survey=survey)
        .values_list("round_id")
        .annotate(n=Count("pk"))
        .values_list("round_id", "n")
    )
    units = units_by_id(unit_of.values())
    results = []
    for survey_round in rounds:
        responses = by_round.get(survey_round.pk, {})
        groups = defaultdict(list)
        for response_id, values in responses.items():
            groups[unit_of[response_id]].append(values)
        grouped = measures.group_results(groups, survey.min_group_size, OTHER)
        overall = (
            measures.group_results({"all": list(responses.values())}, survey.min_group_size, OTHER)
            if responses
            else []
        )
        shown_overall = overall[0].means if overall and not overall[0].suppressed else {}
        for g in grouped:
            g.unit = units.get(g.key) if g.key != OTHER else None
        results.append(
            RoundResult(
                survey_round,
                participation.get(survey_round.pk, 0),
                audience_size,
                shown_overall,
                sorted(grouped, key=lambda g: (g.key == OTHER, getattr(g.unit, "path", ""))),
            )
        )
    return questions, results


def survey_trend(today: dt.date, n: int = 4) -> list[tuple[str, float | None]]:
    """Mean of every scale answer per quarter across all surveys (company level)."""
    periods = quarters(today, n)
    values = SurveyAnswer.objects.filter(
        value__isnull=False,
        response__answered_on__gte=periods[0][1],
        response__answered_on__lte=periods[-1][2],
    ).values_list("response__answered_on", "value")
    values = list(values)
    rows = []
    for label, start, end in periods:
        inside = [v for day, v in values if start <= day <= end]
        rows.append((label, measures.mean(inside) if len(inside) >= 3 else None))
    return rows


# --- participation ------------------------------------------------------------------


def participants(start: dt.date, end: dt.date) -> set[int]:
    """People who took part in the culture work in the period: acknowledged a
    campaign, attended a session, answered a survey round, proposed or voted."""
    ids: set[int] = set()
    ids |= set(
        CampaignRecipient.objects.filter(
            acknowledged_at__date__gte=start, acknowledged_at__date__lte=end
        ).values_list("person_id", flat=True)
    )
    ids |= set(
        Attendance.objects.filter(
            attended=True, session__starts_at__date__gte=start, session__starts_at__date__lte=end
        ).values_list("person_id", flat=True)
    )
    ids |= set(
        SurveyParticipation.objects.filter(
            round__opens_on__lte=end, round__closes_on__gte=start
        ).values_list("person_id", flat=True)
    )
    ids |= set(
        ImprovementIdea.objects.filter(
            submitted_at__date__gte=start, submitted_at__date__lte=end
        ).values_list("submitted_by_id", flat=True)
    )
    ids |= set(
        ImprovementVote.objects.filter(
            voted_at__date__gte=start, voted_at__date__lte=end
        ).values_list("person_id", flat=True)
    )
    return ids


@dataclass
class UnitRate:
    unit: OrgUnit
    people: int = 0
    count: int = 0
    value: float = 0.0

    @property
    def rate(self):
        return measures.rate(self.count, self.people)

    @property
    def per_person(self) -> float:
        return round(self.value / self.people, 1) if self.people else 0.0


def per_division(person_ids: set[int], values: dict[int, float] | None = None) -> list[UnitRate]:
    """Active people per division, how many of them are in ``person_ids`` and the sum of
    ``values`` over them."""
    divisions = {u.pk: UnitRate(u) for u in OrgUnit.objects.filter(depth=1, is_active=True)}
    values = values or {}
    for pid, path in Person.objects.filter(is_active=True).values_list("pk", "org_unit__path"):
        for pk in (int(p) for p in path.strip("/").split("/") if p):
            if pk in divisions:
                row = divisions[pk]
                row.people += 1
                row.count += pid in person_ids
                row.value += float(values.get(pid, 0))
                break
    return sorted(divisions.values(), key=lambda r: r.unit.path)


def idea_overview():
    """Ideas with how many campaigns and practices each has."""
    return Idea.objects.select_related("owner").annotate(
        campaign_count=Count("campaigns", distinct=True),
        practice_count=Count("practices", distinct=True),
    )


def leadership_activity(start: dt.date, end: dt.date) -> dict:
    """What unit heads and executives do for the culture: sessions they gave, campaigns
    acknowledged, and the campaigns the PMO launched in the period."""
    heads = set(OrgUnit.objects.filter(head__isnull=False).values_list("head_id", flat=True))
    talks = SharingSession.objects.held().filter(
        speaker_id__in=heads, starts_at__date__gte=start, starts_at__date__lte=end
    )
    acknowledged = CampaignRecipient.objects.filter(person_id__in=heads)
    return {
        "heads": len(heads),
        "talks_by_heads": talks.count(),
        "heads_speaking": talks.values("speaker_id").distinct().count(),
        "head_ack_rate": measures.rate(
            acknowledged.filter(acknowledged_at__isnull=False).count(), acknowledged.count()
        ),
    }
