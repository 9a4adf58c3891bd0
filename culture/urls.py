"""URLs of the culture area under ``/culture/``."""

from culture.views import campaigns, ideas, improvements, programme, sessions, surveys

app_name = "culture"

urlpatterns = [
    *programme.urlpatterns,
    *ideas.urlpatterns,
    *campaigns.urlpatterns,
    *sessions.urlpatterns,
    *improvements.urlpatterns,
    *surveys.urlpatterns,
]
