"""Quoting a proposal's wording in its discussion, in Chromium: by mouse, by touch and by keyboard."""

import re

import pytest
from playwright.sync_api import Page, expect

from drafting import services
from drafting.models import Comment
from tests.browser.conftest import PURPOSE_BODY, PURPOSE_MIDDLE, sign_in
from tests.browser.test_reading_journeys import SELECT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_MIDDLE = "Она опирается на единство многонационального народа Казахстана."
# Starts in words the proposal keeps and ends after words it adds: the selection crosses the
# <ins> of the change and its hidden "added:" label, which must not end up in the quote.
ACROSS_THE_CHANGE = "единство многонационального народа"
PROPOSED = "[data-quotable]"

# Where the words are on screen: from the left edge of the first character of `first` to the
# right edge of the last character of `last` (the first occurrence of each, `last` after `first`).
WORDS_BOX = """([selector, first, last]) => {
  const root = document.querySelector(selector);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) =>
      node.parentElement.closest(".visually-hidden") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const range = document.createRange();
  let started = false;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!started) {
      const at = node.data.indexOf(first);
      if (at < 0) continue;
      range.setStart(node, at);
      started = true;
      const end = node.data.indexOf(last, at);
      if (end >= 0) { range.setEnd(node, end + last.length); break; }
      continue;
    }
    const end = node.data.indexOf(last);
    if (end >= 0) { range.setEnd(node, end + last.length); break; }
  }
  const rects = range.getClientRects();
  const a = rects[0], b = rects[rects.length - 1];
  return [a.left + 1, a.top + a.height / 2, b.right - 1, b.top + b.height / 2];
}"""

SELECT_INTO_RATIONALE = """([selector, words]) => {
  const root = document.querySelector(selector);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(words);
    if (at >= 0) {
      const rationale = [...document.querySelectorAll("h3")].find((h) => h.textContent.trim() === "Rationale");
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(rationale.nextElementSibling.firstChild, 3);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      return true;
    }
  }
  return false;
}"""


@pytest.fixture
def proposal(demo_concept, second_expert):
    return services.proposal_create_amendment(
        section=demo_concept.purpose,
        author=second_expert,
        title="Многонациональный народ",
        text=PURPOSE_BODY.replace(PURPOSE_MIDDLE, NEW_MIDDLE),
        rationale="Так точнее.",
        base_version=demo_concept.purpose.version,
    )


def open_proposal(page: Page, live_server, proposal) -> None:
    sign_in(page, live_server, "demo-expert")
    page.goto(f"{live_server.url}{proposal.get_absolute_url()}")
    expect(page.locator("[data-reading]")).to_have_class(re.compile(r"\breading--js\b"))


def quote_field(page: Page):
    return page.get_by_label("Quote from the proposed text (optional)")


def comment_box(page: Page):
    return page.get_by_role("textbox", name="Comment", exact=True)


def marks_of(page: Page, comment: Comment):
    """The marks a reader sees (a passage across a change also marks its label for screen readers)."""
    return page.locator(f'{PROPOSED} mark[data-threads="{comment.pk}"]:not(.visually-hidden *)')


def test_select_words_of_the_proposal_with_the_mouse_and_comment_on_them(
    page: Page, live_server, demo_expert, proposal
):
    open_proposal(page, live_server, proposal)

    x1, y1, x2, y2 = page.evaluate(WORDS_BOX, [PROPOSED, "единство", "народа"])
    page.mouse.move(x1, y1)
    page.mouse.down()
    page.mouse.move(x2, y2, steps=8)
    page.mouse.up()
    toolbar = page.get_by_role("group", name="Selected passage")
    expect(toolbar).to_be_visible()
    expect(toolbar.get_by_role("button", name="Suggest a change")).to_have_count(0)
    toolbar.get_by_role("button", name="Comment").click()

    expect(quote_field(page)).to_have_value(ACROSS_THE_CHANGE)
    expect(comment_box(page)).to_be_focused()
    comment_box(page).fill("Почему «многонационального»?")
    page.locator("#new-comment").get_by_role("button", name="Comment").click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))

    comment = Comment.objects.get()
    assert comment.proposal_id == proposal.pk and comment.quote == ACROSS_THE_CHANGE
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("Почему «многонационального»?")
    marks = marks_of(page, comment)
    expect(marks.first).to_be_visible()
    assert "".join(marks.all_text_contents()) == ACROSS_THE_CHANGE
    expect(page.locator(f"{PROPOSED} ins > mark")).to_have_text("многонационального")

    # The passage and its comment lead to each other.
    page.goto(f"{live_server.url}{proposal.get_absolute_url()}")
    page.locator(f"#mark-{comment.pk}").click()
    expect(page).to_have_url(re.compile(rf"#comment-{comment.pk}$"))
    expect(page.locator(f"#comment-{comment.pk}")).to_be_in_viewport()


def test_touch_screen_quotes_words_of_the_proposal_with_a_tap(new_context, live_server, demo_expert, proposal):
    context = new_context(has_touch=True, is_mobile=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    open_proposal(page, live_server, proposal)

    assert page.evaluate(SELECT, [PROPOSED, "ортақ құндылық"])
    page.get_by_role("button", name="Quote a passage").tap()
    toolbar = page.get_by_role("group", name="Selected passage")
    expect(toolbar).to_be_visible()
    toolbar.get_by_role("button", name="Comment").tap()
    expect(quote_field(page)).to_have_value("ортақ құндылық")
    comment_box(page).fill("Келісемін.")
    page.locator("#new-comment").get_by_role("button", name="Comment").tap()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))

    comment = Comment.objects.get()
    assert comment.quote == "ортақ құндылық"
    expect(page.locator(f"#mark-{comment.pk}")).to_have_text("ортақ құндылық")


def test_keyboard_quotes_the_current_selection_with_the_quote_control(page: Page, live_server, demo_expert, proposal):
    open_proposal(page, live_server, proposal)

    assert page.evaluate(SELECT, [PROPOSED, "Настоящая Концепция"])
    page.get_by_role("button", name="Quote a passage").focus()
    page.keyboard.press("Enter")
    comment_button = page.get_by_role("group", name="Selected passage").get_by_role("button", name="Comment")
    expect(comment_button).to_be_focused()
    page.keyboard.press("Enter")
    expect(quote_field(page)).to_have_value("Настоящая Концепция")
    expect(comment_box(page)).to_be_focused()
    page.keyboard.type("С клавиатуры.")
    page.keyboard.press("Tab")
    expect(page.locator("#new-comment").get_by_role("button", name="Comment")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))

    comment = Comment.objects.get()
    assert comment.quote == "Настоящая Концепция" and comment.body == "С клавиатуры."
    expect(page.locator(f"#mark-{comment.pk}")).to_have_text("Настоящая Концепция")


def test_selection_beyond_the_proposed_text_gets_a_clear_message(page: Page, live_server, demo_expert, proposal):
    open_proposal(page, live_server, proposal)
    toolbar = page.get_by_role("group", name="Selected passage")
    message = "This selection goes beyond the proposed text. Select words of the proposed text only."

    page.get_by_role("button", name="Quote a passage").click()
    expect(page.get_by_role("status").filter(has_text="Select a passage")).to_be_visible()

    assert page.evaluate(SELECT_INTO_RATIONALE, [PROPOSED, "ортақ"])
    expect(page.get_by_text(message)).to_be_visible()
    expect(toolbar).to_be_hidden()
    page.get_by_role("button", name="Quote a passage").click()
    expect(page.get_by_text(message)).to_be_visible()
    expect(toolbar).to_be_hidden()

    assert page.evaluate(SELECT, [PROPOSED, "ортақ"])
    expect(toolbar).to_be_visible()
    expect(page.get_by_text(message)).to_be_hidden()


def test_without_javascript_marks_link_to_the_comments(new_context, live_server, demo_expert, proposal):
    comment = services.comment_add(author=demo_expert, body="Без скриптов.", proposal=proposal, quote="ортақ құндылық")
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, live_server, "demo-expert")
    page.goto(f"{live_server.url}{proposal.get_absolute_url()}")

    expect(page.get_by_role("button", name="Quote a passage")).to_be_hidden()
    expect(page.locator(f"#mark-{comment.pk}")).to_have_text("ортақ құндылық")
    page.locator(f'a.mark-ref[href="#comment-{comment.pk}"]').click()
    expect(page).to_have_url(re.compile(rf"#comment-{comment.pk}$"))
    expect(page.locator(f"#comment-{comment.pk}")).to_be_in_viewport()


def test_proposal_page_with_highlights_and_the_toolbar_passes_axe(
    page: Page, live_server, demo_expert, second_expert, proposal
):
    from tests.browser.test_accessibility import audit

    services.comment_add(author=demo_expert, body="Один.", proposal=proposal, quote="единство многонационального")
    services.comment_add(author=second_expert, body="Два.", proposal=proposal, quote="многонационального народа")
    open_proposal(page, live_server, proposal)
    assert page.evaluate(SELECT, [PROPOSED, "ортақ"])
    expect(page.get_by_role("group", name="Selected passage")).to_be_visible()
    found = audit(page, "proposal page")
    assert found == [], "\n".join(found)
