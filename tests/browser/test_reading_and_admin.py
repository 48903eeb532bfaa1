"""Foundation journey: an expert reads the numbered document; staff review a section's history in the admin."""

import re

import pytest
from playwright.sync_api import expect

from drafting import services
from tests.browser.conftest import PURPOSE_BODY, PURPOSE_FIRST, PURPOSE_MIDDLE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHARPER_MIDDLE = "Она опирается на единство и равноправие всех граждан Казахстана."


def test_expert_reads_the_numbered_document_and_opens_a_section(page, live_server, demo_expert, demo_concept):
    sign_in(page, live_server, "demo-expert")
    expect(page.get_by_text("Demo Expert", exact=True)).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Document").click()

    expect(page).to_have_url(re.compile(rf"/concept/{demo_concept.concept.pk}/document/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(demo_concept.concept.title)
    headings = page.locator("section.doc-section").get_by_role("heading")
    expect(headings).to_have_text(["1. General provisions", "1.1. Purpose", "2. Goals"])
    expect(page.get_by_role("heading", name="1. General provisions", level=2)).to_be_visible()
    expect(page.get_by_role("heading", name="1.1. Purpose", level=3)).to_be_visible()
    expect(page.get_by_role("heading", name="2. Goals", level=2)).to_be_visible()
    # Stored Markdown HTML is shown: bold, list items, Kazakh and Russian text.
    expect(page.locator(f"#section-{demo_concept.general.pk} .prose strong")).to_have_text("principles")
    expect(page.locator(f"#section-{demo_concept.goals.pk} .prose li")).to_have_count(3)
    expect(page.get_by_text(PURPOSE_FIRST, exact=False)).to_be_visible()

    page.get_by_role("heading", name="1.1. Purpose").get_by_role("link", name="Purpose").click()

    expect(page).to_have_url(re.compile(rf"/sections/{demo_concept.purpose.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("1.1 Purpose")
    expect(page.locator(".page-lead")).to_have_text("Revision 1")
    expect(page.locator("article.document .prose")).to_have_text(PURPOSE_BODY)
    expect(page.get_by_role("link", name="Edit", exact=True)).to_be_visible()


def test_staff_review_a_sections_history_and_changes_in_the_admin(
    page, other_page, live_server, demo_expert, demo_staff, demo_concept
):
    purpose = demo_concept.purpose
    sharper_body = PURPOSE_BODY.replace(PURPOSE_MIDDLE, SHARPER_MIDDLE)
    outcome = services.section_edit(
        section=purpose, base_version=1, body=sharper_body, user=demo_expert, summary="Sharper wording"
    )
    assert outcome.status == "saved" and outcome.section.version == 2

    # An expert reads the document in one browser...
    sign_in(page, live_server, "demo-expert")
    page.get_by_role("link", name="Document", exact=True).click()
    expect(page.get_by_text(SHARPER_MIDDLE, exact=False)).to_be_visible()

    # ...while staff, in a separate browser context, review the record in the admin.
    staff = sign_in(other_page, live_server, "demo-staff")
    staff.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    expect(staff).to_have_url(re.compile(r"/admin/$"))
    staff.get_by_role("link", name="Sections", exact=True).click()
    expect(staff).to_have_url(re.compile(r"/admin/drafting/section/$"))
    staff.get_by_role("link", name="Purpose", exact=True).click()
    expect(staff).to_have_url(re.compile(rf"/admin/drafting/section/{purpose.pk}/change/$"))

    staff.get_by_role("link", name="History").click()

    expect(staff).to_have_url(re.compile(rf"/admin/drafting/section/{purpose.pk}/history/$"))
    expect(staff.get_by_role("heading", name="Change history: Purpose")).to_be_visible()
    table = staff.locator("#change-history")
    for column in ("revision", "when", "who", "kind of change", "reason", "size change"):
        expect(table.get_by_role("columnheader", name=column, exact=True)).to_be_visible()
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)  # newest first: the edit, then the creation

    edit_row = rows.filter(has_text="Sharper wording")
    expect(edit_row).to_have_count(1)
    expect(edit_row).to_contain_text("demo-expert")
    created_row = rows.filter(has_text="Added section “Purpose”")
    expect(created_row).to_have_count(1)
    expect(created_row).to_contain_text("demo-coordinator")

    # Compare the two versions word by word, as in the portal.
    staff.get_by_role("button", name="Compare selected versions").click()
    expect(staff).to_have_url(re.compile(rf"/admin/drafting/section/{purpose.pk}/history/compare/"))
    expect(staff.locator("del").first).to_be_visible()
    expect(staff.locator("ins").filter(has_text="равноправие").first).to_be_visible()
    staff.go_back()

    # Open the past version (revision 1) from its row: the revert asks for a preview and a reason.
    created_row.get_by_role("link", name="1", exact=True).click()
    expect(staff).to_have_url(re.compile(rf"/admin/drafting/section/{purpose.pk}/history/\d+/$"))
    expect(staff.get_by_role("button", name="Restore this revision")).to_be_visible()
    expect(staff.locator("main, #content").first).to_contain_text("Why restore this revision?")
