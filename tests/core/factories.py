"""Factories of the core model."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from pmo.core.models import (
    OrgUnit,
    Person,
    Project,
    ProjectMember,
    ProjectType,
    ResourceDemand,
    Role,
    Stage,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "Secret-pass-123")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get_or_create(name=name)[0])
        if create:
            self.save()


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"部门{n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")
    kind = OrgUnit.Kind.DEPARTMENT
    path = "/"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from pmo.core.services import orgunit_save

        kwargs.pop("path", None)
        return orgunit_save(**kwargs)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"role{n}")
    name = factory.Sequence(lambda n: f"角色{n}")
    name_en = factory.Sequence(lambda n: f"Role {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"员工{n}")
    name_en = factory.Sequence(lambda n: f"Employee {n}")
    employee_no = factory.Sequence(lambda n: f"E{n:05d}")
    email = factory.LazyAttribute(lambda p: f"{p.employee_no.lower()}@example.com")
    org_unit = factory.SubFactory(OrgUnitFactory)
    role = factory.SubFactory(RoleFactory)
    weekly_capacity_hours = Decimal("40")
    cost_rate = Decimal("300")


class ProjectTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectType
        django_get_or_create = ("code",)

    code = "it"
    name = "信息化项目"
    name_en = "IT project"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"P{n:04d}")
    name = factory.Sequence(lambda n: f"项目{n}")
    name_en = factory.Sequence(lambda n: f"Project {n}")
    org_unit = factory.SubFactory(OrgUnitFactory)
    project_type = factory.SubFactory(ProjectTypeFactory)
    manager = factory.SubFactory(PersonFactory)
    stage = Stage.ACTIVE
    planned_start = dt.date(2026, 1, 1)
    planned_finish = dt.date(2026, 12, 31)
    budget = Decimal("1200000")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from pmo.core.services import project_create

        return project_create(actor=None, **kwargs)


class ProjectMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectMember

    project = factory.SubFactory(ProjectFactory)
    person = factory.SubFactory(PersonFactory)
    project_role = ProjectMember.ProjectRole.MEMBER
    allocation_percent = 50


class ResourceDemandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceDemand

    project = factory.SubFactory(ProjectFactory)
    role = factory.SubFactory(RoleFactory)
    month = dt.date(2026, 3, 1)
    hours = Decimal("80")
