"""Search and decisions as a person meets them: find a comment and land on it, merge over an
objection only with a reason, confirm before retiring or reverting (without JavaScript too),
and see the preview below the editor."""

import re

import pytest
from playwright.sync_api import Page, expect

from drafting import services
from drafting.models import Proposal, Section
from tests.browser.conftest import PURPOSE_BODY, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_finds_a_kazakh_comment_in_any_case_and_lands_on_its_card(
    page: Page, live_server, demo_expert, second_expert, demo_concept
):
    purpose = demo_concept.purpose
    comment = services.comment_add(
        author=second_expert, body="Бұл сөйлем ҚАЗАҚСТАН халқының бірлігі туралы.", section=purpose
    )
    sign_in(page, live_server, "demo-expert")
    page.goto(f"{live_server.url}/search/")
    page.get_by_label("Search", exact=True).fill("қазақстан")
    page.get_by_role("button", name="Find").last.click()

    comments = page.locator("section.search-group").filter(has=page.get_by_role("heading", name="Comments"))
    expect(comments).to_be_visible()
    result = comments.locator(f"#result-comment-{comment.pk}")
    expect(result.locator("mark")).to_have_text("ҚАЗАҚСТАН")
    expect(page.locator("mark").filter(has_text="<")).to_have_count(0)
    result.get_by_role("link").first.click()

    expect(page).to_have_url(re.compile(rf"/sections/{purpose.pk}/#comment-{comment.pk}$"))
    card = page.locator(f"#comment-{comment.pk}")
    expect(card).to_contain_text("ҚАЗАҚСТАН халқының бірлігі")
    expect(card).to_be_in_viewport()


def test_search_explains_a_one_letter_query_and_keeps_it(page: Page, live_server, demo_expert, demo_concept):
    sign_in(page, live_server, "demo-expert")
    page.goto(f"{live_server.url}/search/?q=%25")
    expect(page.get_by_text("Type at least one word of two or more letters or digits to search for.")).to_be_visible()
    expect(page.get_by_label("Search", exact=True)).to_have_value("%")


def test_coordinator_merges_over_an_objection_only_with_a_reason(
    page: Page, live_server, demo_expert, second_expert, demo_coordinator, demo_concept
):
    purpose = demo_concept.purpose
    proposal = services.proposal_create_amendment(
        section=purpose, author=demo_expert, title="Короче", text="Короткий текст.", rationale="", base_version=1
    )
    services.position_record(proposal=proposal, expert=second_expert.expert, stance="object", reason="Теряется смысл.")
    sign_in(page, live_server, "demo-coordinator")
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/merge/")

    objections = page.locator("#objections")
    expect(objections).to_contain_text("1 expert objects to this proposal")
    expect(objections).to_contain_text("Айгерим Сейткали")
    expect(objections).to_contain_text("Теряется смысл.")
    page.get_by_role("button", name="Apply the merge").click()
    expect(page.get_by_role("alert").first).to_contain_text("Айгерим Сейткали objects to this proposal")
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.OPEN

    page.get_by_label("I have read the objections and merge the proposal anyway").check()
    page.get_by_label("Why merge over the objections").fill("Смысл сохранён в разделе 2.")
    page.get_by_role("button", name="Apply the merge").click()
    expect(page).to_have_url(re.compile(rf"/sections/{purpose.pk}/$"))

    page.goto(f"{live_server.url}/sections/{purpose.pk}/history/")
    latest = page.locator("table.history-list tbody tr").first
    expect(latest).to_contain_text("Merged over 1 objection")
    expect(latest).to_contain_text("Смысл сохранён в разделе 2.")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_retiring_and_reverting_ask_for_confirmation(browser, live_server, demo_coordinator, demo_concept, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    goals, purpose = demo_concept.goals, demo_concept.purpose
    services.section_edit(section=purpose, base_version=1, body="Другой текст.", user=demo_coordinator, summary="")
    sign_in(page, live_server, "demo-coordinator")

    page.goto(f"{live_server.url}/concept/{demo_concept.concept.pk}/outline/")
    page.locator(f"#outline-{goals.pk}").get_by_role("link", name="Retire…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retire section 2 “Goals”?")
    assert not Section.objects.get(pk=goals.pk).is_retired
    page.get_by_role("button", name="Retire the section").click()
    expect(page.get_by_role("status")).to_contain_text("Outline updated: “Goals”.")
    assert Section.objects.get(pk=goals.pk).is_retired

    page.goto(f"{live_server.url}/sections/{purpose.pk}/history/")
    page.get_by_role("button", name="Restore 1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Restore revision 1 of “Purpose”?")
    expect(page.locator(".diff ins, .diff del").first).to_be_visible()
    assert Section.objects.get(pk=purpose.pk).version == 2
    page.get_by_role("button", name="Restore revision 1").click()
    expect(page.get_by_role("status")).to_contain_text("Restored revision 1 as revision 3.")
    assert Section.objects.get(pk=purpose.pk).body == PURPOSE_BODY
    context.close()


def test_preview_is_scrolled_into_view_below_the_editor(page: Page, live_server, demo_expert, demo_concept):
    sign_in(page, live_server, "demo-expert")
    page.set_viewport_size({"width": 1024, "height": 600})
    page.goto(f"{live_server.url}/sections/{demo_concept.purpose.pk}/edit/")
    page.get_by_label("Text", exact=True).fill("**Предпросмотр** текста.")
    page.get_by_role("button", name="Preview").click()
    heading = page.get_by_role("heading", name="Preview (not saved yet)")
    expect(heading).to_be_in_viewport()
    expect(page.locator("#preview strong")).to_have_text("Предпросмотр")


def test_search_merge_and_confirmation_pages_pass_axe(page: Page, live_server):
    from tests.browser.test_accessibility import audit, without_browser_validation
    from tests.factories import ConceptFactory, make_discussion

    portal = make_discussion(ConceptFactory(), usernames={"coordinator": "a11y-coordinator"})
    section, proposal = portal["objects"]["section"], portal["objects"]["proposal"]
    sign_in(page, live_server, "a11y-coordinator")
    found = []
    for url, where in [
        ("/search/", "search, empty"),
        ("/search/?q=%D0%B5%D0%B4%D0%B8%D0%BD%D1%81%D1%82%D0%B2%D0%B0", "search, results"),
        (
            "/search/?q=%D0%BD%D0%B0%D1%80%D0%BE%D0%B4&kind=comment&date_from=2026-01-02&date_to=2026-01-01",
            "search, errors",
        ),
        ("/search/?q=%D0%B7%D0%B7%D0%B7%D0%B7", "search, nothing found"),
        (f"/sections/{section.pk}/retire/", "retire confirmation"),
        (f"/sections/{section.pk}/revert/?version=1", "revert confirmation"),
        (f"/concept/{section.concept_id}/merge-queue/", "merge queue with objections"),
        (f"/proposals/{proposal.pk}/merge/", "merge over an objection"),
    ]:
        page.goto(f"{live_server.url}{url}")
        found += audit(page, where)
    without_browser_validation(page)
    page.get_by_role("button", name="Apply the merge").click()
    expect(page.get_by_role("alert").first).to_contain_text("objects to this proposal")
    found += audit(page, "merge over an objection, refused")
    assert found == [], "\n".join(found)
