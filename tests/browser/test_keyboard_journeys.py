"""Keyboard-only journeys: after opening a start address, only Tab, Shift+Tab, Enter, Space and typing.

Every control the journey stops on must show where the focus is (an outline or a ring).
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from drafting import services
from drafting.models import Position, Proposal
from tests.browser.conftest import PURPOSE_BODY, PURPOSE_FIRST, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 150

# What a person hears for the focused control: its label, its own label, or its text.
FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return {name: "", visible: false};
    const label = (el.labels && el.labels.length) ? el.labels[0].textContent
        : (el.getAttribute("aria-label") || el.textContent || el.value || "");
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const ring = style.boxShadow && style.boxShadow !== "none";
    return {name: label.replace(/\\s+/g, " ").replace(/\\s*\\*$/, "").trim(), visible: outline || ring};
}"""


def tab_to(page: Page, name: str, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the control called `name` has the focus; it must show it."""
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        seen.append(focused["name"])
        if focused["name"] == name:
            assert focused["visible"], f"{name!r} has the focus but shows no outline or ring"
            return
    pytest.fail(f"{name!r} is not reachable with {key}; the focus went through: {seen}")


def test_expert_edits_and_saves_a_section_with_the_keyboard(page, live_server, demo_expert, demo_concept):
    purpose = demo_concept.purpose
    added = "Межэтническое согласие — основа стабильности."
    sign_in(page, live_server, "demo-expert")
    page.goto(f"{live_server.url}{purpose.get_absolute_url()}")

    tab_to(page, "Edit")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/sections/{purpose.pk}/edit/$"))
    tab_to(page, "Text")
    page.keyboard.press("Control+End")
    page.keyboard.type(f"\n\n{added}")
    tab_to(page, "Summary of your change")
    page.keyboard.type("Add a sentence on accord")
    tab_to(page, "Save")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/sections/{purpose.pk}/$"))
    expect(page.get_by_role("status")).to_have_text("Saved as revision 2.")
    expect(page.locator("article.document .prose p")).to_have_text([PURPOSE_BODY, added])
    purpose.refresh_from_db()
    assert purpose.version == 2 and purpose.body.endswith(added)


def test_expert_proposes_an_amendment_with_the_keyboard(page, live_server, demo_expert, demo_concept):
    purpose = demo_concept.purpose
    sign_in(page, live_server, "demo-expert")
    page.goto(f"{live_server.url}{purpose.get_absolute_url()}")

    tab_to(page, "Propose a change")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=f"Propose a change to “{purpose.heading}”")).to_be_visible()
    tab_to(page, "Title")
    page.keyboard.type("Keyboard amendment")
    tab_to(page, "Proposed text")
    page.keyboard.press("Control+End")
    page.keyboard.type(" Added by keyboard.")
    tab_to(page, "Rationale")
    page.keyboard.type("Typed without a mouse.")
    tab_to(page, "Put forward the proposal")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/proposals/\d+/$"))
    number = int(re.search(r"/proposals/(\d+)/$", page.url).group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"#{number} Keyboard amendment")
    expect(page.get_by_role("status")).to_have_text(f"Proposal #{number} is open for positions and comments.")
    proposal = Proposal.objects.get(pk=number)
    assert proposal.text.endswith("Added by keyboard.")


@pytest.fixture
def open_proposal(demo_concept, demo_expert):
    purpose = demo_concept.purpose
    return services.proposal_create_amendment(
        section=purpose, author=demo_expert, title="Priorities, not goals",
        text=PURPOSE_BODY.replace(PURPOSE_FIRST, PURPOSE_FIRST.replace("цели", "приоритеты")),
        rationale="Clearer.", base_version=purpose.version,
    )  # fmt: skip


def test_expert_supports_a_proposal_with_the_keyboard(page, live_server, second_expert, open_proposal):
    sign_in(page, live_server, "demo-expert-2")
    page.goto(f"{live_server.url}{open_proposal.get_absolute_url()}")

    tab_to(page, "Support")
    page.keyboard.press("Space")
    tab_to(page, "Record my position")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_have_text("Your position is recorded.")
    expect(page.get_by_role("heading", name="Change your position")).to_be_visible()
    expect(page.get_by_label("Support", exact=True)).to_be_checked()
    position = Position.objects.get(proposal=open_proposal, expert=second_expert.expert)
    assert position.stance == "support"


def test_coordinator_merges_a_proposal_with_the_keyboard(page, live_server, demo_coordinator, open_proposal):
    purpose = open_proposal.section
    sign_in(page, live_server, "demo-coordinator")
    page.goto(f"{live_server.url}{reverse('drafting:merge-queue', args=[purpose.concept_id])}")

    tab_to(page, "Merge…")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Merge proposal #{open_proposal.pk}: {open_proposal.title}"
    )
    tab_to(page, "Apply the merge")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/sections/{purpose.pk}/$"))
    expect(page.get_by_role("status")).to_have_text(
        f"Merged proposal #{open_proposal.pk} as revision 2 of “{purpose.heading}”."
    )
    expect(page.locator("article.document .prose")).to_have_text(open_proposal.text)
    purpose.refresh_from_db()
    open_proposal.refresh_from_db()
    assert purpose.version == 2 and purpose.body == open_proposal.text
    assert open_proposal.status == "merged"
