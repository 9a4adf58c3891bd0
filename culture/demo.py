"""The culture part of ``seed_demo``.

* four promoted or proposed ideas with why they fit 华辰, applied in projects, lessons
  and cases across the lifecycle phases;
* two communities of practice;
* two launched campaigns with a quiz, read and acknowledged by part of their audience;
* a quarterly anonymous pulse survey with two rounds of answers (last quarter and the
  current one), so that the results page shows units and the trend;
* sharing sessions over the past year hosted by several divisions, with attendance and
  feedback, and two planned ones;
* improvement ideas in every state with votes; certification targets per division.

Rows are looked up by natural keys (titles, labels) before they are written, so a second
run writes nothing; draws come from ``demo.rng("culture")``.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from culture import services
from culture.models import (
    Attendance,
    Campaign,
    CampaignRecipient,
    CertificationTarget,
    Community,
    Idea,
    ImprovementIdea,
    ImprovementVote,
    SharingSession,
    Survey,
    SurveyAnswer,
    SurveyParticipation,
    SurveyResponse,
    SurveyRound,
)
from pmo.core.models import Person, Project

IDEAS = (
    # title, English, summary, source, reference, fit, rating, status, phases
    ("价值驱动的项目管理", "Value-driven project management",
     "以业务价值而不是工作量衡量项目:立项讲清收益,执行中按价值排序需求,收尾核对收益。",
     "external", "PMBOK 第七版 价值交付系统",
     "集团数字化项目多、预算紧,按价值排序能砍掉低价值需求;需要与财务部共同定义收益口径。",
     5, "promoted", ("initiation", "planning", "execution", "closing")),
    ("风险前移:每周风险评审", "Risks first: a weekly risk review",
     "每周例会先看风险和问题,再看进度;风险登记册有负责人和应对期限。",
     "internal", "数字科技事业部 2023 年经验",
     "以往重大项目延期多因风险发现晚;周报已经有风险栏,只需把评审放到例会前半段。",
     4, "promoted", ("planning", "execution")),
    ("敏捷迭代与阶段关口并行", "Agile iterations inside stage gates",
     "研发类项目在关口之间按两周迭代交付,关口仍审查商业论证与风险。",
     "external", "PRINCE2 Agile",
     "研发中心需求变化快,但集团治理要求关口审批;两者结合不必改变审批流程。",
     4, "promoted", ("planning", "execution")),
    ("项目复盘文化", "A culture of retrospectives",
     "每个项目收尾和每个里程碑后做无责复盘,结论进经验教训库。",
     "external", "Google SRE 无责复盘",
     "制造运营事业部层级较多,需要先由管理者示范无责讨论,再推广。",
     3, "proposed", ("closing",)),
)  # fmt: skip

COMMUNITIES = (
    ("敏捷实践社区", "Agile practice community", "研发与信息化项目经理交流迭代与看板实践。"),
    ("风险管理社区", "Risk management community", "分享风险识别、评估与应对的实际案例。"),
)

CAMPAIGNS = (
    # title, English, idea index, units, message, quiz, options, answer, days ago, ack share
    ("宣贯:价值驱动的项目管理", "Campaign: value-driven project management", 0,
     ("HC-DT",), "各位同事:自本季度起,立项申请须写明预期收益和衡量方法,需求按价值排序。请阅读附件说明并确认。",
     "立项申请中必须写明什么?", ("预期收益及其衡量方法", "团队成员名单", "采购清单"), 1, 40, 0.75),
    ("宣贯:风险前移", "Campaign: risks first", 1,
     ("HC-MO", "HC-PMO"), "每周例会前半段评审风险和问题,风险登记册每项要有负责人和应对期限。",
     "", (), None, 12, 0.45),
)  # fmt: skip

SURVEY_QUESTIONS = (
    (
        "我的上级重视并推动项目管理文化建设。",
        "My manager values and drives project management culture.",
    ),
    ("我清楚公司倡导的项目管理理念。", "I know the project management ideas the company promotes."),
    ("团队会主动分享项目经验。", "My team shares project experience of its own accord."),
    (
        "我获得的项目管理培训系统且充分。",
        "The project management training I get is systematic and sufficient.",
    ),
    (
        "我们比一年前更早发现和应对项目风险。",
        "We find and address project risks earlier than a year ago.",
    ),
)

SESSIONS = (
    # title, English, topic, division unit code, months ago, community index or None
    ("ERP 上线的十个教训", "Ten lessons from the ERP go-live", "上线切换与数据迁移", "HC-IT", 11, None),
    ("用挣值管理看懂项目健康", "Reading project health with earned value", "挣值管理", "HC-PMO", 10, None),
    ("看板在研发中的实践", "Kanban in R&D", "看板方法", "HC-RD", 9, 0),
    ("供应商风险怎么管", "Managing supplier risk", "供应商风险", "HC-SCM", 8, 1),
    ("产线改造项目的进度控制", "Schedule control in line upgrades", "进度控制", "HC-MFG", 7, None),
    ("数据项目的需求管理", "Requirements in data projects", "需求管理", "HC-DATA", 6, 0),
    ("基建项目安全与质量", "Safety and quality on site", "质量管理", "HC-CON", 5, 1),
    ("迭代评审怎么开才有效", "Iteration reviews that work", "敏捷评审", "HC-RD", 4, 0),
    ("营销活动项目的收益衡量", "Measuring campaign benefits", "收益管理", "HC-MKT", 3, None),
    ("重大项目风险评审实录", "A major project's risk review", "风险评审", "HC-IT", 2, 1),
    ("质量体系改进项目复盘", "Retrospective of the quality system project", "项目复盘", "HC-QA", 1, None),
    ("如何写好项目周报", "Writing a good weekly status report", "状态报告", "HC-PMO", 0, None),
)  # fmt: skip
PLANNED = (
    ("项目经理的沟通技巧", "Communication skills for project managers", "沟通管理", "HC-PMO", 10),
    ("AI 辅助项目计划", "AI-assisted project planning", "计划编制", "HC-DATA", 24),
)

IMPROVEMENTS = (
    # title, description, benefit, status, outcome, votes
    ("周报模板字段精简", "周报模板有二十多个字段,很多项目只填一半,建议保留十个关键字段。",
     "每周少花半小时", "implemented", "已在 PMO 周报模板 V3 中精简为 11 个字段,自 3 月起使用。", 14),
    ("立项评审会材料提前三天下发", "评审专家常在会上才看到材料,建议提前三天发。", "评审更充分",
     "accepted", "PMO 已纳入评审流程,下月起执行。", 9),
    ("项目经理轮岗交流", "各事业部项目经理每年轮岗一个项目,交流方法。", "跨部门经验流动",
     "under_review", "", 6),
    ("经验教训库按关键词订阅", "希望能订阅某类经验教训,有新的就收到通知。", "经验复用更及时",
     "submitted", "", 4),
    ("所有项目强制使用甘特图", "要求每个项目都用甘特图排计划。", "计划统一",
     "rejected", "敏捷项目以迭代计划为主,不宜强制甘特图;保留为推荐做法。", 1),
)  # fmt: skip

TARGETS = (("HC-DT", ("PMP", "RK_SENIOR"), 60), ("HC-MO", ("PMP", "RK_SENIOR"), 40),
           ("HC", ("PMP", "PGMP", "IPMP", "PRINCE2", "RK_SENIOR"), 50))  # fmt: skip


def seed(demo) -> None:
    pmo = demo.users["pmo"]
    ideas = _ideas(demo, pmo)
    communities = _communities(demo, pmo)
    _campaigns(demo, pmo, ideas)
    _survey(demo, pmo)
    _sessions(demo, pmo, communities)
    _improvements(demo, pmo)
    _targets(demo, pmo)


def _people_under(demo, code: str) -> list[Person]:
    unit = demo.units[code]
    return list(
        Person.objects.filter(org_unit__path__startswith=unit.path, is_active=True).order_by(
            "employee_no"
        )
    )


def _ideas(demo, pmo) -> list[Idea]:
    found = {i.title: i for i in Idea.objects.filter(title__in=[r[0] for r in IDEAS])}
    projects = list(
        Project.objects.filter(code__startswith="HC-PRJ-", is_program=False).order_by("code")[:12]
    )
    rng = demo.rng("culture:ideas")
    for title, title_en, summary, source, ref, fit, rating, status, phases in IDEAS:
        if title in found:
            continue
        idea = services.idea_save(
            actor=pmo,
            title=title,
            title_en=title_en,
            summary=summary,
            source=source,
            source_reference=ref,
            fit=fit,
            fit_rating=rating,
            status=status,
            owner=demo.person("pmo"),
        )
        found[title] = idea
        demo.created["culture ideas"] += 1
        for phase in phases:
            for project in rng.sample(projects, k=min(len(projects), rng.randint(1, 3))):
                services.idea_practice_add(
                    actor=pmo,
                    idea=idea,
                    phase=phase,
                    project=project,
                    note=f"{project.name}:{title}用于{_PHASE_ZH[phase]}阶段。",
                )
        _link_knowledge(demo, pmo, idea, phases)
    return [found[r[0]] for r in IDEAS]


_PHASE_ZH = {"initiation": "立项", "planning": "规划", "execution": "执行", "closing": "收尾"}


def _link_knowledge(demo, pmo, idea, phases) -> None:
    from knowledge.models import Case, Lesson

    lesson = Lesson.objects.filter(phase__in=phases).order_by("pk").first()
    if lesson is not None:
        services.idea_practice_add(
            actor=pmo, idea=idea, phase=lesson.phase, lesson=lesson, note="经验教训印证了这一理念。"
        )
    case = Case.objects.order_by("pk").first()
    if case is not None and "closing" in phases:
        services.idea_practice_add(
            actor=pmo, idea=idea, phase="closing", case=case, note="案例复盘中应用。"
        )


def _communities(demo, pmo) -> list[Community]:
    found = {c.name: c for c in Community.objects.all()}
    rng = demo.rng("culture:communities")
    pool = _people_under(demo, "HC-DT") + _people_under(demo, "HC-MO")
    for name, name_en, description in COMMUNITIES:
        if name in found:
            continue
        members = rng.sample(pool, k=min(len(pool), 12))
        community = services.community_save(
            actor=pmo, name=name, name_en=name_en, description=description, lead=members[0]
        )
        community.members.set(members)
        found[name] = community
        demo.created["culture communities"] += 1
    return [found[r[0]] for r in COMMUNITIES]


def _campaigns(demo, pmo, ideas) -> None:
    existing = set(Campaign.objects.values_list("title", flat=True))
    rng = demo.rng("culture:campaigns")
    now = timezone.now()
    for title, title_en, idea_i, units, message, quiz, options, answer, days, share in CAMPAIGNS:
        if title in existing:
            continue
        campaign = services.campaign_save(
            actor=pmo,
            title=title,
            title_en=title_en,
            idea=ideas[idea_i],
            message=message,
            target_units=[demo.units[c] for c in units],
            quiz_question=quiz,
            quiz_options=options,
            quiz_answer=answer,
            due_on=(now - dt.timedelta(days=days - 14)).date(),
        )
        campaign = services.campaign_launch(campaign=campaign, actor=pmo)
        launched = now - dt.timedelta(days=days)
        Campaign.objects.filter(pk=campaign.pk).update(launched_at=launched)
        recipients = list(campaign.recipients.order_by("pk"))
        updates = []
        for r in recipients:
            draw = rng.random()
            if draw < share + 0.15:
                r.read_at = launched + dt.timedelta(hours=rng.randint(1, 72))
            if draw < share:
                r.acknowledged_at = r.read_at + dt.timedelta(minutes=rng.randint(2, 90))
                if campaign.has_quiz:
                    r.quiz_choice = 1 if rng.random() < 0.85 else 2
                    r.quiz_correct = r.quiz_choice == answer
            updates.append(r)
        CampaignRecipient.objects.bulk_update(
            updates, ["read_at", "acknowledged_at", "quiz_choice", "quiz_correct"]
        )
        demo.created["culture campaigns"] += 1


def _quarter_start(day: dt.date, back: int) -> dt.date:
    q = (day.month - 1) // 3 - back
    year = day.year + q // 4
    return dt.date(year, (q % 4) * 3 + 1, 1)


def _survey(demo, pmo) -> None:
    title = "项目管理文化脉搏调查"
    if Survey.objects.filter(title=title).exists():
        return
    survey = services.survey_save(
        actor=pmo,
        title=title,
        title_en="Project management culture pulse",
        description="每季度一次,五道题,约两分钟。匿名填写。",
        anonymous=True,
        min_group_size=5,
        cadence=Survey.Cadence.QUARTERLY,
    )
    questions = [
        services.survey_question_save(actor=pmo, survey=survey, text=zh, text_en=en, order=i)
        for i, (zh, en) in enumerate(SURVEY_QUESTIONS, start=1)
    ]
    services.survey_question_save(
        actor=pmo,
        survey=survey,
        text="您对项目管理文化建设还有什么建议?",
        text_en="What else would improve our project management culture?",
        kind="text",
        required=False,
        order=len(questions) + 1,
    )
    today = demo.today
    rng = demo.rng("culture:survey")
    people = list(Person.objects.filter(is_active=True).order_by("employee_no"))
    for back, share, lift in ((1, 0.7, 0.0), (0, 0.55, 0.35)):
        opens = _quarter_start(today, back) + dt.timedelta(days=14 if back else 0)
        closes = opens + dt.timedelta(days=21)
        if not back:  # the current round is still open, so the demo can answer it
            closes = max(closes, today + dt.timedelta(days=7))
        label = f"{opens.year} Q{(opens.month - 1) // 3 + 1}"
        survey_round = SurveyRound.objects.create(
            survey=survey, label=label, opens_on=opens, closes_on=closes, notified_at=timezone.now()
        )
        answering = [p for p in people if rng.random() < share]
        SurveyParticipation.objects.bulk_create(
            [SurveyParticipation(round=survey_round, person=p) for p in answering]
        )
        responses, answers = [], []
        # Shuffled, so that the order of the answers says nothing of who answered.
        rng.shuffle(answering)
        for person in answering:
            answered_on = min(today, opens + dt.timedelta(days=rng.randint(0, 20)))
            response = SurveyResponse(
                round=survey_round, org_unit_id=person.org_unit_id, answered_on=answered_on
            )
            responses.append(response)
            base = 3.0 + lift + (0.5 if person.org_unit.code.startswith(("HC-IT", "HC-RD")) else 0)
            for question in questions:
                value = round(base + rng.uniform(-1.4, 1.4))
                answers.append(
                    SurveyAnswer(response=response, question=question, value=min(5, max(1, value)))
                )
        SurveyResponse.objects.bulk_create(responses)
        SurveyAnswer.objects.bulk_create(answers)
    demo.created["culture survey rounds"] += 2


def _sessions(demo, pmo, communities) -> None:
    existing = set(SharingSession.objects.values_list("title", flat=True))
    rng = demo.rng("culture:sessions")
    now = timezone.localtime()
    everyone = list(Person.objects.filter(is_active=True).order_by("employee_no"))
    from knowledge.models import Lesson

    lessons = list(Lesson.objects.order_by("pk")[:6])
    attendances = []
    for title, title_en, topic, code, months, community_i in SESSIONS:
        if title in existing:
            continue
        unit = demo.units[code]
        speakers = _people_under(demo, code) or everyone
        when = (now - dt.timedelta(days=30 * months + rng.randint(3, 20))).replace(
            hour=15, minute=0, second=0, microsecond=0
        )
        session = services.session_save(
            actor=pmo,
            title=title,
            title_en=title_en,
            topic=topic,
            community=communities[community_i] if community_i is not None else None,
            speaker=unit.head or speakers[rng.randrange(len(speakers))],
            org_unit=unit,
            starts_at=when,
            duration_minutes=rng.choice((45, 60, 90)),
            location=rng.choice(("总部 3 楼大会议室", "线上会议", "研发中心报告厅")),
            description=f"{topic}的实践分享与讨论。",
            status=SharingSession.Status.HELD,
            lessons=rng.sample(lessons, k=min(2, len(lessons))),
        )
        for person in rng.sample(everyone, k=min(len(everyone), rng.randint(8, 22))):
            rated = rng.random() < 0.6
            attendances.append(
                Attendance(
                    session=session,
                    person=person,
                    attended=rng.random() < 0.85,
                    rating=rng.choice((3, 4, 4, 5, 5)) if rated else None,
                    feedback=rng.choice(("很实用", "案例生动", "希望多些时间讨论", ""))
                    if rated
                    else "",
                )
            )
        demo.created["culture sessions"] += 1
    for title, title_en, topic, code, days in PLANNED:
        if title in existing:
            continue
        unit = demo.units[code]
        speakers = _people_under(demo, code) or everyone
        session = services.session_save(
            actor=pmo,
            title=title,
            title_en=title_en,
            topic=topic,
            speaker=speakers[0],
            org_unit=unit,
            starts_at=(now + dt.timedelta(days=days)).replace(
                hour=15, minute=0, second=0, microsecond=0
            ),
            location="总部 3 楼大会议室",
            capacity=40,
        )
        for person in rng.sample(everyone, k=min(len(everyone), 9)):
            attendances.append(Attendance(session=session, person=person))
        member = demo.person("member")
        if not any(a.session_id == session.pk and a.person_id == member.pk for a in attendances):
            attendances.append(Attendance(session=session, person=member))
        demo.created["culture sessions"] += 1
    Attendance.objects.bulk_create(attendances, ignore_conflicts=True)


def _improvements(demo, pmo) -> None:
    existing = set(ImprovementIdea.objects.values_list("title", flat=True))
    rng = demo.rng("culture:improvements")
    everyone = list(Person.objects.filter(is_active=True).order_by("employee_no"))
    authors = [demo.person("pm"), demo.person("member"), demo.person("pm2")]
    for i, (title, description, benefit, status, outcome, votes) in enumerate(IMPROVEMENTS):
        if title in existing:
            continue
        author = authors[i % len(authors)]
        idea = ImprovementIdea(
            title=title,
            description=description,
            expected_benefit=benefit,
            submitted_by=author,
            org_unit=author.org_unit,
        )
        idea.full_clean()
        idea.save()
        ImprovementVote.objects.bulk_create(
            [ImprovementVote(idea=idea, person=p) for p in rng.sample(everyone, k=votes)]
        )
        path = {
            "under_review": ("under_review",),
            "accepted": ("accepted",),
            "implemented": ("accepted", "implemented"),
            "rejected": ("rejected",),
        }.get(status, ())
        for step in path:
            services.improvement_decide(idea=idea, actor=pmo, status=step, outcome=outcome)
        demo.created["culture improvement ideas"] += 1


def _targets(demo, pmo) -> None:
    if CertificationTarget.objects.exists():
        return
    year_end = dt.date(demo.today.year, 12, 31)
    for code, certificates, percent in TARGETS:
        services.certification_target_save(
            actor=pmo,
            org_unit=demo.units[code],
            codes=certificates,
            target_percent=percent,
            due_on=year_end,
            note="年度认证目标",
        )
    demo.created["culture certification targets"] += len(TARGETS)
