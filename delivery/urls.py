from django.urls import path

from delivery.views import closeout, gates, goals, issues, plan, resources, status, widgets

app_name = "delivery"

urlpatterns = [
    # goals & RACI
    path("projects/<int:pk>/goals/new/", goals.goal_create, name="goal_create"),
    path("goals/<int:pk>/edit/", goals.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/delete/", goals.goal_delete, name="goal_delete"),
    path("projects/<int:pk>/raci/", goals.raci_edit, name="raci_edit"),
    path("projects/<int:pk>/raci/add/", goals.raci_activity_add, name="raci_activity_add"),
    path("raci/<int:pk>/delete/", goals.raci_activity_delete, name="raci_activity_delete"),
    path("projects/<int:pk>/agreement/issue/", goals.agreement_issue, name="agreement_issue"),
    path("agreements/<int:pk>/", goals.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/sign/", goals.agreement_sign, name="agreement_sign"),
    path("agreements/<int:pk>/pdf/", goals.agreement_pdf, name="agreement_pdf"),
    path("agreements/<int:pk>/download/", goals.agreement_download, name="agreement_download"),
    path(
        "projects/<int:pk>/communications/new/",
        goals.communication_create,
        name="communication_create",
    ),
    path("frameworks/", goals.framework_list, name="framework_list"),
    path("frameworks/<int:type_pk>/", goals.framework_edit, name="framework_edit"),
    # plan and baselines
    path("projects/<int:pk>/plan/<slug:kind>/new/", plan.plan_item_create, name="plan_item_create"),
    path("plan/<slug:kind>/<int:item_pk>/edit/", plan.plan_item_edit, name="plan_item_edit"),
    path("plan/<slug:kind>/<int:item_pk>/delete/", plan.plan_item_delete, name="plan_item_delete"),
    path("phases/<int:item_pk>/start/", plan.phase_start, name="phase_start"),
    path("projects/<int:pk>/baseline/", plan.baseline_propose, name="baseline_propose"),
    path("baselines/<int:pk>/", plan.baseline_detail, name="baseline_detail"),
    path("baselines/<int:pk>/decide/", plan.baseline_decide, name="baseline_decide"),
    # status
    path("status/", status.grid, name="status_grid"),
    path("my/status/", status.my_status, name="my_status"),
    path("projects/<int:pk>/status/", status.status_edit, name="status_edit"),
    path("projects/<int:pk>/status/preview/", status.status_preview, name="status_preview"),
    path("status/<int:pk>/", status.status_detail, name="status_detail"),
    path("status/<int:pk>/override/", status.status_override, name="status_override"),
    path("settings/policy/", status.policy_edit, name="policy_edit"),
    path("projects/<int:pk>/policy/", status.policy_edit, name="project_policy_edit"),
    # issues, escalation, interventions
    path("control/", issues.control, name="control"),
    path("projects/<int:pk>/issues/new/", issues.issue_create, name="issue_create"),
    path("issues/<int:pk>/", issues.issue_detail, name="issue_detail"),
    path("issues/<int:pk>/edit/", issues.issue_edit, name="issue_edit"),
    path("issues/<int:pk>/act/", issues.issue_act, name="issue_act"),
    path("issues/<int:pk>/escalate/", issues.issue_escalate, name="issue_escalate"),
    path("issues/<int:pk>/resolve/", issues.issue_resolve, name="issue_resolve"),
    path("issues/<int:pk>/decide/", issues.change_decide, name="change_decide"),
    path(
        "projects/<int:pk>/interventions/new/",
        issues.intervention_create,
        name="intervention_create",
    ),
    path("interventions/<int:pk>/", issues.intervention_detail, name="intervention_detail"),
    path("interventions/<int:pk>/close/", issues.intervention_close, name="intervention_close"),
    path("settings/", issues.settings_page, name="settings"),
    # gates
    path("projects/<int:pk>/gates/new/", gates.gate_create, name="gate_create"),
    path("gates/<int:pk>/", gates.gate_detail, name="gate_detail"),
    path("gates/<int:pk>/edit/", gates.gate_edit, name="gate_edit"),
    path("gates/<int:pk>/evidence/", gates.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", gates.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", gates.evidence_delete, name="evidence_delete"),
    path("gates/<int:pk>/submit/", gates.gate_submit, name="gate_submit"),
    path("gates/<int:pk>/decide/", gates.gate_decide, name="gate_decide"),
    path("conditions/<int:pk>/close/", gates.condition_close, name="condition_close"),
    path("my/reviews/", gates.my_reviews, name="my_reviews"),
    # resources
    path("projects/<int:pk>/resources/new/", resources.request_create, name="resource_request"),
    path("resources/", resources.request_list, name="resource_requests"),
    path("resources/<int:pk>/decide/", resources.request_decide, name="resource_decide"),
    # closeout
    path("projects/<int:pk>/closeout/start/", closeout.closeout_start, name="closeout_start"),
    path("projects/<int:pk>/closeout/", closeout.closeout_edit, name="closeout_edit"),
    path("closure-items/<int:pk>/", closeout.closure_item_update, name="closure_item_update"),
    path("closure-items/<int:pk>/evidence/", closeout.closure_evidence, name="closure_evidence"),
    path("goals/<int:pk>/actual/", closeout.goal_actual, name="goal_actual"),
    path("projects/<int:pk>/lessons/new/", closeout.lesson_create, name="lesson_create"),
    path("projects/<int:pk>/closeout/submit/", closeout.closeout_submit, name="closeout_submit"),
    path("projects/<int:pk>/closeout/decide/", closeout.closeout_decide, name="closeout_decide"),
    path("projects/<int:pk>/closeout/pdf/", closeout.closeout_pdf, name="closeout_pdf"),
    path(
        "projects/<int:pk>/closeout/download/",
        closeout.closeout_download,
        name="closeout_download",
    ),
    path("settings/closure/", closeout.closure_templates, name="closure_templates"),
    path(
        "settings/closure/<int:pk>/", closeout.closure_template_edit, name="closure_template_edit"
    ),
    path(
        "settings/closure/<int:pk>/delete/",
        closeout.closure_template_delete,
        name="closure_template_delete",
    ),
    path("widgets/<slug:key>/", widgets.widget, name="widget"),
]
