"""The evaluation part of ``seed_demo``.

* both preset schemes, each with a version 2 narrowed to the major and key projects
  (post-evaluation) or the major ones (P3M3);
* two finished cycles of each scheme with self-assessments, two experts per project
  (without conflicts of interest), calibrated disagreements and published results, so
  that grade distributions, weaknesses and the maturity trend show a change;
* an open post-evaluation cycle with self-assessments in progress and a few expert
  scores, one pending appeal on the last published cycle;
* improvement actions with quantified targets and follow-up checks, one asking for a
  training and one linked to a standards change request.

Rows are looked up by natural keys (codes) first, so a second run writes nothing; draws
come from ``demo.rng("evaluation")``.
"""

from __future__ import annotations

import datetime as dt
import zlib
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from evaluation import services
from evaluation.models import (
    Criterion,
    Cycle,
    Evaluation,
    ImprovementAction,
    PanelAssignment,
    Scheme,
    SchemeVersion,
)
from pmo.core import roles
from pmo.core.models import Person
from pmo.core.services import person_save

EXPERTS = (
    # username, unit whose first person without a login becomes the expert
    ("expert_qa", "HC-QA"),
    ("expert_fin", "HC-FIN"),
)


def seed(demo) -> None:
    pmo = demo.users["pmo"]
    experts = [demo.users["reviewer"], *_experts(demo)]
    post = services.preset_install(key="post_evaluation", actor=pmo)
    p3m3 = services.preset_install(key="p3m3", actor=pmo)
    post_v2 = _narrowed(post, pmo, ["major", "key"], "仅评价重大和重点项目")
    p3m3_v2 = _narrowed(p3m3, pmo, ["major"], "成熟度评估覆盖重大项目")
    today = demo.today
    rng = demo.rng("evaluation")
    half = dt.timedelta(days=182)
    for scheme_code, version, name, name_en, code_prefix in (
        ("POST-EVAL", post_v2, "项目后评价", "Post-evaluation", "PE"),
        ("P3M3", p3m3_v2, "成熟度评估", "Maturity assessment", "MM"),
    ):
        for index, level in ((1, 0.0), (2, 0.35)):
            end = today - half * (3 - index) + dt.timedelta(days=0)
            start = end - half + dt.timedelta(days=1)
            code = f"{code_prefix}-{end.year}-{'H1' if end.month <= 6 else 'H2'}"
            label = f"{end.year}年{'上' if end.month <= 6 else '下'}半年{name}"
            label_en = f"{name_en} {end.year} {'H1' if end.month <= 6 else 'H2'}"
            _finished_cycle(
                demo,
                rng,
                version,
                code,
                label,
                label_en,
                start,
                end,
                level,
                experts,
                pmo,
                appeal=(scheme_code == "POST-EVAL" and index == 2),
            )
    _open_cycle(demo, rng, post_v2, experts, pmo)
    _actions(demo, pmo)


def _experts(demo) -> list:
    """Two more expert reviewers (people of quality and finance with a login)."""
    user_model = get_user_model()
    group = Group.objects.get_or_create(name=roles.REVIEWER)[0]
    password = demo.users["reviewer"].password
    found = []
    for username, unit_code in EXPERTS:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            person = (
                Person.objects.filter(org_unit__code=unit_code, user__isnull=True, is_active=True)
                .order_by("employee_no")
                .first()
            )
            user = user_model.objects.create_user(
                username, f"{username}@example.com", password=None
            )
            user.password = password
            user.save(update_fields=["password"])
            if person is not None:
                person_save(person=person, user=user)
            demo.created["logins"] += 1
        user.groups.add(group)
        found.append(user)
    return found


def _narrowed(scheme: Scheme, actor, classifications: list[str], note: str) -> SchemeVersion:
    latest = scheme.versions.order_by("-number").first()
    if latest.number >= 2:
        return latest
    copy = services.version_copy(version=latest, actor=actor, change_note=note)
    services.version_update(version=copy, actor=actor, scope_classifications=classifications)
    return services.version_publish(version=copy, actor=actor)


def _draw(rng, base: float) -> int:
    return max(1, min(5, round(base + rng.gauss(0, 0.7))))


def _panel(evaluation: Evaluation, experts, actor, size: int = 2) -> list:
    chosen = []
    for expert in experts:
        if len(chosen) == size:
            break
        if services.conflict_reason(evaluation=evaluation, reviewer=expert) is None:
            services.panel_assign(evaluation=evaluation, reviewer=expert, actor=actor)
            chosen.append(expert)
    return chosen


def _self_assess(evaluation: Evaluation, rng, base: float, criteria, manager_user) -> None:
    scores = {
        c.pk: (_draw(rng, base + 0.4), "见项目周报、里程碑验收记录及相关会议纪要。")
        for c in criteria
    }
    services.self_assessment_save(
        evaluation=evaluation,
        scores=scores,
        summary="本期项目总体按计划推进，主要里程碑按期达成；成本控制在预算内。不足之处在于风险识别不够前置，部分周报提交滞后。",
        submit=True,
        actor=manager_user,
    )


def _score(evaluation, rng, base, criteria, chosen) -> None:
    for expert in chosen:
        assignment = evaluation.panel.get(reviewer=expert)
        scores = {c.pk: (_draw(rng, base), "") for c in criteria}
        services.expert_scores_save(assignment=assignment, scores=scores, submit=True, actor=expert)


def _finished_cycle(
    demo, rng, version, code, name, name_en, start, end, level, experts, pmo, appeal
):
    if Cycle.objects.filter(code=code).exists():
        return
    cycle = services.cycle_create(
        version=version,
        code=code,
        name=name,
        name_en=name_en,
        period_start=start,
        period_end=end,
        self_assessment_due=end + dt.timedelta(days=14),
        review_due=end + dt.timedelta(days=30),
        chair=pmo,
        actor=pmo,
    )
    services.cycle_open(cycle=cycle, actor=pmo)
    criteria = list(
        Criterion.objects.filter(dimension__version=version, method=Criterion.Method.SCORED)
    )
    weak = {"P3", "S2", "RM-L", "BM-L"}
    for evaluation in cycle.evaluations.select_related("project", "manager__user"):
        quality = 2.6 + level + (zlib.crc32(evaluation.project.code.encode()) % 7) / 6.0
        manager_user = (
            evaluation.manager.user if evaluation.manager and evaluation.manager.user_id else pmo
        )
        _self_assess(evaluation, rng, quality, criteria, manager_user)
        chosen = _panel(evaluation, experts, pmo)
        for expert in chosen:
            assignment = evaluation.panel.get(reviewer=expert)
            scores = {
                c.pk: (_draw(rng, quality - (0.9 if c.code in weak else 0)), "") for c in criteria
            }
            services.expert_scores_save(
                assignment=assignment, scores=scores, submit=True, actor=expert
            )
        for result in evaluation.results.filter(flagged=True, calibrated_score__isnull=True):
            middle = (Decimal(round(float(result.expert_score) * 2)) / 2).quantize(Decimal("0.1"))
            services.result_calibrate(
                result=result,
                score=middle,
                note="专家组会议讨论后取中间值，依据项目验收材料。",
                actor=pmo,
            )
        services.evaluation_finalise(
            evaluation=evaluation,
            rationale="综合项目经理自评、数据指标与两位专家的独立评分：目标达成与进度控制较好，风险与问题管理及经验总结仍需加强。",
            actor=pmo,
        )
    publish_day = end + dt.timedelta(days=40)
    services.cycle_publish(cycle=cycle, actor=pmo, today=publish_day)
    _backdate(cycle, publish_day)
    if appeal:
        pm = demo.users["pm"]
        target = cycle.evaluations.filter(manager__user=pm).order_by("score").first()
        if target is not None:
            services.appeal_submit(
                evaluation=target,
                reason="数据中心迁移期间的两次延期源于供应商设备到货推迟，已按变更流程获批，不应计入进度扣分。",
                actor=pm,
                today=publish_day + dt.timedelta(days=3),
            )
    if not appeal:
        services.cycle_close(cycle=cycle, actor=pmo)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _backdate(cycle: Cycle, publish_day: dt.date) -> None:
    """Put the timestamps of a past cycle where they happened: most self-assessments
    and expert scores before their deadlines, every seventh a few days late."""
    evaluations = list(cycle.evaluations.order_by("project__code"))
    for index, evaluation in enumerate(evaluations):
        late = index % 7 == 3
        evaluation.self_submitted_at = _at(
            cycle.self_assessment_due + dt.timedelta(days=3 if late else -2)
        )
        evaluation.finalised_at = _at(publish_day - dt.timedelta(days=5))
        evaluation.published_at = _at(publish_day)
    Evaluation.objects.bulk_update(
        evaluations, ["self_submitted_at", "finalised_at", "published_at"]
    )
    panel = list(PanelAssignment.objects.filter(evaluation__cycle=cycle).order_by("pk"))
    for index, assignment in enumerate(panel):
        late = index % 9 == 4
        assignment.submitted_at = _at(cycle.review_due + dt.timedelta(days=2 if late else -3))
    PanelAssignment.objects.bulk_update(panel, ["submitted_at"])
    Cycle.objects.filter(pk=cycle.pk).update(
        opened_at=_at(cycle.period_end + dt.timedelta(days=1)), published_at=_at(publish_day)
    )


def _open_cycle(demo, rng, version, experts, pmo):
    today = demo.today
    end = today - dt.timedelta(days=1)
    code = f"PE-{today.year}-RUN"
    if Cycle.objects.filter(code=code).exists():
        return
    cycle = services.cycle_create(
        version=version,
        code=code,
        name=f"{today.year}年度项目后评价（进行中）",
        name_en=f"Post-evaluation {today.year} (in progress)",
        period_start=end - dt.timedelta(days=181),
        period_end=end,
        self_assessment_due=today + dt.timedelta(days=10),
        review_due=today + dt.timedelta(days=25),
        chair=pmo,
        actor=pmo,
    )
    services.cycle_open(cycle=cycle, actor=pmo)
    criteria = list(
        Criterion.objects.filter(dimension__version=version, method=Criterion.Method.SCORED)
    )
    pm = demo.users["pm"]
    for index, evaluation in enumerate(
        cycle.evaluations.select_related("project", "manager__user")
    ):
        manager_user = (
            evaluation.manager.user if evaluation.manager and evaluation.manager.user_id else None
        )
        if manager_user == pm or index % 2:
            continue  # still writing the self-assessment
        quality = 3.0 + (zlib.crc32(evaluation.project.code.encode()) % 5) / 5.0
        _self_assess(evaluation, rng, quality, criteria, manager_user or pmo)
        chosen = _panel(evaluation, experts, pmo)
        if index % 4 == 0 and chosen:
            _score(evaluation, rng, quality, criteria, chosen[:1])


def _actions(demo, pmo) -> None:
    if ImprovementAction.objects.exists():
        return
    cycle = (
        Cycle.objects.filter(code__startswith="PE-", status__in=("published", "closed"))
        .order_by("-period_end")
        .first()
    )
    version = cycle.version if cycle else None
    criteria = (
        {c.code: c for c in Criterion.objects.filter(dimension__version=version)} if version else {}
    )
    staff = demo.person("pmo_staff")
    today = demo.today
    rows = [
        {
            "title": "周报按时提交提醒与月度通报",
            "measure": "周报及时率",
            "unit": "%",
            "baseline": Decimal("72"),
            "target": Decimal("90"),
            "metric_key": "status_timeliness",
            "criterion": criteria.get("P2"),
            "owner": staff,
            "target_date": today + dt.timedelta(days=60),
            "checks": [
                (today - dt.timedelta(days=60), Decimal("76")),
                (today - dt.timedelta(days=20), Decimal("83")),
            ],
            "status": "in_progress",
        },
        {
            "title": "项目风险识别与应对专项培训",
            "measure": "风险与问题管理平均分",
            "unit": "分",
            "baseline": Decimal("2.8"),
            "target": Decimal("3.5"),
            "criterion": criteria.get("P3"),
            "owner": demo.person("pmo"),
            "target_date": today + dt.timedelta(days=90),
            "needs_training": True,
            "training_topic": "项目风险识别与应对（风险管理能力）",
            "checks": [(today - dt.timedelta(days=10), Decimal("3.0"))],
            "status": "in_progress",
        },
        {
            "title": "完善交付物模板并纳入阶段关口检查",
            "measure": "交付物合规率",
            "unit": "%",
            "baseline": Decimal("65"),
            "target": Decimal("85"),
            "metric_key": "deliverable_compliance",
            "criterion": criteria.get("P1"),
            "owner": staff,
            "target_date": today - dt.timedelta(days=5),
            "checks": [],
            "status": "planned",
            "change": True,
        },
        {
            "title": "项目经验总结纳入收尾检查清单",
            "measure": "经验总结与分享平均分",
            "unit": "分",
            "baseline": Decimal("2.5"),
            "target": Decimal("3.5"),
            "criterion": criteria.get("S2"),
            "owner": staff,
            "target_date": today - dt.timedelta(days=30),
            "checks": [(today - dt.timedelta(days=35), Decimal("3.6"))],
            "status": "done",
        },
    ]
    from standards.models import Methodology

    methodology = Methodology.objects.order_by("code").first()
    for row in rows:
        checks, status, change = row.pop("checks"), row.pop("status"), row.pop("change", False)
        criterion = row.get("criterion")
        action = services.action_save(
            actor=pmo,
            cycle=cycle,
            dimension=criterion.dimension if criterion else None,
            description="针对上期评价发现的薄弱环节制定。",
            **row,
        )
        for day, value in checks:
            services.action_check_record(
                action=action, checked_on=day, value=value, note="月度督导检查", actor=pmo
            )
        if status != "planned":
            services.action_status_set(action=action, status=status, actor=pmo)
        if change and methodology is not None:
            services.action_raise_change(action=action, methodology=methodology, actor=pmo)
    demo.created["improvement actions"] += len(rows)
