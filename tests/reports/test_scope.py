"""Reader-scoped reports: a run shows the projects its reader may see, and a delivery
sends each recipient the rendering of their own scope."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import translation

from pmo.core import roles
from pmo.core.models import Classification, Stage
from pmo.core.registry import ReportKind, registry
from pmo.reports import services
from pmo.reports.builders import project_register, project_register_summary
from pmo.reports.content import scope_for, visible_projects
from pmo.reports.models import Delivery, ReportRun
from tests.core.factories import OrgUnitFactory, PersonFactory, ProjectFactory, UserFactory
from tests.pdf import needs_pdftotext, pdf_text

TODAY = dt.date(2026, 3, 4)


@pytest.fixture
def units(db):
    """Two units; ``head`` heads the first and is no PMO or executive."""
    head = UserFactory(username="head", email="head@example.com", groups=[roles.PROJECT_MANAGER])
    head_person = PersonFactory(user=head, name="单位负责人", name_en="Unit head")
    north = OrgUnitFactory(code="N", name="北区", name_en="North", head=head_person)
    south = OrgUnitFactory(code="S", name="南区", name_en="South")
    ProjectFactory(code="N1", name="北区项目", name_en="North project", org_unit=north)
    ProjectFactory(
        code="N2",
        name="北区重大项目",
        name_en="North major project",
        org_unit=north,
        classification=Classification.MAJOR,
    )
    ProjectFactory(code="S1", name="南区项目", name_en="South project", org_unit=south)
    return {"head": head, "north": north, "south": south}


def codes(projects) -> list[str]:
    return sorted(projects.values_list("code", flat=True))


def test_the_all_scope_sees_every_project(units):
    assert codes(visible_projects({"scope": "all"})) == ["N1", "N2", "S1"]
    assert codes(visible_projects({})) == ["N1", "N2", "S1"]


def test_a_unit_heads_scope_sees_only_their_units_projects(units):
    scope = scope_for(units["head"])
    assert scope == f"user:{units['head'].pk}"
    assert codes(visible_projects({"scope": scope})) == ["N1", "N2"]


def test_filters_narrow_the_scope(units):
    assert codes(visible_projects({"org_unit": units["south"].pk})) == ["S1"]
    assert codes(visible_projects({"classification": "major"})) == ["N2"]
    head_scope = f"user:{units['head'].pk}"
    assert codes(visible_projects({"scope": head_scope, "org_unit": units["south"].pk})) == []


def test_an_unknown_or_deactivated_reader_sees_nothing(units):
    assert codes(visible_projects({"scope": "user:999999"})) == []
    assert codes(visible_projects({"scope": "user:abc"})) == []
    units["head"].is_active = False
    units["head"].save()
    assert codes(visible_projects({"scope": f"user:{units['head'].pk}"})) == []


def test_pmo_and_executives_read_the_all_scope(pmo_user, executive_user, pm_user):
    assert scope_for(pmo_user) == scope_for(executive_user) == "all"
    assert scope_for(pm_user) == f"user:{pm_user.pk}"


def test_a_unit_heads_register_lists_only_their_units_projects(units):
    content = project_register({"scope": f"user:{units['head'].pk}"}, "zh-hans")
    assert [row.project.code for row in content.context["rows"]] == ["N1", "N2"]
    everything = project_register({"scope": "all"}, "zh-hans")
    assert [row.project.code for row in everything.context["rows"]] == ["N1", "N2", "S1"]


@pytest.fixture
def open_register():
    """The project register, scoped, readable by every signed-in user (so that a unit
    head may subscribe to it)."""
    kind = ReportKind(
        code="open_register",
        label="Open register",
        builder="pmo.reports.builders.project_register",
        scoped=True,
    )
    registry.add_report_kind(kind)
    yield kind
    registry.report_kinds.pop("open_register", None)


@needs_pdftotext
def test_a_delivery_renders_once_per_scope_and_each_reader_gets_their_own(
    units, open_register, pmo_user, executive_user
):
    subscription = services.subscription_save(
        actor=pmo_user,
        name="Register",
        kind="open_register",
        language="zh-hans",
        frequency="weekly",
        weekday=0,
        hour=8,
        users=[pmo_user, executive_user, units["head"]],
    )
    services.subscription_deliver(subscription_id=subscription.pk, today=TODAY)
    runs = ReportRun.objects.filter(kind="open_register")
    assert sorted(r.params["scope"] for r in runs) == sorted(["all", f"user:{units['head'].pk}"])
    by_address = {d.email: d.run.params["scope"] for d in Delivery.objects.select_related("run")}
    assert by_address == {
        "pmo@example.com": "all",
        "executive@example.com": "all",
        "head@example.com": f"user:{units['head'].pk}",
    }
    for message in mail.outbox:
        run = Delivery.objects.get(email=message.to[0]).run
        with run.file.open("rb") as handle:
            assert message.attachments[0][1] == handle.read()
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "/reports/" in bodies["pmo@example.com"]
    assert "/reports/" not in bodies["head@example.com"]  # the archive is not theirs to open
    head_run = runs.get(params__scope=f"user:{units['head'].pk}")
    assert "北区项目" in pdf_text(head_run, flat=True)
    assert "南区项目" not in pdf_text(head_run, flat=True)
    assert "南区项目" in pdf_text(runs.get(params__scope="all"), flat=True)


def test_the_archive_shows_a_readers_run_only_to_them(units, open_register):
    mine = ReportRun.objects.create(
        kind="open_register",
        period_label="2026-W10",
        period_start=dt.date(2026, 3, 2),
        period_end=dt.date(2026, 3, 8),
        language="en",
        params={"scope": "user:1"},
        params_hash="a",
    )
    assert ReportRun.objects.visible_to(units["head"]).filter(pk=mine.pk).exists() is False


def test_the_stage_filter_of_the_register_still_applies(units):
    ProjectFactory(code="N3", org_unit=units["north"], stage=Stage.CLOSED)
    content = project_register({"scope": f"user:{units['head'].pk}"}, "en")
    assert "N3" not in [row.project.code for row in content.context["rows"]]


def test_the_registers_chat_summary_counts_the_readers_projects(units):
    with translation.override("en"):
        lines = dict(project_register_summary({"scope": f"user:{units['head'].pk}"}, "en"))
        everything = dict(project_register_summary({"scope": "all"}, "en"))
    assert lines["Active projects"] == "2"
    assert everything["Active projects"] == "3"
