"""Speed of a 10,000-row project import and of a 200-project portfolio PDF.

Usage: ``.venv/bin/python bench/bulk_bench.py [--rows N] [--projects N]`` with
``DATABASE_URL`` pointing at a migrated PostgreSQL database that holds the demo company
(``bench/bulk.sh`` prepares ``pmo_bulk_bench``). Generates a project file of N rows (one
programme per 100 projects, in the same file, managers and sponsors named by employee
number), as XLSX and as CSV, and times the preview and the commit of each through the
same functions the import page and its background task call; then imports the CSV once
more with every name changed (N updates). Then renders the portfolio status report for
a portfolio of the first 200 imported projects, in Chinese and in English. Exits 1 when
an import (preview + commit) takes more than 60 s or a PDF more than 10 s.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.settings")
# The background check and commit of a big file run here, in this process, through the
# same Celery tasks a worker runs.
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402
import random  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from pmo.core import importing, services  # noqa: E402
from pmo.core.models import Health, ImportJob, OrgUnit, Person, Project  # noqa: E402
from pmo.core.registry import registry  # noqa: E402
from pmo.reports.pdf import render_pdf  # noqa: E402

IMPORT_TARGET = 60.0
PDF_TARGET = 10.0
HEADERS = [
    "code",
    "name",
    "name_en",
    "org_unit_code",
    "manager_employee_no",
    "sponsor_employee_no",
    "program_code",
    "is_program",
    "classification",
    "stage",
    "planned_start",
    "planned_finish",
    "budget",
    "description",
]


def rows(prefix: str, count: int, units: list[str], people: list[str], label: str = ""):
    """Project rows: every hundredth one a programme that the next 99 belong to."""
    for n in range(count):
        programme = n % 100 == 0
        parent = "" if programme else f"{prefix}-{n - n % 100:05d}"
        yield [
            f"{prefix}-{n:05d}",
            f"批量项目{label}{n:05d}",
            f"Bulk project {label}{n:05d}",
            units[n % len(units)],
            people[n % len(people)],
            people[(n * 7 + 3) % len(people)],
            parent,
            "是" if programme else "否",
            ("重大", "重点", "一般")[n % 3],
            "active" if n % 2 else "approved",
            f"2026-{n % 12 + 1:02d}-01",
            f"2027-{n % 12 + 1:02d}-28",
            str(100_000 + n * 10),
            "由基准测试生成的项目，用于衡量导入速度。",
        ]


def xlsx_bytes(data) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("projects")
    sheet.append(HEADERS)
    for row in data:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(data) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(data)
    return out.getvalue().encode("utf-8")


def time_import(name: str, content: bytes, actor) -> tuple[float, float, ImportJob]:
    upload = SimpleUploadedFile(name, content)
    started = time.perf_counter()
    job = importing.import_job_create(kind=ImportJob.Kind.PROJECTS, upload=upload, actor=actor)
    job.refresh_from_db()
    previewed = time.perf_counter()
    if job.status != ImportJob.Status.PREVIEWED:
        raise SystemExit(f"{name}: not previewed ({job.status}): {job.summary.get('file_errors')}")
    job = importing.import_job_commit(job=job, actor=actor)
    job.refresh_from_db()
    committed = time.perf_counter()
    if job.status != ImportJob.Status.COMMITTED:
        raise SystemExit(f"{name}: commit failed: {job.summary.get('file_errors')}")
    return previewed - started, committed - previewed, job


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--projects", type=int, default=200)
    args = parser.parse_args()
    settings.PMO_IMPORT_MAX_ROWS = max(settings.PMO_IMPORT_MAX_ROWS, args.rows)

    actor = get_user_model().objects.get(username="pmo")
    units = list(OrgUnit.objects.order_by("code").values_list("code", flat=True)[:20])
    people = list(
        Person.objects.filter(is_active=True)
        .order_by("employee_no")
        .values_list("employee_no", flat=True)[:200]
    )
    if not units or not people:
        print("the database has no demo company: run manage.py seed_demo first", file=sys.stderr)
        return 2
    stamp = uuid.uuid4().hex[:6].upper()
    failed = False
    results = []
    print(f"== project import, {args.rows} rows ({Project.objects.count()} projects before)")
    for fmt, build in (("xlsx", xlsx_bytes), ("csv", csv_bytes)):
        prefix = f"BK{stamp}{fmt[0].upper()}"
        content = build(rows(prefix, args.rows, units, people))
        preview, commit, _job = time_import(f"bulk.{fmt}", content, actor)
        results.append((f"{fmt}, {args.rows} new", preview, commit))
        if fmt == "csv":
            changed = csv_bytes(rows(prefix, args.rows, units, people, label="改"))
            preview, commit, job = time_import("bulk-changed.csv", changed, actor)
            counts = job.summary["counts"]
            results.append((f"csv, {counts['update']} updated", preview, commit))
    print(f"== portfolio status PDF of {args.projects} strategic projects")
    failed |= pdf_bench(actor, people, stamp, args.projects)
    for label, preview, commit in results:
        total = preview + commit
        verdict = "ok" if total <= IMPORT_TARGET else f"SLOW (> {IMPORT_TARGET:.0f} s)"
        print(
            f"{label:<24} preview {preview:6.1f} s  commit {commit:6.1f} s  "
            f"total {total:6.1f} s  {args.rows / total:6.0f} rows/s  {verdict}"
        )
        failed |= total > IMPORT_TARGET
    return 1 if failed else 0


def pdf_bench(actor, people: list[str], stamp: str, count: int) -> bool:
    """Import ``count`` major projects into a unit of their own and print its portfolio."""
    root = OrgUnit.objects.filter(parent=None).order_by("pk").first()
    unit = services.orgunit_save(code=f"PDF{stamp}", name=f"基准组合{stamp}", parent=root)
    data = [
        [
            f"PDF{stamp}-{n:03d}",
            f"战略项目{n:03d}",
            f"Strategic project {n:03d}",
            unit.code,
            people[n % len(people)],
            people[(n + 1) % len(people)],
            "",
            "否",
            "重大",
            "active",
            "2026-01-01",
            "2026-12-31",
            str(1_000_000 + n * 1000),
            "组合状态报告基准。",
        ]
        for n in range(count)
    ]
    time_import("portfolio.csv", csv_bytes(data), actor)
    rng = random.Random(count)
    projects = list(Project.objects.filter(org_unit=unit))
    for p in projects:
        p.health = rng.choice([Health.GREEN, Health.GREEN, Health.AMBER, Health.RED])
        p.percent_complete = Decimal(rng.randint(5, 95))
        p.spend_to_date = p.budget * Decimal(rng.randint(10, 90)) / 100
        p.forecast_cost = p.budget * Decimal(rng.randint(85, 125)) / 100
        p.spi = Decimal(rng.randint(70, 115)) / 100
        p.cpi = Decimal(rng.randint(70, 115)) / 100
        p.last_status_date = timezone.localdate()
    Project.objects.bulk_update(
        projects,
        [
            "health",
            "percent_complete",
            "spend_to_date",
            "forecast_cost",
            "spi",
            "cpi",
            "last_status_date",
        ],
    )
    kind = registry.report_kind("portfolio_status")
    today = timezone.localdate()
    params = {"org_unit": unit.pk, "period_start": today, "period_end": today + dt.timedelta(6)}
    slow = False
    for language in ("zh-hans", "en"):
        with translation.override(language), CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            content = kind.build(params, language)
            built = time.perf_counter()
            pdf = render_pdf(content, language=language)
            printed = time.perf_counter()
        total = printed - started
        verdict = "ok" if total <= PDF_TARGET else f"SLOW (> {PDF_TARGET:.0f} s)"
        print(
            f"{language:<8} {len(content.context['watch_rows'])} watch-list rows  "
            f"build {built - started:5.2f} s ({len(queries)} queries)  "
            f"print {printed - built:5.2f} s  total {total:5.2f} s  "
            f"{len(pdf) // 1024} KiB  {verdict}"
        )
        slow |= total > PDF_TARGET
    return slow


if __name__ == "__main__":
    sys.exit(main())
