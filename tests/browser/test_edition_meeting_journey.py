"""The coordinator's meeting journey: freeze an edition, schedule a meeting on the open
disagreements, record its outcomes, and download the edition as a PDF."""

import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from drafting import services
from drafting.models import AgendaItem, Edition, Proposal
from members.models import Expert
from tests.browser.conftest import PURPOSE_FIRST, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEETING = "Working Group meeting on the open disagreements"
VIDEO_URL = "https://meet.example.kz/kisi-working-group"


def propose_with_objection(section, *, author, objector, title: str, old: str, new: str, reason: str) -> Proposal:
    """An amendment through the services, and an objection to it: an open disagreement."""
    assert old in section.body
    proposal = services.proposal_create_amendment(
        section=section,
        author=author,
        title=title,
        text=section.body.replace(old, new),
        rationale="Clearer wording.",
        base_version=section.version,
    )
    services.position_record(
        proposal=proposal, expert=Expert.objects.get(user=objector), stance="object", reason=reason
    )
    return proposal


@pytest.fixture
def disagreements(demo_concept, demo_expert, second_expert):
    first = propose_with_objection(
        demo_concept.purpose,
        author=demo_expert,
        objector=second_expert,
        title="Name the principles too",
        old=PURPOSE_FIRST,
        new=PURPOSE_FIRST.replace("цели", "цели и принципы"),
        reason="Principles belong in section 2.",
    )
    second = propose_with_objection(
        demo_concept.goals,
        author=demo_expert,
        objector=second_expert,
        title="Drop the list of goals",
        old="Strengthen civic identity",
        new="Build civic identity",
        reason="“Strengthen” is the word of the Constitution.",
    )
    return first, second


def row_of(page: Page, proposal: Proposal):
    return page.get_by_role("row").filter(has_text=f"#{proposal.pk} {proposal.title}")


def record_outcome(page: Page, proposal: Proposal, outcome: str) -> None:
    row = row_of(page, proposal)
    row.get_by_label("Outcome").select_option(label=outcome)
    row.get_by_role("button", name="Record outcome").click()
    expect(page.get_by_role("status")).to_have_text(f"Outcome recorded for proposal #{proposal.pk}.")


def test_coordinator_freezes_an_edition_holds_a_meeting_and_downloads_the_pdf(
    page, live_server, demo_coordinator, demo_concept, disagreements
):
    agreed, rejected = disagreements
    nav = page.get_by_role("navigation", name="Main")
    sign_in(page, live_server, "demo-coordinator")

    # Freeze the current draft as "Draft 0.3".
    nav.get_by_role("link", name="Editions").click()
    expect(page.get_by_role("heading", name="Editions", level=1)).to_be_visible()
    page.get_by_label("Name").fill("Draft 0.3")
    page.get_by_role("button", name="Freeze edition").click()
    expect(page).to_have_url(re.compile(r"/editions/\d+/$"))
    expect(page.get_by_role("status")).to_have_text("Edition “Draft 0.3” frozen.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Draft 0.3")
    expect(page.locator("ol.toc li")).to_have_text(
        [
            re.compile(r"^1\s+General provisions"),
            re.compile(r"^1\.1\s+Purpose"),
            re.compile(r"^2\s+Goals"),
        ]
    )

    # Schedule a meeting on both disagreements, about that edition.
    nav.get_by_role("link", name="Meetings").click()
    page.get_by_role("link", name="Schedule a meeting").click()
    expect(page.get_by_role("heading", name="Schedule a meeting", level=1)).to_be_visible()
    page.get_by_label("Title").fill(MEETING)
    page.get_by_label("Date and time").fill("2026-12-12T10:00")
    page.get_by_label("Videoconference link").fill(VIDEO_URL)
    agenda = page.get_by_role("group", name="Open disagreements for the agenda")
    expect(agenda.get_by_role("checkbox")).to_have_count(2)
    for proposal in disagreements:
        box = agenda.get_by_label(f"#{proposal.pk} {proposal.title}")
        expect(box).not_to_be_checked()
        box.check()
    page.get_by_label("The draft discussed").select_option(label="Draft 0.3")
    page.get_by_role("button", name="Schedule", exact=True).click()

    expect(page).to_have_url(re.compile(r"/meetings/\d+/$"))
    expect(page.get_by_role("status")).to_have_text("Meeting scheduled.")
    expect(page.get_by_role("heading", level=1)).to_have_text(MEETING)
    lead = page.locator(".page-lead")
    expect(lead).to_contain_text("12 December 2026, 10:00")
    expect(lead.get_by_role("link", name="Videoconference link")).to_have_attribute("href", VIDEO_URL)
    expect(lead.get_by_role("link", name="Draft 0.3")).to_be_visible()
    for proposal in disagreements:
        expect(row_of(page, proposal).locator(".badge")).to_have_text("Not discussed yet")

    # Record the outcomes: the first agreed, the second rejected.
    record_outcome(page, agreed, "Agreed")
    record_outcome(page, rejected, "Rejected")
    expect(row_of(page, agreed).locator(".badge")).to_have_text("Agreed")
    expect(row_of(page, rejected).locator(".badge")).to_have_text("Rejected")
    assert list(AgendaItem.objects.order_by("order").values_list("outcome", flat=True)) == ["agreed", "rejected"]

    row_of(page, rejected).get_by_role("link", name=f"#{rejected.pk} {rejected.title}").click()
    expect(page).to_have_url(re.compile(rf"/proposals/{rejected.pk}/$"))
    expect(page.locator(".page-lead .badge")).to_have_text("Rejected")
    # "\s*": _user_name.html ends with a newline, so the page reads "Demo Coordinator : Rejected ...".
    expect(page.locator(".message--error")).to_contain_text(
        re.compile(r"Rejected by Demo Coordinator\s*: Rejected at the meeting of 12 December 2026")
    )
    expect(page.get_by_role("link", name="Merge…")).to_have_count(0)
    agreed.refresh_from_db()
    assert agreed.status == Proposal.Status.OPEN and agreed.agreed_meeting is not None

    # Download the edition as a PDF from the Editions page.
    nav.get_by_role("link", name="Editions").click()
    edition_row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Draft 0.3", exact=True))
    with page.expect_download(timeout=60_000) as info:
        edition_row.get_by_role("link", name="PDF").click()
    download = info.value
    edition = Edition.objects.get(name="Draft 0.3")
    day = timezone.localdate(edition.created_at)
    assert re.fullmatch(r"concept-draft-0\.3-\d{4}-\d{2}-\d{2}\.pdf", download.suggested_filename)
    assert download.suggested_filename == f"concept-draft-0.3-{day:%Y-%m-%d}.pdf"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Draft 0.3" in text
    assert re.search(r"1\.1\.\s*Purpose", text), text
    assert re.search(r"2\.\s*Goals", text), text
