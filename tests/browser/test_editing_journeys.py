"""Editing journeys: save, merge of two stale edits, a real conflict, a coordinator's revert, preview."""

import re

import pytest
from playwright.sync_api import Page, expect

from drafting import services
from drafting.models import Section
from tests.browser.conftest import (
    PURPOSE_BODY,
    PURPOSE_FIRST,
    PURPOSE_LAST,
    PURPOSE_MIDDLE,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONFLICT_HEADING = "Someone else changed the same words: nothing has been saved yet"


def open_editor(page: Page, live_server, section: Section) -> Page:
    """From the section page, follow "Edit" and wait for the editor."""
    page.goto(f"{live_server.url}{section.get_absolute_url()}")
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/sections/{section.pk}/edit/$"))
    expect(page.get_by_label("Text", exact=True)).to_be_visible()
    return page


def replace_in_editor(page: Page, old: str, new: str) -> None:
    """Change one sentence of the text in the editor, keeping the rest as the person loaded it."""
    textarea = page.get_by_label("Text", exact=True)
    text = textarea.input_value()
    assert old in text, f"{old!r} is not in the editor: {text!r}"
    textarea.fill(text.replace(old, new))


def save(page: Page, summary: str | None = None) -> None:
    if summary is not None:
        page.get_by_label("Summary of your change").fill(summary)
    page.get_by_role("button", name="Save", exact=True).click()


def section_text(page: Page):
    return page.locator("article.document .prose")


def test_expert_edits_a_section_and_finds_the_summary_in_history(page, live_server, demo_expert, demo_concept):
    purpose = demo_concept.purpose
    added = "Межэтническое согласие — основа стабильности."
    sign_in(page, live_server, "demo-expert")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Contents").click()
    page.get_by_role("link", name="Purpose", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("1.1 Purpose")

    page.get_by_role("link", name="Edit", exact=True).click()
    textarea = page.get_by_label("Text", exact=True)
    expect(textarea).to_have_value(PURPOSE_BODY)
    textarea.fill(f"{PURPOSE_BODY}\n\n{added}")
    page.get_by_label("Summary of your change").fill("Add a sentence on interethnic accord")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page).to_have_url(re.compile(rf"/sections/{purpose.pk}/$"))
    expect(page.get_by_role("status")).to_have_text("Saved as revision 2.")
    expect(page.locator(".page-lead")).to_have_text("Revision 2")
    expect(section_text(page).locator("p")).to_have_text([PURPOSE_BODY, added])

    page.get_by_role("link", name="History", exact=True).click()

    expect(page.get_by_role("heading", name="History of “Purpose”")).to_be_visible()
    rows = page.locator("table.history-list tbody tr")
    expect(rows).to_have_count(2)
    newest = rows.first
    expect(newest.get_by_role("cell").first).to_have_text("2")
    expect(newest).to_contain_text("Add a sentence on interethnic accord")
    expect(newest).to_contain_text("Demo Expert")
    expect(newest).to_contain_text("(Edited)")
    expect(rows.last).to_contain_text("Added section “Purpose”")


def test_two_experts_change_different_sentences_and_both_changes_are_merged(
    page, other_page, live_server, demo_expert, second_expert, demo_concept
):
    purpose = demo_concept.purpose
    first_new = PURPOSE_FIRST.replace("цели", "цели и принципы")
    last_new = "Қазақстан халқының бірлігі — біздің басты құндылығымыз."
    first = sign_in(page, live_server, "demo-expert")
    second = sign_in(other_page, live_server, "demo-expert-2")
    open_editor(first, live_server, purpose)
    open_editor(second, live_server, purpose)  # both started from revision 1

    replace_in_editor(first, PURPOSE_FIRST, first_new)
    save(first, "Name the principles too")
    expect(first.get_by_role("status")).to_have_text("Saved as revision 2.")

    replace_in_editor(second, PURPOSE_LAST, last_new)
    save(second, "Stronger closing sentence")

    expect(second).to_have_url(re.compile(rf"/sections/{purpose.pk}/$"))
    message = second.get_by_role("status")
    expect(message).to_contain_text("Saved as revision 3.")
    expect(message).to_contain_text("was merged with the other edit")
    expect(message.get_by_role("link", name="See what changed since your revision 1")).to_have_attribute(
        "href", f"/sections/{purpose.pk}/compare/?from=1&to=3"
    )
    expect(section_text(second)).to_have_text(f"{first_new} {PURPOSE_MIDDLE} {last_new}")

    # The first expert reloads and sees the merged text too.
    first.reload()
    expect(section_text(first)).to_have_text(f"{first_new} {PURPOSE_MIDDLE} {last_new}")
    purpose.refresh_from_db()
    assert purpose.version == 3
    assert purpose.body == f"{first_new} {PURPOSE_MIDDLE} {last_new}"


def test_overlapping_edits_show_the_conflict_page_and_the_second_expert_combines_them(
    page, other_page, live_server, demo_expert, second_expert, demo_concept
):
    purpose = demo_concept.purpose
    mine_first = "Она опирается на единство и равноправие граждан."
    mine_second = "Она опирается на взаимное доверие всех этносов страны."
    first = sign_in(page, live_server, "demo-expert")
    second = sign_in(other_page, live_server, "demo-expert-2")
    open_editor(first, live_server, purpose)
    open_editor(second, live_server, purpose)

    replace_in_editor(first, PURPOSE_MIDDLE, mine_first)
    save(first, "Equality of citizens")
    expect(first.get_by_role("status")).to_have_text("Saved as revision 2.")

    replace_in_editor(second, PURPOSE_MIDDLE, mine_second)
    with second.expect_response(lambda r: r.request.method == "POST" and "/edit/" in r.url) as response_info:
        save(second, "Trust between ethnic groups")

    assert response_info.value.status == 409
    expect(second.get_by_role("heading", name=CONFLICT_HEADING)).to_be_visible()
    expect(second.locator(".conflict")).to_contain_text("saved as revision 2")
    expect(second.get_by_role("heading", name="Saved now (the other change)").first).to_be_visible()
    # Nothing was saved, and the editor still holds the second person's sentence (and summary).
    textarea = second.get_by_label("Text", exact=True)
    expect(textarea).to_have_value(f"{PURPOSE_FIRST} {mine_second} {PURPOSE_LAST}")
    expect(second.get_by_label("Summary of your change")).to_have_value("Trust between ethnic groups")
    purpose.refresh_from_db()
    assert purpose.version == 2 and mine_second not in purpose.body

    # Combine both wordings and save again: this time it is saved on top of revision 2.
    replace_in_editor(second, mine_second, f"{mine_first} {mine_second}")
    save(second)

    expect(second).to_have_url(re.compile(rf"/sections/{purpose.pk}/$"))
    expect(second.get_by_role("status")).to_have_text("Saved as revision 3.")
    final = f"{PURPOSE_FIRST} {mine_first} {mine_second} {PURPOSE_LAST}"
    expect(section_text(second)).to_have_text(final)
    purpose.refresh_from_db()
    assert purpose.version == 3 and purpose.body == final


def test_coordinator_restores_revision_1_from_the_history_page(
    page, live_server, demo_expert, demo_coordinator, demo_concept
):
    purpose = demo_concept.purpose
    sharper = "Она опирается на единство и равноправие всех граждан Казахстана."
    services.section_edit(
        section=purpose,
        base_version=1,
        body=PURPOSE_BODY.replace(PURPOSE_MIDDLE, sharper),
        user=demo_expert,
        summary="Sharper wording",
    )
    sign_in(page, live_server, "demo-coordinator")
    page.goto(f"{live_server.url}{purpose.get_absolute_url()}")
    expect(section_text(page)).to_contain_text(sharper)
    page.get_by_role("link", name="History", exact=True).click()
    expect(page.get_by_role("button", name="Restore 2")).to_have_count(0)  # the current revision

    page.get_by_role("button", name="Restore 1", exact=True).click()
    page.get_by_role("button", name="Restore revision 1").click()  # the confirmation page

    expect(page).to_have_url(re.compile(rf"/sections/{purpose.pk}/$"))
    expect(page.get_by_role("status")).to_have_text("Restored revision 1 as revision 3.")
    expect(section_text(page)).to_have_text(PURPOSE_BODY)

    page.get_by_role("link", name="History", exact=True).click()
    rows = page.locator("table.history-list tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Reverted to revision 1")
    expect(rows.first).to_contain_text("Demo Coordinator")
    expect(rows.first).to_contain_text("(Reverted)")
    expect(rows.nth(1)).to_contain_text("Sharper wording")


def test_preview_renders_markdown_without_saving(page, live_server, demo_expert, demo_concept):
    goals = demo_concept.goals
    draft = "**Единство** через многообразие.\n\n- *бірлік*\n- согласие"
    sign_in(page, live_server, "demo-expert")
    open_editor(page, live_server, goals)

    page.get_by_label("Text", exact=True).fill(draft)
    page.get_by_label("Summary of your change").fill("Try a shorter list")
    page.get_by_role("button", name="Preview", exact=True).click()

    preview = page.get_by_role("region", name="Preview (not saved yet)")
    expect(preview.locator("strong")).to_have_text("Единство")
    expect(preview.locator("em")).to_have_text("бірлік")
    expect(preview.locator("li")).to_have_text(["бірлік", "согласие"])
    expect(preview).not_to_contain_text("**")
    # The editor keeps the typed Markdown and summary; nothing was saved.
    expect(page.get_by_label("Text", exact=True)).to_have_value(draft)
    expect(page.get_by_label("Summary of your change")).to_have_value("Try a shorter list")
    goals.refresh_from_db()
    assert goals.version == 1 and "Единство" not in goals.body

    page.get_by_role("link", name="Cancel").click()
    expect(page.locator(".page-lead")).to_have_text("Revision 1")
    expect(section_text(page)).not_to_contain_text("Единство")
    page.get_by_role("link", name="History", exact=True).click()
    expect(page.locator("table.history-list tbody tr")).to_have_count(1)


def test_preview_works_before_a_summary_is_written(page, live_server, demo_expert, demo_concept):
    sign_in(page, live_server, "demo-expert")
    open_editor(page, live_server, demo_concept.goals)

    page.get_by_label("Text", exact=True).fill("**Единство** через многообразие.")
    page.get_by_role("button", name="Preview", exact=True).click()

    preview = page.get_by_role("region", name="Preview (not saved yet)")
    expect(preview.locator("strong")).to_have_text("Единство", timeout=3_000)
