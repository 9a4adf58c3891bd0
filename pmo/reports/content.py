"""What a report builder returns, and the contract between builders and the renderer.

A report kind is registered in an app's ``AppConfig.ready()``::

    registry.add_report_kind(ReportKind(
        code="project_register",
        label=_("Project register"),
        builder="pmo.reports.builders.project_register",
        default_period="weekly",            # daily, weekly or monthly
        permission="reports.view_archive",  # who sees it in the catalogue and archive
    ))

The builder is called as ``build(params, language)`` inside a Celery task, with the
report language already active (``translation.override``), and returns a
:class:`ReportContent`:

* ``params`` is the run's own parameters (a JSON object, e.g. ``{"org_unit": 3}`` from a
  subscription's filters) plus three keys added by the renderer: ``period_start`` and
  ``period_end`` (``datetime.date``) and ``period_label`` (``"2026-W07"``).
* A kind registered with ``scoped=True`` is rendered once per reader's visibility
  scope: ``params["scope"]`` is ``"all"`` or ``"user:<id>"``, and the builder reads its
  projects through :func:`visible_projects`, which also applies the ``org_unit`` and
  ``classification`` filters of a subscription.
* ``language`` is ``"zh-hans"`` or ``"en"``; format money with
  ``pmo.core.formatting.money(value, language)``.
* The content is either a ``template`` with its ``context`` or ready ``html``. Either
  way it is the *body* of the document: the renderer wraps it in
  ``templates/reports/pdf/document.html`` (page size, header with title and period,
  footer with page numbers, the CJK font) and prints it with WeasyPrint.
* Charts are inline SVG from ``pmo.reports.charts`` (pygal, with the CJK font set).
* Images and stylesheets may come only from our static files
  (``{% static '…' %}``) or ``data:`` URLs; anything else is refused when printing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ALL_SCOPE = "all"
USER_SCOPE_PREFIX = "user:"


@dataclass
class ReportContent:
    """The body of one report document."""

    title: str
    template: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    html: str = ""
    subtitle: str = ""
    landscape: bool = False

    def __post_init__(self) -> None:
        if bool(self.template) == bool(self.html):
            raise ValueError("A report has either a template or html, not both or neither.")


def scope_for(user) -> str:
    """The visibility scope a report for ``user`` is rendered in."""
    from pmo.core import roles

    if roles.sees_all_projects(user):
        return ALL_SCOPE
    return f"{USER_SCOPE_PREFIX}{user.pk}"


def scope_user(scope: str):
    """The active user a ``"user:<id>"`` scope names, else None."""
    from django.contrib.auth import get_user_model

    if not scope.startswith(USER_SCOPE_PREFIX):
        return None
    user_id = scope.removeprefix(USER_SCOPE_PREFIX)
    if not user_id.isdigit():
        return None
    return get_user_model().objects.filter(pk=int(user_id), is_active=True).first()


def visible_projects(params: dict):
    """The projects a report run may show: those of its reader's scope, under the
    ``org_unit`` (and the units below it) and of the ``classification`` it asks for.

    A run without a scope is a report for readers who see every project (the archive
    and the catalogue are theirs); an unknown or deactivated reader sees nothing.
    """
    from pmo.core.models import OrgUnit, Project

    projects = Project.objects.all()
    scope = str(params.get("scope") or ALL_SCOPE)
    if scope != ALL_SCOPE:
        user = scope_user(scope)
        projects = projects.visible_to(user) if user is not None else projects.none()
    unit_id = params.get("org_unit")
    if unit_id:
        unit = OrgUnit.objects.filter(pk=unit_id).first()
        projects = (
            projects.filter(org_unit__path__startswith=unit.path)
            if unit is not None
            else projects.none()
        )
    if params.get("classification"):
        projects = projects.filter(classification=params["classification"])
    return projects
