from django.urls import path

from evaluation.views import cycles, evaluations, home, improvement, schemes

app_name = "evaluation"

urlpatterns = [
    path("", home.home, name="home"),
    path("my/", evaluations.my_evaluations, name="my"),
    # the evaluation system
    path("schemes/", schemes.scheme_list, name="scheme_list"),
    path("schemes/new/", schemes.scheme_create, name="scheme_create"),
    path("schemes/presets/<slug:key>/install/", schemes.preset_install, name="preset_install"),
    path("schemes/<int:pk>/", schemes.scheme_detail, name="scheme_detail"),
    path("versions/<int:pk>/", schemes.version_detail, name="version_detail"),
    path("versions/<int:pk>/settings/", schemes.version_edit, name="version_edit"),
    path("versions/<int:pk>/publish/", schemes.version_publish, name="version_publish"),
    path("versions/<int:pk>/copy/", schemes.version_copy, name="version_copy"),
    path("versions/<int:pk>/dimensions/new/", schemes.dimension_edit, name="dimension_create"),
    path("versions/<int:pk>/dimensions/<int:dimension_pk>/", schemes.dimension_edit, name="dimension_edit"),
    path("versions/<int:pk>/dimensions/<int:dimension_pk>/criteria/new/", schemes.criterion_edit, name="criterion_create"),
    path("versions/<int:pk>/dimensions/<int:dimension_pk>/criteria/<int:criterion_pk>/", schemes.criterion_edit, name="criterion_edit"),
    path("versions/<int:pk>/bands/new/", schemes.band_edit, name="band_create"),
    path("versions/<int:pk>/bands/<int:band_pk>/", schemes.band_edit, name="band_edit"),
    path("versions/<int:pk>/<slug:kind>/<int:part_pk>/delete/", schemes.part_delete, name="part_delete"),
    # cycles
    path("cycles/", cycles.cycle_list, name="cycle_list"),
    path("cycles/new/", cycles.cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/", cycles.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/open/", cycles.cycle_open, name="cycle_open"),
    path("cycles/<int:pk>/publish/", cycles.cycle_publish, name="cycle_publish"),
    path("cycles/<int:pk>/close/", cycles.cycle_close, name="cycle_close"),
    path("cycles/<int:pk>/pdf/", cycles.cycle_pdf, name="cycle_pdf"),
    path("cycles/<int:pk>/pdf/download/", cycles.cycle_pdf_download, name="cycle_pdf_download"),
    # one project's evaluation
    path("evaluations/<int:pk>/", evaluations.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/self/", evaluations.self_assessment, name="self_assessment"),
    path("evaluations/<int:pk>/panel/", evaluations.panel, name="panel"),
    path("evaluations/<int:pk>/panel/<int:assignment_pk>/remove/", evaluations.panel_remove, name="panel_remove"),
    path("evaluations/<int:pk>/score/", evaluations.expert_score, name="expert_score"),
    path("evaluations/<int:pk>/results/<int:result_pk>/calibrate/", evaluations.calibrate, name="calibrate"),
    path("evaluations/<int:pk>/finalise/", evaluations.finalise, name="finalise"),
    path("evaluations/<int:pk>/appeal/", evaluations.appeal, name="appeal"),
    path("evaluations/<int:pk>/appeal/decide/", evaluations.appeal_decide, name="appeal_decide"),
    path("evaluations/<int:pk>/pdf/", evaluations.result_pdf, name="result_pdf"),
    path("evaluations/<int:pk>/pdf/download/", evaluations.result_pdf_download, name="result_pdf_download"),
    # improvement
    path("weaknesses/", improvement.weakness, name="weakness"),
    path("maturity/", improvement.maturity, name="maturity"),
    path("actions/", improvement.action_list, name="action_list"),
    path("actions/new/", improvement.action_edit, name="action_create"),
    path("actions/<int:pk>/", improvement.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", improvement.action_edit, name="action_edit"),
    path("actions/<int:pk>/check/", improvement.action_check, name="action_check"),
    path("actions/<int:pk>/measure/", improvement.action_measure, name="action_measure"),
    path("actions/<int:pk>/status/", improvement.action_status, name="action_status"),
    path("actions/<int:pk>/change-request/", improvement.action_change_request, name="action_change_request"),
]  # fmt: skip
