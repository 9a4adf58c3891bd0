"""URLs of the project management standards under ``/standards/``."""

from django.urls import path

from standards import widgets
from standards.views import (
    adoption,
    compliance,
    doc_templates,
    editor,
    improvement,
    library,
    projects,
    tools,
)

app_name = "standards"

urlpatterns = [
    *editor.urlpatterns,
    *library.urlpatterns,
    *doc_templates.urlpatterns,
    *projects.urlpatterns,
    *compliance.urlpatterns,
    *improvement.urlpatterns,
    *tools.urlpatterns,
    *adoption.urlpatterns,
    path("cockpit-tile/", widgets.pmo_queue_tile, name="pmo_queue"),
]
