"""Generated spreadsheets through every import kind's upload → preview → commit flow:
never a server error, and an import that is not committed leaves no rows behind.

Files mix the kind's real column headers with wrong ones, random cells (unicode, NUL,
formulas, huge numbers, impossible dates), empty rows, several encodings and BOMs, as
CSV and as XLSX.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from pmo.core import importing
from pmo.core.models import ImportJob
from pmo.core.registry import registry
from tests.core.data import xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

FUZZ = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

CELLS = [
    "",
    "\x00",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil")',
    "+1+1",
    "@SUM(A1)",
    "-1",
    "0",
    "1e309",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "NaN",
    "2026-02-30",
    "2026-13-45",
    "31/02/2026",
    "HQ",
    "RD",
    "PM",
    "green",
    "major",
    "idea",
    "是",
    "否",
    "项目经理",
    "x" * 3000,
    "\u202e\ufeff",
]
cell = st.one_of(
    st.sampled_from(CELLS),
    st.text(max_size=20),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)


@st.composite
def table(draw, kind: str):
    columns = [c.key for c in importing.resource_for(kind).import_columns()]
    headers = draw(
        st.lists(
            st.one_of(st.sampled_from(columns), st.sampled_from(["", "?", "名称", "code "])),
            min_size=1,
            max_size=len(columns) + 2,
        )
    )
    if draw(st.booleans()):
        headers = columns  # the right headers, so rows reach validation
    width = len(headers)
    rows = draw(
        st.lists(
            st.one_of(
                st.lists(cell, min_size=width, max_size=width),
                st.just([""] * width),  # an empty row
                st.lists(cell, min_size=0, max_size=width + 2),  # a ragged row
            ),
            min_size=0,
            max_size=6,
        )
    )
    return [headers, *rows]


ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1"]


def _csv(rows: list[list], encoding: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


def _xlsx(rows: list[list]) -> bytes:
    # openpyxl refuses control characters in cells; a real workbook cannot hold them.
    clean = [[ILLEGAL_CHARACTERS_RE.sub("", c) for c in r] for r in rows]
    return xlsx_bytes(clean)


def _file(rows, fmt, encoding) -> SimpleUploadedFile:
    if fmt == "xlsx":
        return SimpleUploadedFile("data.xlsx", _xlsx(rows))
    return SimpleUploadedFile("data.csv", _csv(rows, encoding))


def _model_counts():
    """Rows of every model an import kind writes."""
    models = {importing.resource_for(code)._meta.model for code in registry.import_kinds}
    return {m: m._base_manager.count() for m in models}


KINDS = sorted(registry.import_kinds)


@pytest.fixture
def private_media(settings, tmp_path):
    """Kept import files go to this test's own folder, not the shared media root."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.PMO_PRIVATE_ROOT = tmp_path / "private"


@pytest.mark.parametrize("kind", KINDS)
def test_generated_files_never_give_a_server_error_nor_half_an_import(pmo, kind):
    start = reverse("core:import_start")

    @FUZZ
    @given(
        rows=table(kind),
        fmt=st.sampled_from(["csv", "xlsx"]),
        encoding=st.sampled_from(ENCODINGS),
    )
    def run(rows, fmt, encoding):
        before = _model_counts()
        jobs = set(ImportJob.objects.values_list("pk", flat=True))
        response = pmo.post(start, {"kind": kind, "file": _file(rows, fmt, encoding)})
        assert response.status_code < 500, (rows, response.status_code)
        job = ImportJob.objects.exclude(pk__in=jobs).first()
        if job is None:
            assert _model_counts() == before
            return
        preview = pmo.get(reverse("core:import_preview", args=[job.pk]))
        assert preview.status_code < 500
        problems = pmo.get(reverse("core:import_preview", args=[job.pk]) + "?problems=1&page=-1")
        assert problems.status_code < 500
        commit = pmo.post(reverse("core:import_preview", args=[job.pk]))
        assert commit.status_code < 500
        job.refresh_from_db()
        if job.status != ImportJob.Status.COMMITTED:
            # All or nothing: a refused import wrote no row of any kind.
            assert _model_counts() == before, (kind, rows)

    run()


def test_every_import_kind_is_fuzzed():
    assert set(KINDS) >= {"org_units", "people", "projects"}
    assert all(importing.resource_for(kind).import_columns() for kind in KINDS)
