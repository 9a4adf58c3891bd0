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
