"""Compliance figures against values computed by hand, and the rules behind them."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmo.core.models import Project, Stage
from standards import compliance as rules
from standards import services
from standards.selectors.compliance import compliance_overview
from tests.core.factories import OrgUnitFactory, ProjectFactory
from tests.standards.factories import published_methodology

TODAY = dt.date(2026, 3, 16)


# --- the rules (no database) -------------------------------------------------------------------


def test_planned_gate_date_is_start_plus_position_of_the_duration():
    start, finish = dt.date(2026, 1, 1), dt.date(2026, 12, 31)  # 364 days
    assert rules.gate_planned_date(start, finish, 0) == start
    assert rules.gate_planned_date(start, finish, 50) == dt.date(2026, 7, 2)
    assert rules.gate_planned_date(start, finish, 100) == finish
    assert rules.gate_planned_date(None, finish, 50) is None
    assert rules.gate_planned_date(finish, start, 50) is None


@pytest.mark.parametrize(
    ("stage", "due_stage", "planned", "due"),
    [
        ("active", "approved", None, True),  # the stage has passed the gate's
        ("approved", "approved", None, True),
        ("under_review", "approved", None, False),
        ("on_hold", "active", None, True),  # on hold ranks with active
        ("active", "closing", dt.date(2026, 3, 15), True),  # the planned date has passed
        ("active", "closing", TODAY, False),  # due the day after
        ("cancelled", "approved", None, False),
    ],
)
def test_a_gate_is_due_by_stage_or_by_planned_date(stage, due_stage, planned, due):
    assert (
        rules.gate_is_due(
            project_stage=stage, due_stage=due_stage, planned_date=planned, today=TODAY
        )
        is due
    )


def test_status_order_tailored_present_missing_not_due():
    assert rules.deliverable_status(tailored=True, present=True, due=True) == rules.TAILORED
    assert rules.deliverable_status(tailored=False, present=True, due=False) == rules.PRESENT
    assert rules.deliverable_status(tailored=False, present=False, due=True) == rules.MISSING
    assert rules.deliverable_status(tailored=False, present=False, due=False) == rules.NOT_DUE


@given(st.lists(st.tuples(st.sampled_from(rules.STATUSES), st.booleans()), max_size=40))
def test_the_rate_is_present_over_due_and_stays_between_0_and_100(items):
    tally = rules.Tally()
    for status, due in items:
        tally.add(status, due and status != rules.NOT_DUE)
    present = sum(1 for s, d in items if s == rules.PRESENT and d)
    missing = sum(1 for s, _d in items if s == rules.MISSING)
    assert tally.due == present + missing
    if tally.due:
        assert tally.rate == pytest.approx(100 * present / (present + missing))
        assert 0 <= tally.rate <= 100
    else:
        assert tally.rate is None


# --- the figures of the compliance page -----------------------------------------------------------


@pytest.fixture
def portfolio(db, pmo_user):
    """Unit A: A1 active (D1-0 present, D1-1 missing, D1-2 tailored out, gate G2 not
    due); A2 closing (D1-0, D1-1, D2-0 present, D1-2 missing); C active without a
    methodology. Unit B: B1 approved with nothing present; B2 proposed, starting in
    June (nothing due)."""
    version = published_methodology()
    ptype = version.methodology.project_type
    unit_a, unit_b = OrgUnitFactory(code="UA"), OrgUnitFactory(code="UB")

    def project(code, unit, stage, start=dt.date(2026, 1, 1), finish=dt.date(2026, 12, 31)):
        return ProjectFactory(
            code=code,
            org_unit=unit,
            stage=stage,
            project_type=ptype,
            planned_start=start,
            planned_finish=finish,
        )

    a1 = project("A1", unit_a, Stage.ACTIVE)
    a2 = project("A2", unit_a, Stage.CLOSING)
    project("C", unit_a, Stage.ACTIVE)
    b1 = project("B1", unit_b, Stage.APPROVED)
    b2 = project("B2", unit_b, Stage.PROPOSED, start=dt.date(2026, 6, 1))
    items = {d.code: d for d in version.deliverables.all()}
    for p in (a1, a2, b1, b2):
        services.project_methodology_assign(project=p, version=version, actor=pmo_user)

    def present(p, *codes):
        for code in codes:
            services.deliverable_record_submit(
                project=p, deliverable=items[code], link="https://docs.example/x", actor=pmo_user
            )

    present(a1, "D1-0")
    present(a2, "D1-0", "D1-1", "D2-0")
    request = services.tailoring_request_submit(
        project=a1, deliverables=[items["D1-2"]], reason="不需要", actor=pmo_user
    )
    services.tailoring_request_decide(request=request, approve=True, actor=pmo_user)
    return {"A": unit_a, "B": unit_b}


def test_rates_per_project_unit_and_process_match_the_hand_computed_values(portfolio):
    overview = compliance_overview(Project.objects.all(), TODAY)
    by_project = {r.project.code: r for r in overview.rows}
    assert {code: r.rate for code, r in by_project.items()} == {
        "A1": 50.0,  # 1 present ÷ 2 due (D1-2 tailored out, G2 not due)
        "A2": 75.0,  # 3 present ÷ 4 due
        "B1": 0.0,  # 0 ÷ 3
        "B2": None,  # nothing due yet
    }
    assert (by_project["A1"].tally.tailored, by_project["A1"].tally.not_due) == (1, 1)
    units = {g.key.code: (g.projects, g.tally.present, g.tally.due) for g in overview.by_unit}
    assert units == {"UA": (2, 4, 6), "UB": (2, 0, 3)}
    rates = {g.key.code: g.rate for g in overview.by_unit}
    assert rates["UA"] == pytest.approx(66.667, abs=0.001)
    assert rates["UB"] == 0.0
    processes = {g.key[0]: (g.tally.present, g.tally.due) for g in overview.by_process}
    assert processes == {"P-INIT": (3, 8), "P-CLOSE": (1, 1)}
    assert [g.key[0] for g in overview.by_process] == ["P-INIT", "P-CLOSE"]  # lowest first
    assert (overview.tally.present, overview.tally.due) == (4, 9)
    assert overview.tally.rate == pytest.approx(44.444, abs=0.001)
    assert [p.code for p in overview.unassigned] == ["C"]
    assert (overview.assigned, overview.in_scope) == (4, 5)


def test_the_compliance_page_shows_the_figures(client_for, portfolio):
    from django.urls import reverse
    from django.utils import timezone

    # The page works on today's date; its figures are those of the selector for today.
    tally = compliance_overview(Project.objects.all(), timezone.localdate()).tally
    response = client_for("pmo").get(reverse("standards:compliance"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert f'data-testid="overall-rate">{tally.rate:.1f}%' in html
    assert f"= {tally.present} present ÷ {tally.due} due" in html
    assert 'data-testid="coverage">4 / 5' in html
    assert '<tr data-project="A2">' in html and "HC-" not in html
    response = client_for("pmo").get(
        reverse("standards:compliance") + f"?unit={portfolio['B'].pk}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert '<tr data-project="A2">' not in response.content.decode()
