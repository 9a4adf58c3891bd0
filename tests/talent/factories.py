"""Factories of the talent area: the competency model and ladder, certificates, courses."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import factory

from talent.models import (
    CareerLevel,
    Certification,
    Competency,
    CompetencyDimension,
    Course,
    LevelRequirement,
    TrainingSession,
)


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"CERT{n}")
    name = factory.LazyAttribute(lambda o: f"{o.code} 证书")
    name_en = factory.LazyAttribute(lambda o: f"{o.code} certificate")
    validity_months = 36


class DimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyDimension

    code = factory.Sequence(lambda n: f"DIM{n}")
    name = factory.Sequence(lambda n: f"维度{n}")
    name_en = factory.Sequence(lambda n: f"Dimension {n}")


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency

    dimension = factory.SubFactory(DimensionFactory)
    code = factory.Sequence(lambda n: f"C{n}")
    name = factory.Sequence(lambda n: f"能力{n}")
    name_en = factory.Sequence(lambda n: f"Competency {n}")


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareerLevel

    code = factory.Sequence(lambda n: f"L{n}")
    rank = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"级别{n}")
    name_en = factory.Sequence(lambda n: f"Level {n}")


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"CRS-{n}")
    name = factory.Sequence(lambda n: f"课程{n}")
    name_en = factory.Sequence(lambda n: f"Course {n}")
    category = Course.Category.METHODOLOGY
    hours = Decimal(8)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    course = factory.SubFactory(CourseFactory)
    starts_on = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=14))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on)


@dataclass
class Ladder:
    competencies: list
    levels: list
    pmp: Certification
    ipmp: Certification


def ladder() -> Ladder:
    """Competencies C-A1, C-A2 (dimension A) and C-B1, C-B2 (dimension B); levels 1–3:
    level 2 asks for proficiency 3 in every competency, 2 projects, CNY 1m, 2 years
    and a PMP or IPMP; level 3 asks for 4, 4 projects, CNY 10m, 5 years, grade B."""
    pmp = CertificationFactory(code="PMP", name="PMP", name_en="PMP")
    ipmp = CertificationFactory(code="IPMP", name="IPMP", name_en="IPMP")
    a = DimensionFactory(code="A", name="技术项目管理", name_en="Ways of working", sort_order=1)
    b = DimensionFactory(code="B", name="影响力技能", name_en="Power skills", sort_order=2)
    comps = [
        CompetencyFactory(dimension=a, code="C-A1", name="进度管理", name_en="Scheduling"),
        CompetencyFactory(dimension=a, code="C-A2", name="风险管理", name_en="Risk management"),
        CompetencyFactory(dimension=b, code="C-B1", name="沟通", name_en="Communication"),
        CompetencyFactory(dimension=b, code="C-B2", name="领导力", name_en="Leadership"),
    ]
    l1 = LevelFactory(code="PC", rank=1, name="项目协调员", name_en="Project coordinator")
    l2 = LevelFactory(
        code="PM",
        rank=2,
        name="项目经理",
        name_en="Project manager",
        min_projects_managed=2,
        min_budget_managed=Decimal(1_000_000),
        min_years=Decimal(2),
        max_project_budget=Decimal(20_000_000),
    )
    l2.required_certifications.set([pmp, ipmp])
    l3 = LevelFactory(
        code="SPM",
        rank=3,
        name="高级项目经理",
        name_en="Senior project manager",
        min_projects_managed=4,
        min_budget_managed=Decimal(10_000_000),
        min_years=Decimal(5),
        min_appraisal_grade="B",
    )
    for comp in comps:
        LevelRequirement.objects.create(level=l2, competency=comp, min_proficiency=3)
        LevelRequirement.objects.create(level=l3, competency=comp, min_proficiency=4)
    return Ladder(competencies=comps, levels=[l1, l2, l3], pmp=pmp, ipmp=ipmp)
