"""A delivery gate linked to the gate of the project's methodology: the required
deliverables show on the gate page, and a plain pass waits until they are present."""

import pytest
from django.core.exceptions import ValidationError

from delivery.forms import GateForm
from delivery.models import Gate
from delivery.services import gates
from standards import services as standards
from tests.delivery.factories import planned_project
from tests.standards.factories import pdf_upload, published_methodology

pytestmark = pytest.mark.django_db


@pytest.fixture
def follows(project, pmo_user):
    """The project follows a published methodology of its type (G1 requires D1-0, D1-1
    and the optional D1-2; G2 requires D2-0)."""
    version = published_methodology(project.project_type)
    standards.project_methodology_assign(project=project, version=version, actor=pmo_user)
    return version


@pytest.fixture
def gate(project, pm_user, reviewer_user, follows):
    planned_project(project)
    gate = Gate.objects.get(project=project)
    return gates.gate_save(
        project=project,
        actor=pm_user,
        gate=gate,
        criteria=["立项文件齐全"],
        reviewers=[reviewer_user.person],
        standard_gate=follows.gates.get(code="G1"),
    )


def test_only_a_gate_of_the_followed_methodology_can_be_linked(project, pm_user, follows):
    planned_project(project)
    gate = Gate.objects.get(project=project)
    other = published_methodology().gates.get(code="G1")
    with pytest.raises(ValidationError) as error:
        gates.gate_save(project=project, actor=pm_user, gate=gate, standard_gate=other)
    assert "standard_gate" in error.value.message_dict
    gate.refresh_from_db()
    assert gate.standard_gate is None
    form = GateForm(instance=gate, project=project)
    assert set(form.fields["standard_gate"].queryset) == set(follows.gates.all())


def test_a_plain_pass_waits_for_the_required_deliverables(
    gate, project, pm_user, reviewer_user, english
):
    gates.gate_submit(gate=gate, actor=pm_user)
    assert [r.deliverable.code for r in gates.missing_deliverables(gate)] == [
        "D1-0",
        "D1-1",
        "D1-2",
    ]
    with pytest.raises(ValidationError) as error:
        gates.gate_decide(gate=gate, actor=reviewer_user, decision="passed")
    assert "D1-0" in str(error.value) and "D1-2" in str(error.value)
    gate.refresh_from_db()
    assert gate.status == Gate.Status.IN_REVIEW

    for deliverable in gate.standard_gate.deliverables.all():
        standards.deliverable_record_submit(
            project=project, deliverable=deliverable, upload=pdf_upload(), actor=pm_user
        )
    assert gates.missing_deliverables(gate) == []
    gates.gate_decide(gate=gate, actor=reviewer_user, decision="passed")
    gate.refresh_from_db()
    assert gate.status == Gate.Status.PASSED


def test_a_pass_with_conditions_is_possible_while_deliverables_are_missing(
    gate, pm_user, reviewer_user
):
    gates.gate_submit(gate=gate, actor=pm_user)
    gates.gate_decide(
        gate=gate,
        actor=reviewer_user,
        decision="conditional",
        note="先行通过",
        conditions=[{"text": "补齐立项文件", "owner": pm_user.person, "due_date": None}],
    )
    gate.refresh_from_db()
    assert gate.status == Gate.Status.CONDITIONAL


def test_the_gate_page_lists_the_required_deliverables(gate, pm_user, client_for, english):
    gates.gate_submit(gate=gate, actor=pm_user)
    client = client_for("reviewer")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.get(f"/delivery/gates/{gate.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="gate-requirement-D1-0" data-status="' in html
    assert 'data-testid="requirements-missing"' in html
    assert 'data-testid="decision-missing"' in html
    assert "Deliverables required by the methodology" in html


def test_an_unlinked_gate_shows_no_requirements(project, pm_user, client_for):
    planned_project(project)
    gate = Gate.objects.get(project=project)
    assert gates.standard_requirements(gate) is None
    response = client_for("pm").get(f"/delivery/gates/{gate.pk}/")
    assert response.status_code == 200
    assert b'data-testid="gate-requirements"' not in response.content
