"""URLs of the knowledge area under ``/knowledge/``."""

from knowledge.views import archives, lessons, library, reuse

app_name = "knowledge"

urlpatterns = [
    *library.urlpatterns,
    *lessons.urlpatterns,
    *reuse.urlpatterns,
    *archives.urlpatterns,
]
