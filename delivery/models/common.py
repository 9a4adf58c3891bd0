"""Vocabulary shared by the delivery models."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rag(models.TextChoices):
    """A red/amber/green rating (the project summary adds grey for "no current status")."""

    GREEN = "green", _("On track")
    AMBER = "amber", _("At risk")
    RED = "red", _("Off track")


RAG_ORDER = {Rag.GREEN: 0, Rag.AMBER: 1, Rag.RED: 2}


def worst(*ratings: str) -> str:
    """The worst of some RAG ratings (red before amber before green)."""
    present = [r for r in ratings if r]
    return max(present, key=lambda r: RAG_ORDER.get(r, 0)) if present else Rag.GREEN


class Dimension(models.TextChoices):
    """What a project goal is about."""

    SCOPE = "scope", _("Scope")
    SCHEDULE = "schedule", _("Schedule")
    COST = "cost", _("Cost")
    QUALITY = "quality", _("Quality")
    BENEFITS = "benefits", _("Benefits")


class Party(models.TextChoices):
    """Who takes part in setting and confirming goals."""

    SPONSOR = "sponsor", _("Sponsor")
    MANAGER = "manager", _("Project manager")
    PMO = "pmo", _("PMO")
    BUSINESS = "business", _("Business owner")
    FINANCE = "finance", _("Finance")
    TEAM = "team", _("Project team")
