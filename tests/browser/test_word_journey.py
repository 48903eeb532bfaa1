"""Word in, Word out: a coordinator imports the group's draft into an empty Concept, and an expert who
works in Word sends an edited export back as proposals."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from drafting.models import Proposal, Section
from tests.browser.conftest import PURPOSE_MIDDLE, sign_in
from tests.browser.test_accessibility import audit
from tests.drafting.word_files import make_draft, replace_text
from tests.factories import ConceptFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_coordinator_previews_chooses_levels_and_imports_a_word_draft(page: Page, live_server, demo_coordinator):
    concept = ConceptFactory(title="Концепция")
    sign_in(page, live_server, "demo-coordinator")
    page.goto(f"{live_server.url}/concept/{concept.pk}/")
    page.get_by_role("link", name="Import a Word draft").click()
    assert audit(page, "Word import") == []
    page.get_by_label("Word file (.docx)").set_input_files(
        {"name": "Проект.docx", "mimeType": DOCX_TYPE, "buffer": make_draft()}
    )
    page.get_by_role("button", name="Upload and preview").click()

    outline = page.locator(".word-outline")
    expect(outline).to_contain_text("1.1. Цель")
    expect(page.get_by_text("1 comment in the file is not imported.")).to_be_visible()
    assert audit(page, "Word import preview") == []
    page.get_by_label("A sub-section starts at").select_option(label="no sub-sections")
    page.get_by_role("button", name="Show the numbered result").click()
    expect(outline).not_to_contain_text("1.1.")
    expect(outline).to_contain_text("2. Задачи")
    page.get_by_label("A sub-section starts at").select_option(label="Heading 2")
    page.get_by_role("button", name="Show the numbered result").click()
    expect(outline).to_contain_text("1.1. Цель")
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.get_by_text("The Word draft was imported.")).to_be_visible()
    expect(page.get_by_role("link", name="Цель", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Проект.docx")).to_be_visible()
    assert Section.objects.filter(concept=concept).count() == 3


def test_expert_uploads_an_edited_export_and_creates_proposals(
    page: Page, live_server, demo_concept, demo_expert, tmp_path
):
    sign_in(page, live_server, "demo-expert")
    page.goto(f"{live_server.url}/concept/{demo_concept.concept.pk}/")
    page.get_by_role("link", name="Propose changes from a Word file").click()
    assert audit(page, "Word proposals upload") == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the current draft as DOCX").click()
    exported = Path(download.value.path()).read_bytes()
    edited = replace_text(exported, "единство народа", "единство всего народа")

    page.get_by_label("Word file (.docx)").set_input_files(
        {"name": "правки.docx", "mimeType": DOCX_TYPE, "buffer": edited}
    )
    page.get_by_role("button", name="Upload and review").click()
    expect(page.get_by_role("heading", name="Purpose")).to_be_visible()
    expect(page.locator(".diff ins").first).to_contain_text("всего")
    assert audit(page, "Word proposals review") == []
    page.get_by_label("Rationale").fill("Точнее: весь народ.")
    page.get_by_role("button", name="Create 1 proposal").click()

    expect(page.get_by_text("1 proposal was created.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/concept/{demo_concept.concept.pk}/proposals/"))
    proposal = Proposal.objects.get()
    assert proposal.author == demo_expert and proposal.section == demo_concept.purpose
    assert PURPOSE_MIDDLE.replace("единство народа", "единство всего народа") in proposal.text
