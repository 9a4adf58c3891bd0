"""Fixtures of the report tests: report files go to a temporary folder."""

import pytest

from pmo.core.registry import ReportKind, registry


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PMO_PRIVATE_ROOT = tmp_path / "private"
    return settings.PMO_PRIVATE_ROOT


def broken_builder(params, language):
    raise RuntimeError("the data source is unreachable")


@pytest.fixture
def broken_kind():
    """A registered report kind whose builder always fails."""
    kind = ReportKind(
        code="broken",
        label="Broken report",
        builder="tests.reports.conftest.broken_builder",
        permission="reports.view_archive",
    )
    registry.add_report_kind(kind)
    yield kind
    registry.report_kinds.pop("broken", None)
