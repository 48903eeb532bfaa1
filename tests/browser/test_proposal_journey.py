"""The consensus journey: propose, take positions, discuss, edit meanwhile, merge, and be told.

Four people in separate browser contexts: the author (demo-expert), a practitioner who
supports and later edits the section itself, a scientist who objects and comments, and the
coordinator who merges the proposal onto the changed section.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from drafting.models import Proposal, Section
from members.models import Expert
from tests.browser.conftest import PURPOSE_FIRST, PURPOSE_LAST, PURPOSE_MIDDLE, sign_in
from tests.factories import ExpertFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROPOSED_FIRST = PURPOSE_FIRST.replace("цели", "приоритеты")
EDITED_LAST = "Қазақстан халқының бірлігі — біздің басты құндылығымыз."
TITLE = "Speak of priorities, not goals"
RATIONALE = "“Priorities” tells the reader what comes first."
OBJECTION = "Goals and priorities are not the same thing; keep “цели”."
COMMENT = "Could we say both, “цели и приоритеты”?"
REPLY = "Both would make the first sentence too long; priorities are enough."


@pytest.fixture
def third_expert(transactional_db):
    """A scientist (the other bloc from demo-expert-2, a practitioner)."""
    return ExpertFactory(user__username="demo-expert-3", full_name="Марат Оспанов", bloc=Expert.Bloc.SCIENTIFIC).user


def open_section(page: Page, section: Section) -> None:
    """From the main navigation: Contents → the section."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Contents").click()
    page.get_by_role("link", name=section.heading, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/sections/{section.pk}/$"))


def put_forward_proposal(page: Page, section: Section) -> int:
    """The author proposes a new first sentence; returns the proposal's number."""
    open_section(page, section)
    page.get_by_role("link", name="Propose a change").click()
    expect(page.get_by_role("heading", name=f"Propose a change to “{section.heading}”")).to_be_visible()
    text = page.get_by_label("Proposed text")
    body = text.input_value()
    assert PURPOSE_FIRST in body, body
    text.fill(body.replace(PURPOSE_FIRST, PROPOSED_FIRST))
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Rationale").fill(RATIONALE)
    page.get_by_role("button", name="Put forward the proposal").click()

    expect(page).to_have_url(re.compile(r"/proposals/\d+/$"))
    number = int(re.search(r"/proposals/(\d+)/$", page.url).group(1))
    expect(page.get_by_role("status")).to_have_text(f"Proposal #{number} is open for positions and comments.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"#{number} {TITLE}")
    return number


def take_position(page: Page, live_server, number: int, stance: str, reason: str = "") -> None:
    page.goto(f"{live_server.url}/proposals/{number}/")
    page.get_by_label(stance, exact=True).check()
    if reason:
        page.get_by_label("Reason", exact=True).fill(reason)
    page.get_by_role("button", name="Record my position").click()
    expect(page.get_by_role("status")).to_have_text("Your position is recorded.")
    expect(page.get_by_role("heading", name="Change your position")).to_be_visible()


def check_consensus(page: Page) -> None:
    consensus = page.get_by_role("region", name="Consensus")
    expect(consensus.locator(".tally__cell")).to_have_text(
        ["1 support", "0 can live with it", "1 object", "2 not answered yet"]
    )
    scientific = consensus.locator(".bloc-columns > div").filter(has_text="Scientific-theoretical")
    practitioners = consensus.locator(".bloc-columns > div").filter(has_text="Political practitioner")
    expect(scientific).to_contain_text("0 support · 0 can live with it · 1 object · 2 not answered")
    expect(scientific.locator(".position")).to_have_text(
        re.compile(rf"Object\s+Марат Оспанов\s+{re.escape(OBJECTION)}")
    )
    expect(scientific).to_contain_text("Not answered yet: Demo Coordinator, Demo Expert")
    expect(practitioners).to_contain_text("1 support · 0 can live with it · 0 object · 0 not answered")
    expect(practitioners.locator(".position")).to_have_text(re.compile(r"Support\s+Айгерим Сейткали"))
    expect(practitioners).not_to_contain_text("Not answered yet")


def test_proposal_gathers_positions_and_is_merged_onto_a_changed_section(
    page,
    other_page,
    new_context,
    live_server,
    demo_expert,
    second_expert,
    third_expert,
    demo_coordinator,
    demo_concept,
):
    purpose = demo_concept.purpose
    third_page = new_context().new_page()
    author = sign_in(page, live_server, "demo-expert")
    supporter = sign_in(other_page, live_server, "demo-expert-2")
    objector = sign_in(third_page, live_server, "demo-expert-3")

    # 1. The author puts forward a new first sentence.
    number = put_forward_proposal(author, purpose)

    # 2. A practitioner supports, a scientist objects with a reason; the card shows the split.
    take_position(supporter, live_server, number, "Support")
    take_position(objector, live_server, number, "Object", OBJECTION)
    check_consensus(objector)
    author.reload()
    check_consensus(author)

    # 3. The scientist comments; the author replies in the thread.
    objector.get_by_role("textbox", name="Comment", exact=True).fill(COMMENT)
    objector.get_by_role("button", name="Comment", exact=True).click()
    expect(objector.get_by_role("status")).to_have_text("Comment added.")
    comment = objector.locator("li.comment").filter(has_text=COMMENT)
    expect(comment).to_contain_text("Марат Оспанов")

    author.reload()
    thread = author.locator("li.comment").filter(has_text=COMMENT).first
    thread.locator("summary").filter(has_text="Reply").first.click()
    thread.get_by_label("Your reply").first.fill(REPLY)
    thread.get_by_role("button", name="Reply", exact=True).first.click()
    expect(author.get_by_role("status")).to_have_text("Comment added.")
    discussion = author.get_by_role("region", name="Discussion")
    expect(discussion.locator("li.comment")).to_have_count(2)
    reply = discussion.locator("li.comment li.comment")
    expect(reply).to_contain_text(REPLY)
    expect(reply).to_contain_text("Demo Expert")
    expect(discussion.locator("li.comment").first).to_contain_text(COMMENT)

    # 4. Meanwhile the practitioner edits the section itself: the last sentence.
    open_section(supporter, purpose)
    supporter.get_by_role("link", name="Edit", exact=True).click()
    editor = supporter.get_by_label("Text", exact=True)
    body = editor.input_value()
    assert PURPOSE_LAST in body, body
    editor.fill(body.replace(PURPOSE_LAST, EDITED_LAST))
    supporter.get_by_label("Summary of your change").fill("Stronger closing sentence")
    supporter.get_by_role("button", name="Save", exact=True).click()
    expect(supporter.get_by_role("status")).to_have_text("Saved as revision 2.")

    # 5. The coordinator merges from the queue; the changes do not overlap.
    coordinator = objector
    coordinator.get_by_role("button", name="Sign out").click()
    sign_in(coordinator, live_server, "demo-coordinator")
    coordinator.get_by_role("navigation", name="Main").get_by_role("link", name="Merge queue").click()
    expect(coordinator.get_by_role("heading", name="Merge queue", level=1)).to_be_visible()
    row = coordinator.get_by_role("row").filter(has_text=f"#{number} {TITLE}")
    expect(row).to_be_visible()
    expect(row.get_by_role("cell")).to_have_text(
        [re.compile(rf"#{number} {TITLE}"), "1", "0", "1", re.compile(r"scientific 0 · practitioners 1"), "Merge…"]
    )
    expect(row).to_contain_text("outdated")
    row.get_by_role("link", name="Merge…").click()

    expect(coordinator.get_by_role("heading", level=1)).to_have_text(f"Merge proposal #{number}: {TITLE}")
    expect(coordinator.locator(".message--info")).to_contain_text(
        "The section changed since this proposal was written (revision 1, now 2). The changes do not overlap"
    )
    merged = f"{PROPOSED_FIRST} {PURPOSE_MIDDLE} {EDITED_LAST}"
    expect(coordinator.get_by_label("Resulting text")).to_have_value(merged)
    # An expert objected: the coordinator confirms and says why before merging over it.
    coordinator.get_by_label("I have read the objections and merge the proposal anyway").check()
    coordinator.get_by_label("Why merge over the objections").fill("The objection is answered by the edit.")
    coordinator.get_by_role("button", name="Apply the merge").click()

    expect(coordinator).to_have_url(re.compile(rf"/sections/{purpose.pk}/$"))
    expect(coordinator.get_by_role("status")).to_have_text(f"Merged proposal #{number} as revision 3 of “Purpose”.")
    expect(coordinator.locator("article.document .prose")).to_have_text(merged)
    purpose.refresh_from_db()
    assert purpose.version == 3 and purpose.body == merged
    assert Proposal.objects.get(pk=number).status == Proposal.Status.MERGED

    # 6. The author is told, and the history credits the proposal.
    author.get_by_role("navigation", name="Main").get_by_role("link", name="What changed").click()
    for_you = author.locator("section.card").filter(has=author.get_by_role("heading", name="For you"))
    notice = for_you.get_by_role("listitem").filter(has_text="merged")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text(f"Demo Coordinator merged #{number} “{TITLE}” into “Purpose” (revision 3)")
    # The notice's link marks it read on the way to the proposal.
    expect(notice.get_by_role("link")).to_have_attribute("href", re.compile(r"^/notifications/\d+/open/$"))
    notice.get_by_role("link").click()
    expect(author).to_have_url(re.compile(rf"/proposals/{number}/$"))

    open_section(author, purpose)
    author.get_by_role("link", name="History", exact=True).click()
    rows = author.locator("table.history-list tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first.get_by_role("cell").first).to_have_text("3")
    expect(rows.first).to_contain_text(f"Merged proposal #{number} by Demo Expert")
    expect(rows.first).to_contain_text("Demo Coordinator")
    expect(rows.nth(1)).to_contain_text("Stronger closing sentence")
