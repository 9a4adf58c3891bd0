"""URLs of decision support under ``/decisions/``."""

from django.urls import path

from decisions.views import appraisal, benefits, config, outcome, reviews, sections, studies

app_name = "decisions"

S = "studies/<int:pk>/"

urlpatterns = [
    path("", studies.study_list, name="study_list"),
    path("my-reviews/", studies.my_reviews, name="my_reviews"),
    path("projects/<int:pk>/benefits/", benefits.project_benefits_page, name="benefits"),
    path("benefits/<int:pk>/delete/", benefits.benefit_delete, name="benefit_delete"),
    path("settings/", config.appraisal_settings, name="settings"),
    path("settings/social/new/", config.social_criterion_save, name="social_criterion_add"),
    path(
        "settings/social/<int:criterion_pk>/",
        config.social_criterion_save,
        name="social_criterion_edit",
    ),
    path("projects/<int:project_pk>/start/", studies.study_create, name="study_create"),
    path(S, studies.study_detail, name="study_detail"),
    path(S + "submit/", studies.study_submit, name="study_submit"),
    path(S + "return/", studies.study_return, name="study_return"),
    path(S + "revise/", studies.study_revise, name="study_revise"),
    path(S + "versions/", studies.study_versions, name="study_versions"),
    path(S + "section/<slug:kind>/", sections.study_section, name="study_section"),
    path(S + "section/<slug:kind>/owner/", sections.section_owner, name="section_owner"),
    path(S + "section/<slug:kind>/ready/", sections.section_ready, name="section_ready"),
    path(S + "section/<slug:kind>/review/", sections.section_review, name="section_review"),
    path(S + "lines/<slug:line>/add/", sections.line_save, name="line_add"),
    path(S + "lines/<slug:line>/<int:line_pk>/", sections.line_save, name="line_edit"),
    path(S + "lines/<slug:line>/<int:line_pk>/delete/", sections.line_delete, name="line_delete"),
    path(S + "figures/", sections.study_figures, name="study_figures"),
    path(S + "social/", sections.social_scores, name="social_scores"),
    path(S + "strategy/link/", sections.strategy_link, name="strategy_link"),
    path(
        S + "strategy/link/<int:link_pk>/delete/",
        sections.strategy_unlink,
        name="strategy_unlink",
    ),
    path(S + "readiness/", sections.readiness, name="readiness"),
    path(S + "cash-flows/<int:alt_pk>/", appraisal.cash_flows, name="cash_flows"),
    path(
        S + "cash-flows/<int:alt_pk>/preview/",
        appraisal.cash_flows_preview,
        name="cash_flows_preview",
    ),
    path(S + "alternatives/add/", appraisal.alternative_add, name="alternative_add"),
    path(S + "alternatives/<int:alt_pk>/", appraisal.alternative_edit, name="alternative_edit"),
    path(
        S + "alternatives/<int:alt_pk>/delete/",
        appraisal.alternative_delete,
        name="alternative_delete",
    ),
    path(S + "criteria/add/", appraisal.criterion_add, name="criterion_add"),
    path(
        S + "criteria/<int:criterion_pk>/delete/",
        appraisal.criterion_delete,
        name="criterion_delete",
    ),
    path(S + "scores/", appraisal.scores_save, name="scores_save"),
    path(S + "advantage/", appraisal.advantage_save, name="advantage_save"),
    path(S + "reviews/", reviews.study_reviews, name="study_reviews"),
    path("reviews/<int:review_pk>/", reviews.review_edit, name="review_edit"),
    path("reviews/<int:review_pk>/withdraw/", reviews.review_withdraw, name="review_withdraw"),
    path(S + "decision/", outcome.study_decision, name="study_decision"),
    path(S + "recommend/", outcome.study_recommend, name="study_recommend"),
    path(S + "pack/", outcome.pack_generate, name="pack_generate"),
    path(S + "pack/status/", outcome.pack_status, name="pack_status"),
    path(S + "pack/download/", outcome.pack_download, name="pack_download"),
    path(S + "decide/", outcome.decision_record, name="decision_record"),
    path("actions/<int:action_pk>/", outcome.action_update, name="action_update"),
]
