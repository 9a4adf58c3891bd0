"""What users see and do on the decision pages, in both languages; bad input is refused
with a message and writes nothing."""

import pytest
from django.urls import reverse

from decisions.models import CashFlow, Study
from tests.decisions import factories

pytestmark = pytest.mark.django_db

SECTIONS = (
    "basic",
    "strategy",
    "market",
    "economics",
    "social",
    "scope",
    "costs",
    "schedule",
    "resources",
    "risks",
    "alternatives",
)


def study_urls(study, review):
    urls = [reverse("decisions:study_detail", args=[study.pk])]
    urls += [reverse("decisions:study_section", args=[study.pk, kind]) for kind in SECTIONS]
    urls += [
        reverse(f"decisions:{name}", args=[study.pk])
        for name in ("readiness", "study_reviews", "study_decision", "study_versions")
    ]
    alternative = study.alternatives.exclude(kind="proposal").first()
    urls.append(reverse("decisions:alternative_edit", args=[study.pk, alternative.pk]))
    urls.append(reverse("decisions:review_edit", args=[review.pk]))
    return urls


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_renders_in_both_languages(client_for, reviewed_study, language):
    review = reviewed_study.reviews.get()
    urls = study_urls(reviewed_study, review) + [
        reverse("decisions:study_list"),
        reverse("decisions:my_reviews"),
        reverse("decisions:settings"),
        reverse("core:cockpit"),
        reverse("core:project_detail", args=[reviewed_study.project_id]) + "?tab=business_case",
    ]
    client = client_for("pmo")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()


def test_the_pm_edits_a_draft_section_by_section(en_client, draft):
    client = en_client("pm")
    url = reverse("decisions:study_section", args=[draft.pk, "market"])
    page = client.get(url).content.decode()
    assert "Save text" in page and "Set owner" in page
    response = client.post(url, {"content": "东南亚市场年增速18%"})
    assert response.status_code == 302
    assert "东南亚市场年增速18%" in client.get(url).content.decode()


def test_the_overview_shows_figures_progress_and_what_is_missing(en_client, draft):
    page = en_client("pm").get(reverse("decisions:study_detail", args=[draft.pk])).content.decode()
    assert "no alternative to compare the proposal with" in page
    assert "The proposal has no cash flows yet" in page
    assert 'data-testid="section-progress"' in page


# --- cash flows ------------------------------------------------------------------------------


def grid(rate="8", horizon="5", **cells):
    data = {"discount_rate": rate, "horizon_years": horizon}
    for row in factories.PROPOSAL_FLOWS:
        data[f"inv_{row.year}"] = str(row.investment)
        data[f"opex_{row.year}"] = str(row.operating_cost)
        data[f"ben_{row.year}"] = str(row.benefit)
    data.update(cells)
    return data


def test_the_figures_follow_the_typing_without_saving(en_client, draft):
    proposal = factories.proposal_of(draft)
    url = reverse("decisions:cash_flows_preview", args=[draft.pk, proposal.pk])
    response = en_client("pm").post(url, grid(), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "¥2,133,568" in page and "22.8%" in page  # NPV and IRR of the worked example
    assert "How the figures are calculated" in page and "Payback = 2 + " in page
    assert not CashFlow.objects.exists()


def test_a_longer_horizon_redraws_the_grid(en_client, draft):
    proposal = factories.proposal_of(draft)
    url = reverse("decisions:cash_flows_preview", args=[draft.pk, proposal.pk])
    response = en_client("pm").post(url, grid(horizon="7"), HTTP_HX_REQUEST="true")
    assert response["HX-Retarget"] == "#economics-part"
    assert 'name="ben_7"' in response.content.decode()


def test_saving_cash_flows_updates_the_study(en_client, draft):
    proposal = factories.proposal_of(draft)
    url = reverse("decisions:cash_flows", args=[draft.pk, proposal.pk])
    response = en_client("pm").post(url, grid(rate="10"))
    assert response.status_code == 302
    draft.refresh_from_db()
    proposal.refresh_from_db()
    assert draft.discount_rate == 10 and proposal.cash_flows.count() == 6
    assert proposal.npv is not None


def test_a_non_numeric_cash_flow_is_refused_with_a_message(en_client, draft):
    proposal = factories.proposal_of(draft)
    client = en_client("pm")
    preview = reverse("decisions:cash_flows_preview", args=[draft.pk, proposal.pk])
    page = client.post(preview, grid(inv_1="一百万"), HTTP_HX_REQUEST="true").content.decode()
    assert "Nothing is calculated until the cash flows are numbers" in page
    assert "Investment, year 1: Enter a number." in page
    response = client.post(
        reverse("decisions:cash_flows", args=[draft.pk, proposal.pk]), grid(inv_1="abc")
    )
    assert response.status_code == 422
    assert "Enter a number." in response.content.decode()
    assert not CashFlow.objects.exists()


@pytest.mark.parametrize("rate", ["-100", "-250"])
def test_a_rate_of_minus_100_percent_or_below_is_refused_with_a_message(en_client, draft, rate):
    proposal = factories.proposal_of(draft)
    response = en_client("pm").post(
        reverse("decisions:cash_flows", args=[draft.pk, proposal.pk]), grid(rate=rate)
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Enter a rate above −100 %." in page and "%%" not in page
    assert not CashFlow.objects.exists()
    draft.refresh_from_db()
    assert draft.discount_rate == 8


def test_a_study_without_an_alternative_is_not_submitted(en_client, draft, pm_user):
    from decisions.services import appraisal

    appraisal.cash_flows_save(
        alternative=factories.proposal_of(draft), rows=factories.PROPOSAL_FLOWS, actor=pm_user
    )
    client = en_client("pm")
    response = client.post(reverse("decisions:study_submit", args=[draft.pk]), follow=True)
    assert "no alternative to compare the proposal with" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Study.Status.DRAFT


# --- rows, alternatives and review ------------------------------------------------------------


def test_rows_are_added_edited_and_deleted(en_client, draft):
    client = en_client("pm")
    add = reverse("decisions:line_add", args=[draft.pk, "milestone"])
    response = client.post(add, {"name": "上线", "due": "2026-09-30", "deliverable": "系统上线"})
    assert response.status_code == 302
    milestone = draft.milestones.get()
    page = client.get(
        reverse("decisions:study_section", args=[draft.pk, "schedule"])
        + f"?line=milestone&edit={milestone.pk}"
    ).content.decode()
    assert "Change the entry" in page and 'value="上线"' in page
    edit = reverse("decisions:line_edit", args=[draft.pk, "milestone", milestone.pk])
    client.post(edit, {"name": "正式上线", "due": "2026-10-31", "is_roadmap_point": "on"})
    milestone.refresh_from_db()
    assert milestone.name == "正式上线" and milestone.is_roadmap_point
    client.post(reverse("decisions:line_delete", args=[draft.pk, "milestone", milestone.pk]))
    assert not draft.milestones.exists()


def test_a_bad_row_is_shown_again_with_its_errors(en_client, draft):
    response = en_client("pm").post(
        reverse("decisions:line_add", args=[draft.pk, "resource"]),
        {"start_month": "2026-09", "end_month": "2026-05", "hours_per_month": "x"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "The last month cannot be before the first." in page
    assert not draft.resource_lines.exists()


def test_the_alternatives_page_ranks_and_checks_sensitivity(en_client, complete_draft):
    page = (
        en_client("pm")
        .get(reverse("decisions:study_section", args=[complete_draft.pk, "alternatives"]))
        .content.decode()
    )
    assert 'data-testid="ranking"' in page
    assert "The order stays the same when any one weight moves by ±10 %" in page
    assert "维持现状" in page and "Strengths" in page


def test_the_pmo_assigns_a_reviewer_and_the_conflicted_are_refused(
    en_client, submitted_study, reviewer_user
):
    client = en_client("pmo")
    url = reverse("decisions:study_reviews", args=[submitted_study.pk])
    response = client.post(url, {"reviewer": submitted_study.project.sponsor_id})
    assert response.status_code == 422
    assert "has a conflict of interest: is the project&#x27;s sponsor" in response.content.decode()
    response = client.post(url, {"reviewer": reviewer_user.person.pk})
    assert response.status_code == 302
    assert submitted_study.reviews.get().reviewer == reviewer_user.person


def test_the_reviewer_saves_a_draft_then_submits(en_client, review):
    client = en_client("reviewer")
    url = reverse("decisions:review_edit", args=[review.pk])
    data = {f"score_{c.pk}": "8" for c in review.study.criteria.all()}
    data.update({"recommendation": "invest", "comment": "可行"})
    client.post(url, data)
    review.refresh_from_db()
    assert review.status == "assigned" and review.scores.count() == 5
    response = client.post(url, {**data, "submit": "1"})
    assert response.status_code == 422
    assert "Give a verdict on every readiness question" in response.content.decode()
    data.update(
        {
            f"verdict_{q}": "yes"
            for q in ("strategy", "benefits", "budget", "schedule", "resources", "risks")
        }
    )
    assert client.post(url, {**data, "submit": "1"}).status_code == 302
    review.refresh_from_db()
    assert review.status == "submitted"
    assert "Submit the review" not in client.get(url).content.decode()


def test_the_executive_records_the_decision(en_client, reviewed_study, executive_user):
    client = en_client("executive")
    url = reverse("decisions:decision_record", args=[reviewed_study.pk])
    data = {
        "meeting": "投资决策委员会第5次会议",
        "meeting_date": "2026-06-01",
        "outcome": "approve_conditions",
        "rationale": "同意立项",
        "decision_makers": [executive_user.person.pk],
        "c-TOTAL_FORMS": "3",
        "c-INITIAL_FORMS": "0",
        "c-0-title": "",
    }
    response = client.post(url, data)
    assert response.status_code == 422
    assert "A decision with conditions needs at least one condition." in response.content.decode()
    data["c-0-title"] = "分期拨付资金"
    assert client.post(url, data).status_code == 302
    page = client.get(
        reverse("decisions:study_decision", args=[reviewed_study.pk])
    ).content.decode()
    assert "分期拨付资金" in page and "Approve with conditions" in page
    reviewed_study.project.refresh_from_db()
    assert reviewed_study.project.stage == "approved"


def test_the_project_page_has_a_business_case_tab(en_client, proposed_project):
    client = en_client("pm")
    url = reverse("core:project_detail", args=[proposed_project.pk]) + "?tab=business_case"
    page = client.get(url).content.decode()
    assert "Start a feasibility study" in page
    client.post(reverse("decisions:study_create", args=[proposed_project.pk]))
    page = client.get(url).content.decode()
    assert "Feasibility study, version 1" in page


def test_dashboards_show_the_widgets(en_client, reviewed_study, review):
    pmo = en_client("pmo").get(reverse("core:cockpit")).content.decode()
    assert 'data-testid="widget-pmo-studies"' in pmo and reviewed_study.project.code in pmo
    executive = en_client("executive").get(reverse("core:dashboard")).content.decode()
    assert 'data-testid="widget-pending-decisions"' in executive
    mine = en_client("reviewer").get(reverse("core:my_work")).content.decode()
    assert 'data-testid="widget-my-reviews"' in mine


def test_versions_show_their_differences(en_client, reviewed_study, pm_user):
    from decisions.services import studies

    new = studies.study_revise(study=reviewed_study, actor=pm_user, note="更新汇率")
    studies.section_update(
        section=new.sections.get(kind="basic"), actor=pm_user, content="新增泰国市场"
    )
    page = en_client("pm").get(reverse("decisions:study_versions", args=[new.pk])).content.decode()
    assert "From version 1 to version 2" in page and "<ins>新增泰国市场</ins>" in page


def test_settings_change_the_review_rules_and_criteria(en_client):
    client = en_client("pmo")
    response = client.post(
        reverse("decisions:settings"),
        {
            "default_discount_rate": "-120",
            "default_horizon_years": "5",
            "disagreement_spread": "3",
        },
    )
    assert response.status_code == 422
    response = client.post(
        reverse("decisions:social_criterion_add"),
        {
            "code": "culture",
            "name": "文化传承",
            "weight": "5",
            "sort_order": "9",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert "文化传承" in client.get(reverse("decisions:settings")).content.decode()


def test_the_global_search_finds_visible_studies_only(en_client, review):
    code = review.study.project.code
    found = en_client("pmo").get(reverse("core:search"), {"q": code}).content.decode()
    assert "Feasibility study, version 1" in found
    hidden = en_client("other_pm").get(reverse("core:search"), {"q": code}).content.decode()
    assert "Feasibility study, version 1" not in hidden


def test_the_business_case_tab_lists_the_conditions_of_the_decision(
    en_client, reviewed_study, executive_user
):
    import datetime as dt

    from decisions.services import outcome

    outcome.decision_record(
        study=reviewed_study,
        actor=executive_user,
        meeting="投资决策会",
        meeting_date=dt.date(2026, 6, 1),
        outcome="approve_conditions",
        rationale="同意",
        decision_makers=[executive_user.person],
        conditions=[outcome.Condition("上线前完成等保测评")],
    )
    url = reverse("core:project_detail", args=[reviewed_study.project_id]) + "?tab=business_case"
    page = en_client("pm").get(url).content.decode()
    assert "上线前完成等保测评" in page and "Open" in page
