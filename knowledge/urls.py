"""URLs of the knowledge area under ``/knowledge/``."""

from knowledge.views import lessons, library

app_name = "knowledge"

urlpatterns = [
    *library.urlpatterns,
    *lessons.urlpatterns,
]
