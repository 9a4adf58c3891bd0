"""Lessons learned of the generated ``--scale`` projects, for benchmarks.

20 lessons per generated project (100,000 at ``seed_demo --scale 5000``), spread evenly
over the projects that have started, written with bulk inserts from the wording of the
demo catalogue. Most are published, the others wait in every curation state, as in a
PMO that curates continuously. The search index gets their entries from the last demo
seeder (``pmo.core.search.seed_index``), built in bulk. Lessons a project already has
are counted, so a second run adds nothing and a larger scale only tops up.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from knowledge.demo import catalogue as c
from knowledge.models import Lesson

LESSONS_PER_SCALED_PROJECT = 20
BATCH = 5000
# curation state of a generated lesson by its number in the project (of every 20)
STATES = ["published"] * 14 + ["reviewed"] * 3 + ["submitted"] * 2 + ["returned"]
ORDINALS = "一二三四五六七八九十"


def seed_scaled_lessons(demo) -> None:
    scaled = demo.scaled_projects()
    target = LESSONS_PER_SCALED_PROJECT * scaled.count()
    started = list(
        scaled.filter(last_status_date__isnull=False)
        .order_by("code")
        .only("pk", "code", "name", "stage", "project_type_id", "last_status_date")
    )
    if not started:
        return
    base, extra = divmod(target, len(started))
    have = dict(
        Lesson.objects.filter(project__in=scaled)
        .values("project")
        .annotate(n=Count("pk"))
        .values_list("project", "n")
    )
    pmo = demo.users["pmo"]
    rows = []
    for index, project in enumerate(started):
        wanted = base + (1 if index < extra else 0)
        for number in range(have.get(project.pk, 0), wanted):
            rows.append(_lesson(project, number, pmo, demo.today))
    with transaction.atomic():
        Lesson.objects.bulk_create(rows, batch_size=BATCH)
    demo.created["scaled lessons"] += len(rows)


def _lesson(project, number: int, pmo, today: dt.date) -> Lesson:
    rng = random.Random(f"knowledge:scale:{project.code}:{number}")
    spec = c.LESSONS[(number + len(project.code)) % len(c.LESSONS)]
    round_ = number // len(c.LESSONS)
    suffix = f"（{ORDINALS[round_ % len(ORDINALS)]}）" if round_ else ""
    state = STATES[number % len(STATES)]
    closing = project.stage in ("closing", "closed")
    day = project.last_status_date - dt.timedelta(days=rng.randrange(0, 200))
    at = timezone.make_aware(dt.datetime.combine(min(day, today), dt.time(10)))
    curated = state in ("published", "returned")
    return Lesson(
        project_id=project.pk,
        project_type_id=project.project_type_id,
        title=f"{project.name}：{spec['title']}{suffix}"[:200],
        description=spec["description"],
        recommendation=spec["recommendation"],
        phase=spec["phase"],
        knowledge_area=spec["knowledge_area"],
        polarity=spec["polarity"],
        root_cause=spec["root_cause"],
        impact=spec["impact"],
        applicability=spec["applicability"],
        tags=spec["tags"],
        confidentiality=rng.choices(("internal", "public", "confidential"), (7, 2, 1))[0],
        source="closeout" if closing and number % 2 == 0 else "anytime",
        status=state,
        return_reason="请补充根本原因分析 / Add the root cause." if state == "returned" else "",
        reviewed_by=pmo if state in ("reviewed", "published") else None,
        reviewed_at=at if state in ("reviewed", "published") else None,
        curated_by=pmo if curated else None,
        curated_at=at if curated else None,
        published_at=at if state == "published" else None,
        view_count=rng.randrange(0, 60) if state == "published" else 0,
    )
