"""The standards part of ``seed_demo``.

* best-practice sources (GB/T 37507, GB/T 37490, PMBOK, PRINCE2 …) with what was adopted;
* document templates, each with a first revision made in code (.docx / .xlsx);
* a published methodology for every demo project type: four phases closed by four
  gates, common and type-specific processes with steps and owners, required
  deliverables (some optional) linked to templates;
* version 2 of the IT methodology in review, with differences from version 1 (an agile
  iteration process, a removed deliverable, a moved gate) and two review findings;
* every demo project in scope assigned to its type's published version (three left
  out), with evidence for its due deliverables drawn per unit so that compliance rates
  differ by unit, evidence files on the pm's ERP project, one approved and one pending
  tailoring request;
* change requests in each state, suggestions for the system, and a decided tool
  evaluation with two evaluators.

Rows are looked up by natural keys (codes, titles) before they are written, so a second
run writes nothing; draws come from ``demo.rng("standards")``.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from pmo.core.models import Project
from standards import compliance as rules
from standards import services
from standards.demo import catalogue as c
from standards.demo import files
from standards.models import (
    BestPracticeSource,
    ChangeRequest,
    DocumentTemplate,
    Methodology,
    MethodologyVersion,
    ProjectMethodology,
    Suggestion,
    TailoringRequest,
    ToolEvaluation,
)
from standards.selectors.compliance import COMPLIANCE_STAGES

DOCS_SITE = "https://docs.huachen.example"


def seed(demo) -> None:
    pmo = demo.users["pmo"]
    sources = _sources(demo, pmo)
    templates = _templates(demo, pmo)
    published = {}
    for type_code, ptype in demo.project_types.items():
        if type_code in c.TYPE_EXTRAS:
            published[type_code] = _methodology(demo, pmo, ptype, sources, templates)
    if "it" in published:
        _it_version_two(demo, pmo, published["it"])
    _projects(demo, published)
    _changes(demo, published)
    _suggestions(demo)
    _tool_evaluation(demo)


def _role(demo, code: str):
    return demo.roles.get(code) if code else None


def _sources(demo, pmo) -> list[BestPracticeSource]:
    found = {s.code: s for s in BestPracticeSource.objects.all()}
    for order, (code, name, name_en, kind, publisher, year, adoption, note) in enumerate(
        c.SOURCES, start=1
    ):
        if code not in found:
            found[code] = services.source_save(
                code=code,
                name=name,
                name_en=name_en,
                kind=kind,
                publisher=publisher,
                year=year,
                adoption=adoption,
                adoption_note=note,
                sort_order=order,
                actor=pmo,
            )
            demo.created["best-practice sources"] += 1
    return [found[row[0]] for row in c.SOURCES]


def _templates(demo, pmo) -> dict[str, DocumentTemplate]:
    found = {t.code: t for t in DocumentTemplate.objects.all()}
    for code, name, name_en, kind, parts in c.TEMPLATES:
        if code in found:
            continue
        template = services.template_save(code=code, name=name, name_en=name_en, actor=pmo)
        data = files.docx(name, parts) if kind == "docx" else files.xlsx(name, parts)
        services.template_revision_upload(
            template=template,
            upload=SimpleUploadedFile(f"{code}.{kind}", data),
            change_note="首次发布",
            actor=pmo,
        )
        found[code] = template
        demo.created["document templates"] += 1
    return found


def _methodology(demo, pmo, ptype, sources, templates) -> MethodologyVersion:
    code, name, name_en, processes, deliverables = c.TYPE_EXTRAS[ptype.code]
    methodology = Methodology.objects.filter(code=code).first()
    if methodology is not None:
        return methodology.versions.filter(number=1).first()
    methodology = services.methodology_save(
        code=code,
        name=name,
        name_en=name_en,
        project_type=ptype,
        description=f"{ptype.name}类项目从立项到关闭的阶段、关口、过程与必需交付物。",
        owner=demo.person("pmo"),
        actor=pmo,
    )
    version = methodology.versions.get()
    services.methodology_version_update(
        version=version,
        change_summary="首次发布。",
        sources=[s for s in sources if s.adoption in ("adopted", "partly")],
        actor=pmo,
    )
    _content(
        demo,
        pmo,
        version,
        c.COMMON_PROCESSES + processes,
        c.COMMON_DELIVERABLES + deliverables,
        templates,
    )
    services.methodology_version_submit(version=version, actor=pmo)
    services.methodology_version_publish(version=version, note="经PMO评审发布。", actor=pmo)
    demo.created["methodologies"] += 1
    return version


def _content(demo, pmo, version, processes, deliverables, templates) -> None:
    phases, gates, owned = {}, {}, {}
    for order, (pcode, pname, pname_en, gcode, gname, gname_en, stage, position, body) in enumerate(
        c.LIFECYCLE, start=1
    ):
        phases[pcode] = services.phase_save(
            version=version, code=pcode, name=pname, name_en=pname_en, sort_order=order, actor=pmo
        )
        gates[gcode] = services.gate_save(
            version=version,
            code=gcode,
            name=gname,
            name_en=gname_en,
            phase=phases[pcode],
            sort_order=order,
            due_stage=stage,
            position_percent=position,
            decision_body=body,
            actor=pmo,
        )
    phase_order = [row[0] for row in c.LIFECYCLE]
    ordered = sorted(processes, key=lambda row: phase_order.index(row[1]))
    for order, (code, phase, name, name_en, role, responsibility, steps) in enumerate(
        ordered, start=1
    ):
        process = services.process_save(
            version=version,
            code=code,
            name=name,
            name_en=name_en,
            phase=phases[phase],
            sort_order=order,
            owner_role=_role(demo, role),
            owner_responsibility=responsibility,
            inputs=c.INPUTS.get(code, ""),
            outputs="、".join(d[3] for d in deliverables if d[2] == code),
            actor=pmo,
        )
        for step_order, (step, step_en, step_role, step_resp) in enumerate(steps, start=1):
            services.process_step_save(
                process=process,
                sort_order=step_order,
                name=step,
                name_en=step_en,
                owner_role=_role(demo, step_role),
                responsibility=step_resp,
                actor=pmo,
            )
        owned[code] = process
    for order, (code, gate, process, name, name_en, template, optional) in enumerate(
        deliverables, start=1
    ):
        services.deliverable_save(
            version=version,
            code=code,
            name=name,
            name_en=name_en,
            gate=gates[gate],
            process=owned[process],
            template=templates.get(template),
            is_optional=optional,
            sort_order=order * 10,
            actor=pmo,
        )


def _it_version_two(demo, pmo, v1: MethodologyVersion) -> None:
    """Version 2 of the IT methodology, in review: what the lessons asked for."""
    methodology = v1.methodology
    if methodology.versions.filter(number=2).exists():
        return
    v2 = services.methodology_version_create(
        methodology=methodology,
        based_on=v1,
        change_summary="增加敏捷迭代过程；取消单独的上线方案；计划评审关口提前到计划工期的10%。",
        actor=pmo,
    )
    execution = v2.phases.get(code="EXEC")
    agile = services.process_save(
        version=v2,
        code="P-AGILE",
        name="迭代管理",
        name_en="Iteration management",
        phase=execution,
        sort_order=7,
        owner_role=_role(demo, "pm"),
        inputs=c.INPUTS["P-AGILE"],
        outputs="迭代计划、迭代评审记录",
        actor=pmo,
    )
    for order, (name, name_en, role, responsibility) in enumerate(
        [
            ("迭代计划会", "Iteration planning", "pm", ""),
            ("每日站会", "Daily stand-up", "developer", ""),
            ("迭代评审与回顾", "Review and retrospective", "", ""),  # no owner: a finding
        ],
        start=1,
    ):
        services.process_step_save(
            process=agile,
            sort_order=order,
            name=name,
            name_en=name_en,
            owner_role=_role(demo, role),
            responsibility=responsibility,
            actor=pmo,
        )
    acceptance = v2.gates.get(code="G3")
    services.deliverable_save(
        version=v2,
        code="D-ITER",
        name="测试报告",  # also required from P-DEV in this phase: a duplication
        name_en="Test report",
        gate=acceptance,
        process=agile,
        is_optional=True,
        sort_order=95,
        actor=pmo,
    )
    services.version_part_delete(part=v2.deliverables.get(code="D-GOLIVE"), actor=pmo)
    build = v2.processes.get(code="P-DEV")
    services.process_save(
        version=v2,
        process=build,
        code=build.code,
        name=build.name,
        name_en=build.name_en,
        phase=build.phase,
        sort_order=build.sort_order,
        owner_role=build.owner_role,
        inputs=build.inputs,
        outputs="测试报告",
        actor=pmo,
    )
    plan_gate = v2.gates.get(code="G2")
    services.gate_save(
        version=v2,
        gate=plan_gate,
        code="G2",
        name=plan_gate.name,
        name_en=plan_gate.name_en,
        phase=plan_gate.phase,
        sort_order=plan_gate.sort_order,
        due_stage=plan_gate.due_stage,
        position_percent=10,
        decision_body=plan_gate.decision_body,
        actor=pmo,
    )
    services.methodology_version_submit(version=v2, actor=pmo)
    demo.created["methodology versions in review"] += 1


def _projects(demo, published: dict[str, MethodologyVersion]) -> None:
    rng = demo.rng("standards")
    pmo = demo.users["pmo"]
    assigned = set(ProjectMethodology.objects.values_list("project_id", flat=True))
    projects = sorted(
        (
            p
            for p in demo.projects.values()
            if p.stage in COMPLIANCE_STAGES and p.project_type is not None
        ),
        key=lambda p: p.code,
    )
    for project in projects:
        draws = [rng.random() for _ in range(20)]  # the same draws whatever is skipped
        version = published.get(project.project_type.code)
        if version is None or project.code in c.UNASSIGNED or project.pk in assigned:
            continue
        services.project_methodology_assign(project=project, version=version, actor=pmo)
        demo.created["projects following a methodology"] += 1
        _evidence(demo, project, version, draws)
    _tailoring(demo)


def _evidence(demo, project: Project, version: MethodologyVersion, draws: list[float]) -> None:
    chance = c.PRESENCE.get(project.org_unit.code, c.DEFAULT_PRESENCE)
    manager = project.manager.user if project.manager and project.manager.user else None
    actor = manager or demo.users["pmo"]
    items = version.deliverables.select_related("gate").order_by("gate__sort_order", "sort_order")
    for index, item in enumerate(items):
        planned = rules.gate_planned_date(
            project.planned_start, project.planned_finish, item.gate.position_percent
        )
        due = rules.gate_is_due(
            project_stage=project.stage,
            due_stage=item.gate.due_stage,
            planned_date=planned,
            today=demo.today,
        )
        if not due or draws[index % len(draws)] > chance:
            continue
        upload = None
        if project.code == c.SHOWCASE_PROJECT:
            upload = SimpleUploadedFile(
                f"{project.code}-{item.code}.pdf", files.pdf(f"{project.code} {item.code}")
            )
        services.deliverable_record_submit(
            project=project,
            deliverable=item,
            upload=upload,
            link="" if upload else f"{DOCS_SITE}/{project.code}/{item.code}",
            actor=actor,
        )
        demo.created["deliverable records"] += 1


def _tailoring(demo) -> None:
    pmo = demo.users["pmo"]
    for (code, deliverables, reason), approve in (
        (c.APPROVED_TAILORING, True),
        (c.PENDING_TAILORING, False),
    ):
        project = demo.projects.get(code)
        assignment = ProjectMethodology.objects.filter(project=project).first()
        if project is None or assignment is None:
            continue
        if TailoringRequest.objects.filter(project=project).exists():
            continue
        items = list(
            assignment.version.deliverables.filter(code__in=deliverables, is_optional=True)
        )
        actor = project.manager.user if project.manager and project.manager.user else pmo
        request = services.tailoring_request_submit(
            project=project, deliverables=items, reason=reason, actor=actor
        )
        if approve:
            services.tailoring_request_decide(
                request=request, approve=True, note="同意，按周报与合同变更流程执行。", actor=pmo
            )
        demo.created["tailoring requests"] += 1


def _changes(demo, published: dict[str, MethodologyVersion]) -> None:
    if ChangeRequest.objects.exists() or "it" not in published:
        return
    pmo = demo.users["pmo"]
    methodology = published["it"].methodology
    review = methodology.versions.filter(status=MethodologyVersion.Status.REVIEW).first()
    for (
        title,
        description,
        why,
        affected,
        source,
        reference,
        priority,
        raiser,
        status,
        note,
    ) in c.CHANGES:
        request = services.change_request_raise(
            methodology=methodology,
            title=title,
            description=description,
            rationale=why,
            affected=affected,
            source=source,
            source_reference=reference,
            priority=priority,
            actor=demo.users[raiser],
        )
        if status != ChangeRequest.Status.SUBMITTED:
            services.change_request_triage(
                request=request,
                status=status,
                note=note,
                implemented_in=review if status == ChangeRequest.Status.ACCEPTED else None,
                actor=pmo,
            )
        demo.created["change requests"] += 1


def _suggestions(demo) -> None:
    if Suggestion.objects.exists():
        return
    pmo = demo.users["pmo"]
    for title, description, area, author, status, response in c.SUGGESTIONS:
        suggestion = services.suggestion_submit(
            title=title, description=description, area=area, actor=demo.users[author]
        )
        if response:
            services.suggestion_respond(
                suggestion=suggestion, status=status, response=response, actor=pmo
            )
        demo.created["suggestions"] += 1


def _tool_evaluation(demo) -> None:
    if ToolEvaluation.objects.filter(title=c.TOOL_EVALUATION).exists():
        return
    pmo = demo.users["pmo"]
    evaluators = [demo.users[name] for name in c.TOOL_SCORES]
    evaluation = services.tool_evaluation_save(
        title=c.TOOL_EVALUATION, purpose=c.TOOL_PURPOSE, evaluators=evaluators, actor=pmo
    )
    criteria = [
        services.tool_criterion_save(
            evaluation=evaluation,
            name=name,
            description=description,
            weight=weight,
            sort_order=order,
            actor=pmo,
        )
        for order, (name, description, weight) in enumerate(c.TOOL_CRITERIA, start=1)
    ]
    candidates = [
        services.tool_candidate_save(
            evaluation=evaluation, name=name, vendor=vendor, annual_cost=cost, actor=pmo
        )
        for name, vendor, cost in c.TOOL_CANDIDATES
    ]
    services.tool_evaluation_open(evaluation=evaluation, actor=pmo)
    for name, rows in c.TOOL_SCORES.items():
        for candidate, scores in zip(candidates, rows, strict=True):
            services.tool_scores_save(
                evaluation=evaluation,
                candidate=candidate,
                scores={cr.pk: (score, "") for cr, score in zip(criteria, scores, strict=True)},
                actor=demo.users[name],
            )
    services.tool_evaluation_decide(
        evaluation=evaluation, chosen=candidates[0], note=c.TOOL_DECISION, actor=pmo
    )
    demo.created["tool evaluations"] += 1
