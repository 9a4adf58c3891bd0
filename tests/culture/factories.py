"""Factories of the culture area."""

import datetime as dt

import factory
from django.utils import timezone

from culture import services
from culture.models import (
    Campaign,
    Community,
    Idea,
    ImprovementIdea,
    SharingSession,
    Survey,
    SurveyQuestion,
    SurveyRound,
)
from tests.core.factories import OrgUnitFactory, PersonFactory


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    title = factory.Sequence(lambda n: f"价值驱动{n}")
    title_en = factory.Sequence(lambda n: f"Value-driven {n}")
    summary = "以交付业务价值为导向管理项目。"
    source = Idea.Source.EXTERNAL
    fit = "公司项目多为业务系统建设,价值导向能减少无效需求。"
    fit_rating = 4
    status = Idea.Status.PROMOTED


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"敏捷实践社区{n}")
    name_en = factory.Sequence(lambda n: f"Agile practice {n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SharingSession

    title = factory.Sequence(lambda n: f"风险管理分享{n}")
    title_en = factory.Sequence(lambda n: f"Risk management talk {n}")
    topic = "风险识别"
    speaker = factory.SubFactory(PersonFactory)
    org_unit = factory.LazyAttribute(lambda o: o.speaker.org_unit)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class ImprovementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImprovementIdea

    title = factory.Sequence(lambda n: f"周报模板简化{n}")
    description = "把周报字段从二十个减到十个。"
    submitted_by = factory.SubFactory(PersonFactory)
    org_unit = factory.LazyAttribute(lambda o: o.submitted_by.org_unit)


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"项目管理文化脉搏{n}")
    title_en = factory.Sequence(lambda n: f"PM culture pulse {n}")
    anonymous = True
    min_group_size = 3


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyQuestion

    survey = factory.SubFactory(SurveyFactory)
    text = factory.Sequence(lambda n: f"我所在团队重视项目管理{n}")
    order = factory.Sequence(lambda n: n)


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyRound

    survey = factory.SubFactory(SurveyFactory)
    label = factory.Sequence(lambda n: f"R{n}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=10))


def launched_campaign(actor, units, people=(), quiz=True, **fields) -> Campaign:
    """A campaign sent to ``units`` (people are created there when ``people`` is a number)."""
    campaign = services.campaign_save(
        actor=actor,
        title=fields.pop("title", "宣贯:以价值为导向"),
        message=fields.pop("message", "请阅读并确认。"),
        target_units=units,
        quiz_question="项目以什么为导向?" if quiz else "",
        quiz_options=["价值", "工期"] if quiz else [],
        quiz_answer=1 if quiz else None,
        **fields,
    )
    return services.campaign_launch(campaign=campaign, actor=actor)


def unit_with_people(n: int, parent=None, **unit):
    """A department with ``n`` active people."""
    unit = OrgUnitFactory(parent=parent, **unit)
    return unit, [PersonFactory(org_unit=unit) for _i in range(n)]
