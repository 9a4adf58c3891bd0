"""The social-benefit criteria a PMO starts with (it can change and add to them)."""

from decimal import Decimal

from django.db import migrations

CRITERIA = (
    ("employment", "就业带动", "Employment", "创造或稳定的就业岗位、技能提升", 20),
    ("environment", "环境与节能", "Environment and energy", "减少排放、能耗与废弃物", 25),
    ("safety", "安全与合规", "Safety and compliance", "降低安全事故、满足法规要求", 20),
    ("service", "客户与公众服务", "Service to customers and the public", "服务质量与可及性的提升", 20),
    ("community", "产业与社区带动", "Industry and community", "对产业链、区域与社区的带动作用", 15),
)


def add(apps, schema_editor):
    SocialCriterion = apps.get_model("decisions", "SocialCriterion")
    for order, (code, name, name_en, description, weight) in enumerate(CRITERIA):
        SocialCriterion.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "description": description,
                "weight": Decimal(weight),
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_initial")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
