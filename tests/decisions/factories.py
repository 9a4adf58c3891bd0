"""Factories of the decisions model: studies are made through the services, as users do."""

from __future__ import annotations

from decimal import Decimal

import factory

from decisions.models import (
    Alternative,
    ReadinessQuestion,
    Review,
    Risk,
    SocialCriterion,
    Study,
)
from decisions.services import appraisal, reviews, studies
from decisions.services.appraisal import FlowRow
from pmo.core.models import Stage
from tests.core.factories import PersonFactory, ProjectFactory

# Net -4.0M, 0, then 2.0M a year: NPV at 8 % = 2 133 568.22, IRR 22.8 %, payback 3 years.
PROPOSAL_FLOWS = [
    FlowRow(0, Decimal("4000000"), Decimal(0), Decimal(0)),
    FlowRow(1, Decimal("1000000"), Decimal("500000"), Decimal("1500000")),
    FlowRow(2, Decimal(0), Decimal("600000"), Decimal("2600000")),
    FlowRow(3, Decimal(0), Decimal("600000"), Decimal("2600000")),
    FlowRow(4, Decimal(0), Decimal("600000"), Decimal("2600000")),
    FlowRow(5, Decimal(0), Decimal("600000"), Decimal("2600000")),
]
DO_NOTHING_FLOWS = [FlowRow(y, Decimal(0), Decimal(0), Decimal(-200000) * y) for y in range(6)]


class SocialCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialCriterion
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"social{n}")
    name = factory.Sequence(lambda n: f"社会效益{n}")
    name_en = factory.Sequence(lambda n: f"Social benefit {n}")
    weight = Decimal("10")


class StudyFactory(factory.django.DjangoModelFactory):
    """A draft study (v1) of a proposed project, made by ``study_create``."""

    class Meta:
        model = Study

    project = factory.SubFactory(ProjectFactory, stage=Stage.PROPOSED)

    @classmethod
    def _create(cls, model_class, project, actor=None, **kwargs):
        return studies.study_create(project=project, actor=actor)


def proposal_of(study: Study) -> Alternative:
    return study.alternatives.get(kind=Alternative.Kind.PROPOSAL)


def complete(study: Study, actor=None, *, alternatives: int = 1) -> Study:
    """Give a draft the cash flows, alternatives, scores and a risk it needs to be submitted."""
    appraisal.cash_flows_save(alternative=proposal_of(study), rows=PROPOSAL_FLOWS, actor=actor)
    names = ["维持现状", "外包方案", "分期建设"]
    for i in range(alternatives):
        alternative = appraisal.alternative_save(
            study=study,
            actor=actor,
            name=names[i],
            kind=Alternative.Kind.DO_NOTHING if i == 0 else Alternative.Kind.OTHER,
            strengths="无投入" if i == 0 else "投入较小",
            weaknesses="收益流失" if i == 0 else "可控性差",
        )
        appraisal.cash_flows_save(alternative=alternative, rows=DO_NOTHING_FLOWS, actor=actor)
    criteria = list(study.criteria.all())
    scores = {}
    for rank, alternative in enumerate(study.alternatives.all()):
        for k, criterion in enumerate(criteria):
            scores[(alternative.pk, criterion.pk)] = Decimal(max(1, 9 - 3 * rank - k % 2))
    appraisal.criterion_scores_set(study=study, scores=scores, actor=actor)
    studies.risk_save(
        alternative=proposal_of(study),
        actor=actor,
        title="关键供应商交付延迟",
        probability=4,
        impact=4,
        strategy=Risk.Response.MITIGATE,
        response="签订交付违约条款并备选第二供应商",
    )
    study.refresh_from_db()
    return study


def submitted(study: Study, actor) -> Study:
    studies.study_submit(study=study, actor=actor)
    study.refresh_from_db()
    return study


def in_review(study: Study, pmo_actor, *reviewers) -> list[Review]:
    """Assign reviewers (the study moves into review, the project under review)."""
    assigned = [
        reviews.review_assign(study=study, reviewer=person, actor=pmo_actor)
        for person in (reviewers or [PersonFactory()])
    ]
    study.refresh_from_db()
    return assigned


def submit_review(review: Review, actor, score: int = 7, recommendation: str = "invest") -> Review:
    criteria = list(review.study.criteria.all())
    return reviews.review_save(
        review=review,
        actor=actor,
        scores={c.pk: (score, "") for c in criteria},
        verdicts={q.value: ("yes", "") for q in ReadinessQuestion},
        recommendation=recommendation,
        comment="方案可行，建议投资。",
        submit=True,
    )
