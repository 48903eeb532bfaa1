"""An expert who pressed "Accept all changes" in Word before editing: another person's proposal, shown in the
export as tracked changes, became plain text in the file. The review names it and leaves it out of the expert's
proposal, unless the expert ticks the box to keep it in."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from drafting import services
from drafting.models import Proposal
from tests.browser.conftest import PURPOSE_BODY, PURPOSE_LAST, PURPOSE_MIDDLE, sign_in
from tests.browser.test_accessibility import audit
from tests.drafting.word_files import accept_all, replace_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
THEIR_LAST = PURPOSE_LAST.replace("ортақ", "басты")
MY_MIDDLE = PURPOSE_MIDDLE.replace("единство народа", "единство всего народа")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload_accepted_and_edited(page: Page, live_server, concept) -> None:
    page.goto(f"{live_server.url}/concept/{concept.pk}/")
    page.get_by_role("link", name="Propose changes from a Word file").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the current draft as DOCX").click()
    exported = Path(download.value.path()).read_bytes()
    edited = replace_text(accept_all(exported), "единство народа", "единство всего народа")
    page.get_by_label("Word file (.docx)").set_input_files(
        {"name": "правки.docx", "mimeType": DOCX_TYPE, "buffer": edited}
    )
    page.get_by_role("button", name="Upload and review").click()


def test_a_proposal_accepted_in_word_is_named_and_left_out_of_the_experts_proposal(
    page: Page, live_server, demo_concept, demo_expert, second_expert
):
    theirs = services.proposal_create_amendment(
        section=demo_concept.purpose, author=second_expert, title="Басты", rationale="R", base_version=1,
        text=PURPOSE_BODY.replace(PURPOSE_LAST, THEIR_LAST),
    )  # fmt: skip
    sign_in(page, live_server, "demo-expert")
    _upload_accepted_and_edited(page, live_server, demo_concept.concept)

    card = page.locator(".word-change")
    expect(card.get_by_role("heading", name="Purpose")).to_be_visible()
    expect(card).to_contain_text(
        f"The file contained proposal #{theirs.pk} by Айгерим Сейткали (probably accepted in Word); "
        "it was left out of this proposal."
    )
    proposed = card.locator(".diff-side").first.locator(".diff-side__col").last
    expect(proposed.locator("ins")).to_contain_text("всего")
    expect(proposed).not_to_contain_text("басты")
    keep = page.get_by_label("Keep the proposal found in the file in my proposal for this section")
    expect(keep).not_to_be_checked()
    page.get_by_text("Show this section as your file has it, with the proposal kept in").click()
    expect(card.locator("details .diff-side__col").last).to_contain_text("басты")
    assert audit(page, "Word proposals review, a proposal accepted in Word") == []

    page.get_by_label("Rationale").fill("Весь народ.")
    page.get_by_role("button", name="Create 1 proposal").click()

    expect(page.get_by_text("1 proposal was created.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/concept/{demo_concept.concept.pk}/proposals/"))
    mine = Proposal.objects.get(author=demo_expert)
    assert mine.text == PURPOSE_BODY.replace(PURPOSE_MIDDLE, MY_MIDDLE)


def test_ticking_the_box_keeps_the_accepted_proposal_in(
    page: Page, live_server, demo_concept, demo_expert, second_expert
):
    services.proposal_create_amendment(
        section=demo_concept.purpose, author=second_expert, title="Басты", rationale="R", base_version=1,
        text=PURPOSE_BODY.replace(PURPOSE_LAST, THEIR_LAST),
    )  # fmt: skip
    sign_in(page, live_server, "demo-expert")
    _upload_accepted_and_edited(page, live_server, demo_concept.concept)

    page.get_by_label("Keep the proposal found in the file in my proposal for this section").check()
    page.get_by_label("Rationale").fill("Вместе с басты.")
    page.get_by_role("button", name="Create 1 proposal").click()

    expect(page.get_by_text("1 proposal was created.")).to_be_visible()
    mine = Proposal.objects.get(author=demo_expert)
    assert mine.text == PURPOSE_BODY.replace(PURPOSE_MIDDLE, MY_MIDDLE).replace(PURPOSE_LAST, THEIR_LAST)
