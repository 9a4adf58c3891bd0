"""Sentences that explain computed results (gaps, match scores) in the user's language."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from pmo.core.formatting import money


def describe_gap(gap: dict) -> str:
    """A gap of ``talent.analysis.readiness`` (as a dict) as a sentence."""
    language = translation.get_language() or "zh-hans"
    kind = gap["kind"]
    actual = gap.get("actual") or "—"
    if kind == "competency":
        return _("%(competency)s: proficiency %(actual)s, %(required)s needed") % {
            "competency": gap["subject"],
            "actual": actual,
            "required": gap["required"],
        }
    if kind == "projects":
        return _("Projects managed: %(actual)s, %(required)s needed") % {
            "actual": actual,
            "required": gap["required"],
        }
    if kind == "budget":
        return _("Largest budget managed: %(actual)s, %(required)s needed") % {
            "actual": money(gap.get("actual") or 0, language),
            "required": money(gap["required"], language),
        }
    if kind == "years":
        return _("Years as a PM: %(actual)s, %(required)s needed") % {
            "actual": actual,
            "required": gap["required"],
        }
    if kind == "certificate":
        return _("A valid certificate: one of %(accepted)s") % {"accepted": gap["subject"]}
    if kind == "appraisal":
        return _("Latest appraisal grade: %(actual)s, %(required)s or better needed") % {
            "actual": actual,
            "required": gap["required"],
        }
    return str(gap)


def describe_part(part, facts: dict) -> str:
    """Why a part of a match score has its points."""
    if part.key == "level":
        return _("Level %(have)s for a project that needs level %(need)s") % facts
    if part.key == "competencies":
        return _("Meets %(share)s%% of the competency levels the project needs") % {
            "share": round(part.share * 100)
        }
    if part.key == "experience":
        return _("%(count)s similar projects managed (same type or unit; 3 for full marks)") % facts
    return _("Current load %(load)s%% (allocations and planned PM hours this month)") % facts
