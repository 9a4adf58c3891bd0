"""URLs of the PM talent area under ``/talent/``."""

from django.urls import path

from talent import widgets
from talent.views import appraisal, model, people, planning, recruitment, teams, training

app_name = "talent"

urlpatterns = [
    *model.urlpatterns,
    *people.urlpatterns,
    *training.urlpatterns,
    *appraisal.urlpatterns,
    *teams.urlpatterns,
    *planning.urlpatterns,
    *recruitment.urlpatterns,
    path("adoption-tile/", widgets.adoption_tile, name="adoption_tile"),
]
