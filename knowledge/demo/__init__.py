"""The knowledge part of ``seed_demo``.

* a knowledge framework of two levels (管理体系, 方法与工具, 行业经验 …);
* lessons learned of the closed and running demo projects, bilingual in their wording,
  in every curation state, some applied in later projects with an outcome;
* success and failure cases, rated; knowledge-base articles with two versions;
* views and helpful votes, so that the reuse statistics have numbers;
* an archive: filed records of the closed projects with their 档号, records waiting
  for the archivist's check, and loans in every state (one overdue);
* with ``--scale N``, 20·N lessons of the generated projects (``knowledge.demo.scale``).

Rows are looked up by natural keys (codes, titles) before they are written, so a second
run writes nothing; draws come from ``demo.rng("knowledge")``.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from knowledge import services
from knowledge.demo import catalogue as c
from knowledge.demo.scale import seed_scaled_lessons
from knowledge.models import ArchiveRecord, Article, Case, Category, Lesson, Loan, Usage
from pmo.core.models import Project, Stage


def seed(demo) -> None:
    pmo = demo.users["pmo"]
    categories = _categories(pmo)
    projects = _projects(demo)
    _lessons(demo, pmo, projects)
    _cases(demo, pmo, projects, categories)
    _articles(demo, pmo, categories)
    _usage(demo, projects)
    _archives(demo, pmo, projects)
    if demo.scale:
        seed_scaled_lessons(demo)


def _projects(demo) -> dict[str, list[Project]]:
    base = Project.objects.exclude(code__startswith="HC-SCALE").select_related("project_type")
    closed = list(base.filter(stage__in=[Stage.CLOSED, Stage.CLOSING]).order_by("code"))
    running = list(base.filter(stage__in=[Stage.ACTIVE, Stage.APPROVED]).order_by("code"))
    return {"closed": closed, "running": running}


def _categories(pmo) -> dict[str, Category]:
    found = {cat.code: cat for cat in Category.objects.all()}
    for code, parent, name, name_en in c.CATEGORIES:
        if code not in found:
            found[code] = services.category_save(
                actor=pmo, code=code, name=name, name_en=name_en, parent=found.get(parent)
            )
    return found


def _pick(projects: list[Project], type_code: str, index: int) -> Project | None:
    same = [p for p in projects if p.project_type and p.project_type.code == type_code]
    pool = same or projects
    return pool[index % len(pool)] if pool else None


def _lessons(demo, pmo, projects) -> None:
    existing = set(Lesson.objects.values_list("title", flat=True))
    members = [demo.users[u] for u in ("pm", "pm2", "member")]
    for i, spec in enumerate(c.LESSONS):
        title, type_code, state = spec["title"], spec["type"], spec["state"]
        if title in existing:
            continue
        project = _pick(projects["closed"], type_code, i)
        author = members[i % len(members)]
        fields = {k: v for k, v in spec.items() if k not in ("type", "state")}
        lesson = services.lesson_create(
            actor=author,
            project=project,
            source="closeout" if project else "anytime",
            **fields,
        )
        if state in ("reviewed", "published"):
            services.lesson_review(lesson=lesson, actor=pmo)
        if state == "published":
            services.lesson_publish(lesson=lesson, actor=pmo)
        if state == "returned":
            services.lesson_return(
                lesson=lesson,
                actor=pmo,
                reason="请补充根本原因分析和适用范围 / Add the root cause and where it applies.",
            )


def _cases(demo, pmo, projects, categories) -> None:
    existing = set(Case.objects.values_list("title", flat=True))
    for i, spec in enumerate(c.CASES):
        if spec["title"] in existing:
            continue
        project = _pick(projects["closed"], spec["type"], i)
        fields = {k: v for k, v in spec.items() if k not in ("category", "stars", "type")}
        case = services.case_create(
            actor=demo.users["pm"],
            project=project,
            category=categories.get(spec["category"]),
            **fields,
        )
        services.case_curate(case=case, actor=pmo, to="reviewed")
        services.case_curate(case=case, actor=pmo, to="published")
        for stars in spec.get("stars", ()):
            services.case_rate(case=case, actor=pmo, stars=stars)


def _articles(demo, pmo, categories) -> None:
    existing = set(Article.objects.values_list("title", flat=True))
    today = demo.today
    for i, (code, title, summary, body, body_v2, tags) in enumerate(c.ARTICLES):
        if title in existing:
            continue
        article = services.article_create(
            actor=pmo if i % 2 == 0 else demo.users["pm"],
            title=title,
            body=body,
            category=categories.get(code),
            summary=summary,
            tags=tags,
            review_due=today + dt.timedelta(days=30 * (i + 1) - 45),
            files=[SimpleUploadedFile(f"{title[:20]}.md", body.encode(), content_type="text/plain")]
            if i == 0
            else (),
        )
        if body_v2:
            services.article_update(
                article=article,
                actor=pmo,
                body=body_v2,
                change_note="按2025版制度更新 / Updated to the 2025 rules",
            )


def _usage(demo, projects) -> None:
    """Applications in running projects (with outcomes), views and helpful votes."""
    if Usage.objects.filter(kind="applied").exists():
        return
    rng = demo.rng("knowledge")
    lessons = list(Lesson.objects.filter(status="published").order_by("pk"))
    cases = list(Case.objects.filter(status="published").order_by("pk"))
    readers = [demo.users[u] for u in ("pm", "pm2", "member", "exec", "pmo_staff")]
    running = projects["running"]
    for project in running[: max(1, len(running) * 2 // 3)]:
        same = [x for x in lessons if x.project_type_id == project.project_type_id] or lessons
        for lesson in rng.sample(same, k=min(len(same), rng.randint(1, 3))):
            actor = (
                demo.users["pm"]
                if project.manager_id == demo.person("pm").pk
                else demo.users["pmo"]
            )
            services.usage_apply(
                actor=actor,
                item=lesson,
                project=project,
                result=rng.choice(["helped", "helped", "helped", "neutral", "did_not_help"]),
                note=rng.choice(c.OUTCOME_NOTES),
            )
    for case in cases[:2]:
        if running:
            services.usage_apply(
                actor=demo.users["pmo"],
                item=case,
                project=running[0],
                result="helped",
                note="参照案例制定迁移回切方案 / Used the case's rollback plan",
            )
    for reader in readers:
        for item in rng.sample(lessons, k=min(len(lessons), 6)):
            services.usage_record_view(actor=reader, item=item)
            if rng.random() < 0.4:
                services.usage_toggle_helpful(actor=reader, item=item)


def _archives(demo, pmo, projects) -> None:
    if ArchiveRecord.objects.exists():
        return
    services.numbering_rule_set(
        actor=pmo, fonds="HC", pattern="{fonds}-{year}-{retention}-{seq:04d}"
    )
    rng = demo.rng("knowledge-archives")
    filed = []
    for project in projects["closed"][:6]:
        manager = project.manager.user if project.manager_id and project.manager.user_id else pmo
        for title, retention, level, carrier, pages in c.RECORDS:
            record = services.record_create(
                actor=pmo,
                title=f"{project.name}{title}",
                responsible=project.org_unit.name,
                record_date=project.actual_finish or demo.today - dt.timedelta(days=60),
                project=project,
                retention=retention,
                security_level=level,
                pieces=1,
                pages=pages,
                carrier=carrier,
                location=f"档案室B-02-{rng.randint(1, 30):02d}" if carrier == "paper" else "",
                upload=SimpleUploadedFile(
                    f"{title}.txt", f"{project.code} {title}".encode(), content_type="text/plain"
                )
                if carrier == "electronic"
                else None,
                submit=True,
            )
            ArchiveRecord.objects.filter(pk=record.pk).update(submitted_by=manager)
            record.refresh_from_db()
            services.record_check(
                record=record, actor=pmo, complete=True, legible=True, metadata=True, accept=True
            )
            filed.append(record)
    for project in projects["closed"][6:8]:
        services.record_create(
            actor=pmo,
            title=f"{project.name}结项报告",
            responsible=project.org_unit.name,
            record_date=demo.today - dt.timedelta(days=5),
            project=project,
            retention="D30",
            security_level="internal",
            pieces=1,
            pages=18,
            carrier="paper",
            location="项目办公室",
            submit=True,
        )
    _loans(demo, pmo, filed)


def _loans(demo, pmo, filed) -> None:
    if not filed:
        return
    today = timezone.localdate()
    member, pm = demo.users["member"], demo.users["pm"]
    electronic = [r for r in filed if r.file and r.security_level == "internal"]
    paper = [r for r in filed if r.carrier == "paper"]
    if electronic:
        loan = services.loan_request(
            actor=member,
            record=electronic[0],
            purpose="编写同类项目方案 / Preparing a similar project",
            due_date=today + dt.timedelta(days=10),
        )
        services.loan_decide(loan=loan, actor=pmo, approve=True)
        services.loan_lend(loan=loan, actor=pmo, days=7)
        services.loan_request(
            actor=pm,
            record=electronic[-1],
            purpose="审计抽查 / Audit sample",
            due_date=today + dt.timedelta(days=7),
        )
    if paper:
        loan = services.loan_request(
            actor=pm,
            record=paper[0],
            purpose="核对施工图纸 / Checking drawings",
            due_date=today + dt.timedelta(days=3),
            electronic=False,
        )
        services.loan_decide(loan=loan, actor=pmo, approve=True)
        services.loan_lend(
            loan=loan, actor=pmo, handover_note="王建华签收原件 / Original signed for"
        )
        Loan.objects.filter(pk=loan.pk).update(due_date=today - dt.timedelta(days=4))
        if len(paper) > 1:
            loan = services.loan_request(
                actor=member,
                record=paper[1],
                purpose="查阅验收记录 / Acceptance records",
                due_date=today + dt.timedelta(days=5),
                electronic=False,
            )
            services.loan_decide(loan=loan, actor=pmo, approve=True)
            services.loan_lend(loan=loan, actor=pmo, handover_note="张浩签收 / Signed for")
            services.loan_return(loan=loan, actor=pmo, condition="intact")
