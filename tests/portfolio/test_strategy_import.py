"""Importing the strategy from Excel/CSV through the core import: preview, then all or
nothing; themes first, then objectives whose parents may be rows of the same file."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from pmo.core.models import ImportJob
from portfolio.models import Objective, StrategicTheme
from tests.core.data import table_file
from tests.core.factories import PersonFactory
from tests.portfolio.factories import ObjectiveFactory, StrategicThemeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
FORMATS = ("csv", "xlsx")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def pmo(client_for):
    client = client_for("pmo")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def upload(client, kind, file):
    before = set(ImportJob.objects.values_list("pk", flat=True))
    response = client.post(reverse("core:import_start"), {"kind": kind, "file": file})
    return response, ImportJob.objects.exclude(pk__in=before).first()


def import_file(client, kind, rows, fmt="csv"):
    response, job = upload(client, kind, table_file(rows, fmt))
    assert response.status_code == 302, response.content.decode()[:3000]
    client.post(reverse("core:import_preview", args=[job.pk]))
    job.refresh_from_db()
    return job


OBJECTIVE_HEADER = [
    "code",
    "theme_code",
    "parent_code",
    "name",
    "name_en",
    "owner_employee_no",
    "period_start",
    "period_end",
    "kpi",
    "unit",
    "baseline",
    "target",
    "weight",
    "is_key",
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_themes_then_objectives_are_imported_with_the_tree(pmo, fmt):
    owner = PersonFactory(employee_no="HC10001")
    themes = import_file(
        pmo,
        "strategic_themes",
        [
            ["code", "name", "name_en", "owner_employee_no"],
            ["T-DIG", "数字化转型", "Digital transformation", "HC10001"],
        ],
        fmt,
    )
    assert themes.status == ImportJob.Status.COMMITTED, themes.summary
    assert StrategicTheme.objects.get(code="T-DIG").owner == owner
    rows = [
        OBJECTIVE_HEADER,
        # The child comes first: the import places its parent before it.
        [
            "SO-1.1",
            "T-DIG",
            "SO-1",
            "业财一体化",
            "",
            "",
            "2026-01-01",
            "2027-12-31",
            "月结天数",
            "天",
            "8",
            "3",
            "8",
            "否",
        ],
        [
            "SO-1",
            "T-DIG",
            "",
            "核心系统上云",
            "Cloud",
            "HC10001",
            "2026-01-01",
            "2028-12-31",
            "上云比例",
            "%",
            "15",
            "80",
            "15",
            "是",
        ],
    ]
    job = import_file(pmo, "objectives", rows, fmt)
    assert job.status == ImportJob.Status.COMMITTED, job.summary
    child = Objective.objects.get(code="SO-1.1")
    assert child.parent.code == "SO-1"
    assert child.target == Decimal(3) and not child.is_key
    assert Objective.objects.get(code="SO-1").is_key
    assert child.history.first().history_user.username == "pmo"


def test_headers_may_be_the_chinese_or_english_labels(pmo):
    StrategicThemeFactory(code="T-DIG")
    with translation.override("zh-hans"):
        from portfolio.resources import ObjectiveResource

        labels = {c.key: c.title() for c in ObjectiveResource().import_columns()}
    rows = [
        [
            labels[k]
            for k in ("code", "theme_code", "name", "period_start", "period_end", "kpi", "target")
        ],
        ["SO-9", "T-DIG", "数据驱动", "2026-01-01", "2026-12-31", "报表自动化率", "90"],
    ]
    job = import_file(pmo, "objectives", rows)
    assert job.status == ImportJob.Status.COMMITTED, job.summary
    objective = Objective.objects.get(code="SO-9")
    assert (objective.baseline, objective.weight) == (Decimal(0), Decimal(10))


def test_a_bad_row_blocks_the_file_and_is_shown_per_cell(pmo):
    StrategicThemeFactory(code="T-DIG")
    StrategicThemeFactory(code="T-MKT")
    ObjectiveFactory(code="SO-MKT", theme=StrategicTheme.objects.get(code="T-MKT"))
    rows = [
        OBJECTIVE_HEADER,
        [
            "SO-OK",
            "T-DIG",
            "",
            "好目标",
            "",
            "",
            "2026-01-01",
            "2026-12-31",
            "k",
            "",
            "0",
            "10",
            "5",
            "",
        ],
        [
            "SO-X",
            "T-NONE",
            "",
            "坏主题",
            "",
            "",
            "2026-01-01",
            "2026-12-31",
            "k",
            "",
            "0",
            "10",
            "5",
            "",
        ],
        [
            "SO-Y",
            "T-DIG",
            "SO-MKT",
            "跨主题",
            "",
            "",
            "2026-01-01",
            "2026-12-31",
            "k",
            "",
            "0",
            "10",
            "5",
            "",
        ],
        [
            "SO-Z",
            "T-DIG",
            "",
            "日期颠倒",
            "",
            "",
            "2026-12-31",
            "2026-01-01",
            "k",
            "",
            "0",
            "10",
            "5",
            "",
        ],
    ]
    response, job = upload(pmo, "objectives", table_file(rows, "csv"))
    assert job.status == ImportJob.Status.INVALID
    by_line = {row["line"]: row for row in job.summary["rows"]}
    assert "theme_code" in by_line[3]["errors"]
    assert (
        "The parent objective must belong to the same strategic theme."
        in by_line[4]["errors"]["parent_code"]
    )
    assert "period_end" in by_line[5]["errors"]
    assert not Objective.objects.filter(code__in=["SO-OK", "SO-X", "SO-Y", "SO-Z"]).exists()
    preview = pmo.get(reverse("core:import_preview", args=[job.pk])).content.decode()
    assert "T-NONE" in preview


def test_importing_the_same_file_again_changes_nothing(pmo):
    StrategicThemeFactory(code="T-DIG")
    rows = [
        OBJECTIVE_HEADER + ["actual", "measured_on"],
        [
            "SO-1",
            "T-DIG",
            "",
            "核心系统上云",
            "",
            "",
            "2026-01-01",
            "2028-12-31",
            "上云比例",
            "%",
            "15",
            "80",
            "15",
            "是",
            "30",
            "2026-06-30",
        ],
    ]
    first = import_file(pmo, "objectives", rows)
    assert first.status == ImportJob.Status.COMMITTED, first.summary
    objective = Objective.objects.get(code="SO-1")
    assert (objective.actual, objective.measured_on) == (Decimal(30), dt.date(2026, 6, 30))
    second = import_file(pmo, "objectives", rows, "xlsx")
    assert second.summary["counts"] == {"new": 0, "update": 0, "skip": 1, "invalid": 0}
    rows[1][-2:] = ["36", ""]
    third = import_file(pmo, "objectives", rows)
    assert third.summary["counts"]["update"] == 1
    objective.refresh_from_db()
    assert objective.actual == Decimal(36)
    assert objective.measured_on >= dt.date(2026, 6, 30)


def test_the_import_kinds_are_offered_to_the_pmo_with_templates(pmo, client_for):
    page = pmo.get(reverse("core:import_start")).content.decode()
    assert 'value="objectives"' in page and 'value="strategic_themes"' in page
    template = pmo.get(reverse("core:import_template", args=["objectives"]))
    assert template.status_code == 200
    assert (
        client_for("pm").get(reverse("core:import_template", args=["objectives"])).status_code
        == 403
    )
