"""Every standards list renders in a number of queries that does not grow with its rows:
each page is counted with a few rows, then again after many more rows were added."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pmo.core.models import Stage
from standards import services
from standards.models import ToolEvaluation
from tests.core.factories import OrgUnitFactory, PersonFactory, ProjectFactory, UserFactory
from tests.standards.factories import (
    ChangeRequestFactory,
    DeliverableFactory,
    ProcessFactory,
    SourceFactory,
    StepFactory,
    SuggestionFactory,
    TemplateFactory,
    ToolCandidateFactory,
    ToolCriterionFactory,
    docx_upload,
    published_methodology,
)

pytestmark = pytest.mark.django_db
SMALL, LARGE = 3, 12
CAP = 45  # no page needs more than this many queries


class World:
    """Rows of every list, added ``n`` at a time."""

    def __init__(self, pmo_user, reviewer_user, project, version):
        self.pmo, self.reviewer, self.project, self.version = (
            pmo_user,
            reviewer_user,
            project,
            version,
        )
        self.counter = itertools.count()
        self.draft = services.methodology_version_create(
            methodology=version.methodology, based_on=version, actor=pmo_user
        )
        services.project_methodology_assign(project=project, version=version, actor=pmo_user)
        self.evaluation = ToolEvaluation.objects.create(title="选型")
        self.evaluation.evaluators.set([pmo_user, reviewer_user])
        self.gate = version.gates.get(code="G1")
        self.process = version.processes.get(code="P-INIT")
        self.tool_criterion = ToolCriterionFactory(evaluation=self.evaluation, weight=100)

    def grow(self, n: int) -> None:
        pmo = self.pmo
        for _i in range(n):
            i = next(self.counter)
            other = published_methodology()
            source = SourceFactory()
            other.sources.add(source)
            template = TemplateFactory()
            services.template_revision_upload(template=template, upload=docx_upload(), actor=pmo)
            # the published version's own content, steps and deliverables with evidence
            StepFactory(process=self.process, name=f"步骤{i}")
            item = DeliverableFactory(
                gate=self.gate, process=self.process, code=f"X{i}", template=template
            )
            services.deliverable_record_submit(
                project=self.project, deliverable=item, link="https://docs.example/x", actor=pmo
            )
            # the draft: processes with steps nobody owns (review findings)
            process = ProcessFactory(phase=self.draft.phases.first(), code=f"DP{i}")
            StepFactory(process=process, responsibility="")
            # projects following the methodology in their own units, with tailoring
            unit = OrgUnitFactory()
            PersonFactory(org_unit=unit, user=UserFactory())
            project = ProjectFactory(
                org_unit=unit,
                project_type=self.version.methodology.project_type,
                stage=Stage.ACTIVE,
            )
            services.project_methodology_assign(project=project, version=self.version, actor=pmo)
            optional = self.version.deliverables.get(code="D1-2")
            services.tailoring_request_submit(
                project=project, deliverables=[optional], reason="理由", actor=pmo
            )
            ChangeRequestFactory(methodology=self.version.methodology, raised_by=pmo)
            SuggestionFactory(submitted_by=self.reviewer)
            ToolEvaluation.objects.create(title=f"选型{i}").evaluators.add(pmo)
            candidate = ToolCandidateFactory(evaluation=self.evaluation)
            for user in (pmo, self.reviewer):
                candidate.scores.create(criterion=self.tool_criterion, evaluator=user, score=7)


PAGES = [
    ("standards:library", lambda w: {}),
    ("standards:source_list", lambda w: {}),
    ("standards:template_list", lambda w: {}),
    ("standards:review", lambda w: {}),
    ("standards:methodology_detail", lambda w: {"pk": w.version.methodology_id}),
    ("standards:version_detail", lambda w: {"pk": w.version.pk}),
    ("standards:version_detail", lambda w: {"pk": w.draft.pk}),
    ("standards:version_diff", lambda w: {"pk": w.draft.pk}),
    ("standards:process_detail", lambda w: {"pk": w.process.pk}),
    ("standards:tailoring_list", lambda w: {}),
    ("standards:compliance", lambda w: {}),
    ("standards:change_list", lambda w: {}),
    ("standards:suggestion_list", lambda w: {}),
    ("standards:tool_list", lambda w: {}),
    ("standards:tool_detail", lambda w: {"pk": w.evaluation.pk}),
    ("standards:adoption", lambda w: {}),
    ("core:project_detail", lambda w: {"pk": w.project.pk}),
]


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(
    ("name", "kwargs"), PAGES, ids=[f"{p[0]}-{i}" for i, p in enumerate(PAGES)]
)
def test_list_pages_have_flat_query_counts(
    client_for, pmo_user, reviewer_user, project, version, name, kwargs
):
    world = World(pmo_user, reviewer_user, project, version)
    world.grow(SMALL)
    client = client_for("pmo")
    url = reverse(name, kwargs=kwargs(world))
    if name == "core:project_detail":
        url += "?tab=standards"
    if name == "standards:tailoring_list":
        url += "?status=pending"
    _count(client, url)  # warm the per-process caches (content types …)
    small = _count(client, url)
    world.grow(LARGE - SMALL)
    large = _count(client, url)
    assert large == small, (name, small, large)
    assert small <= CAP, (name, small)
