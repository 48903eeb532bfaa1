"""Reading together in Chromium: select a passage and comment or suggest, follow marks and cards, on touch too."""

import re

import pytest
from playwright.sync_api import Page, expect

from drafting import services
from drafting.models import Comment, Proposal
from tests.browser.conftest import PURPOSE_BODY, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSAGE = "единство народа Казахстана"

# Selecting with the mouse or a long press is the browser's business; the page reacts to the
# selection itself (selectionchange), so the journeys make one with the Selection API.
SELECT = """([selector, words]) => {
  const root = document.querySelector(selector);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(words);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + words.length);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return true;
    }
  }
  return false;
}"""

SELECT_ACROSS = """([first, last]) => {
  const start = document.querySelector(first), end = document.querySelector(last);
  const range = document.createRange();
  range.setStart(start.firstChild, 0);
  range.setEnd(end.lastChild, end.lastChild.length || 0);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}"""


def select(page: Page, section_pk: int, words: str) -> None:
    assert page.evaluate(SELECT, [f'.prose[data-section="{section_pk}"]', words])


def test_select_a_passage_and_comment_then_mark_and_card_lead_to_each_other(
    page: Page, live_server, demo_expert, demo_concept
):
    purpose = demo_concept.purpose
    sign_in(page, live_server, "demo-expert")
    page.goto(f"{live_server.url}{purpose.get_absolute_url()}")

    select(page, purpose.pk, PASSAGE)
    toolbar = page.get_by_role("group", name="Selected passage")
    expect(toolbar).to_be_visible()
    toolbar.get_by_role("button", name="Comment").click()

    expect(page.get_by_label("Quoted passage (optional)")).to_have_value(PASSAGE)
    expect(page.get_by_role("textbox", name="Comment", exact=True)).to_be_focused()
    page.get_by_role("textbox", name="Comment", exact=True).fill("Добавить «многонационального»?")
    page.locator("#new-comment").get_by_role("button", name="Comment").click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))

    comment = Comment.objects.get()
    assert comment.quote == PASSAGE and comment.quote_version == purpose.version
    mark = page.locator(f"#mark-{comment.pk}")
    expect(mark).to_have_text(PASSAGE)
    card = page.locator(f"#comment-{comment.pk}")
    expect(card).to_contain_text("Добавить «многонационального»?")
    expect(card).to_contain_text("0 replies")

    page.evaluate("window.getSelection().removeAllRanges()")
    mark.click()
    expect(card).to_be_focused()
    expect(card).to_have_class(re.compile(r"\bis-active\b"))
    card.locator(".comment__body").click()
    expect(mark).to_have_class(re.compile(r"\bis-current\b"))
    expect(mark).to_be_in_viewport()


def test_side_panel_scrolls_to_the_card_of_a_clicked_passage(page: Page, live_server, demo_expert, demo_concept):
    purpose = demo_concept.purpose
    for n in range(12):  # enough threads that the panel scrolls
        services.comment_add(author=demo_expert, body=f"Общее замечание {n}.", section=purpose)
    last = services.comment_add(author=demo_expert, body="О последней фразе.", section=purpose, quote="ортақ құндылық")
    sign_in(page, live_server, "demo-expert")
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(f"{live_server.url}{purpose.get_absolute_url()}")

    panel = page.locator("#discussion")
    expect(page.locator("[data-reading]")).to_have_class(re.compile(r"\breading--js\b"))
    card = page.locator(f"#comment-{last.pk}")
    page.locator(f"#mark-{last.pk}").click()
    expect(card).to_be_in_viewport()
    expect(card).to_be_focused()
    assert panel.evaluate("el => el.scrollHeight > el.clientHeight")


def test_select_a_passage_and_suggest_a_change(page: Page, live_server, demo_expert, demo_concept):
    purpose = demo_concept.purpose
    sign_in(page, live_server, "demo-expert")
    page.goto(f"{live_server.url}{purpose.get_absolute_url()}")

    select(page, purpose.pk, PASSAGE)
    page.get_by_role("group", name="Selected passage").get_by_role("button", name="Suggest a change").click()

    expect(page.get_by_label("Passage to change")).to_have_value(PASSAGE)
    replacement = page.get_by_label("Replace it with")
    expect(replacement).to_be_focused()
    replacement.fill("единство многонационального народа Казахстана")
    page.locator("#suggest").get_by_label("Rationale").fill("Так точнее.")
    page.get_by_role("button", name="Send the suggestion").click()

    expect(page).to_have_url(re.compile(r"/proposals/\d+/$"))
    proposal = Proposal.objects.get()
    assert proposal.text == PURPOSE_BODY.replace(PASSAGE, "единство многонационального народа Казахстана")
    assert proposal.base_version == purpose.version
    page.goto(f"{live_server.url}{purpose.get_absolute_url()}")
    card = page.locator(f"#suggestion-{proposal.pk}")
    expect(card.locator("ins")).to_contain_text("многонационального")


def test_touch_screen_quotes_a_passage_with_a_tap(new_context, live_server, demo_expert, demo_concept):
    purpose = demo_concept.purpose
    context = new_context(has_touch=True, is_mobile=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, live_server, "demo-expert")
    page.goto(f"{live_server.url}{purpose.get_absolute_url()}")

    select(page, purpose.pk, "ортақ құндылық")
    page.get_by_role("button", name="Quote a passage").tap()
    toolbar = page.get_by_role("group", name="Selected passage")
    expect(toolbar).to_be_visible()
    toolbar.get_by_role("button", name="Comment").tap()
    expect(page.get_by_label("Quoted passage (optional)")).to_have_value("ортақ құндылық")
    page.get_by_role("textbox", name="Comment", exact=True).fill("Келісемін.")
    page.locator("#new-comment").get_by_role("button", name="Comment").tap()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))

    comment = Comment.objects.get()
    expect(page.locator(f"#mark-{comment.pk}")).to_have_text("ортақ құндылық")


def test_quote_button_without_a_selection_says_what_to_do(page: Page, live_server, demo_expert, demo_concept):
    sign_in(page, live_server, "demo-expert")
    page.goto(f"{live_server.url}{demo_concept.purpose.get_absolute_url()}")
    page.get_by_role("button", name="Quote a passage").click()
    expect(page.get_by_role("status").filter(has_text="Select a passage")).to_be_visible()


def test_selection_across_two_sections_or_the_whole_page_gets_a_clear_message(
    page: Page, live_server, demo_expert, demo_concept
):
    concept, general, purpose = demo_concept.concept, demo_concept.general, demo_concept.purpose
    sign_in(page, live_server, "demo-expert")
    page.goto(f"{live_server.url}/concept/{concept.pk}/document/")

    page.evaluate(SELECT_ACROSS, [f'.prose[data-section="{general.pk}"] p', f'.prose[data-section="{purpose.pk}"] p'])
    expect(page.get_by_text("This selection spans two sections. Select words within one section.")).to_be_visible()
    expect(page.get_by_role("group", name="Selected passage")).to_be_hidden()

    page.evaluate("window.getSelection().selectAllChildren(document.body)")
    expect(page.get_by_text("This selection spans two sections. Select words within one section.")).to_be_visible()

    page.evaluate("window.getSelection().selectAllChildren(document.querySelector('.doc-title').parentNode)")
    select(page, purpose.pk, PASSAGE)
    expect(page.get_by_role("group", name="Selected passage")).to_be_visible()
    page.get_by_role("group", name="Selected passage").get_by_role("button", name="Comment").click()
    expect(page).to_have_url(re.compile(rf"/sections/{purpose.pk}/\?quote="))
    expect(page.get_by_label("Quoted passage (optional)")).to_have_value(PASSAGE)


def test_without_javascript_marks_link_to_cards_below_the_text(new_context, live_server, demo_expert, demo_concept):
    purpose = demo_concept.purpose
    comment = services.comment_add(author=demo_expert, body="Без скриптов.", section=purpose, quote="ортақ құндылық")
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, live_server, "demo-expert")
    page.goto(f"{live_server.url}{purpose.get_absolute_url()}")

    expect(page.get_by_role("button", name="Quote a passage")).to_be_hidden()
    page.locator(f'a.mark-ref[href="#comment-{comment.pk}"]').click()
    expect(page).to_have_url(re.compile(rf"#comment-{comment.pk}$"))
    expect(page.locator(f"#comment-{comment.pk}")).to_be_in_viewport()


def test_section_page_with_marks_panel_and_forms_and_the_document_pass_axe(
    page: Page, live_server, demo_expert, second_expert, demo_concept
):
    from tests.browser.test_accessibility import audit

    purpose = demo_concept.purpose
    first = services.comment_add(author=demo_expert, body="Один.", section=purpose, quote="единство народа")
    services.comment_add(author=second_expert, body="Два.", section=purpose, quote="народа Казахстана")
    services.comment_add(author=second_expert, body="Ответ.", parent=first)
    services.comment_add(author=demo_expert, body="Весь раздел.", section=purpose)
    sign_in(page, live_server, "demo-expert")
    page.goto(f"{live_server.url}{purpose.get_absolute_url()}")
    select(page, purpose.pk, "ортақ")
    expect(page.get_by_role("group", name="Selected passage")).to_be_visible()
    found = audit(page, "section page")
    page.locator("#suggest summary").click()
    page.evaluate("document.querySelectorAll('form').forEach(form => { form.noValidate = true; })")
    page.get_by_role("button", name="Send the suggestion").click()
    expect(page.locator("#suggest .form-row--error").first).to_be_visible()
    found += audit(page, "suggestion with errors")
    page.goto(f"{live_server.url}/concept/{demo_concept.concept.pk}/document/")
    found += audit(page, "document")
    assert found == [], "\n".join(found)


SELECT_LAST = """([selector, words]) => {
  const root = document.querySelector(selector);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let found = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let at = node.data.indexOf(words); at >= 0; at = node.data.indexOf(words, at + 1)) found = [node, at];
  }
  const range = document.createRange();
  range.setStart(found[0], found[1]);
  range.setEnd(found[0], found[1] + words.length);
  window.getSelection().removeAllRanges();
  window.getSelection().addRange(range);
}"""


def test_a_word_that_occurs_twice_is_marked_where_it_was_selected(page: Page, live_server, demo_expert, demo_concept):
    section = demo_concept.goals
    section.refresh_from_db()
    services.section_edit(
        section=section, base_version=section.version, user=demo_expert, summary="Повтор",
        body="- Единство народа.\n- Язык народа.\n- Культура народа.",
    )  # fmt: skip
    words = "народа"  # in each of the three goals: the third is selected
    sign_in(page, live_server, "demo-expert")
    page.goto(f"{live_server.url}{section.get_absolute_url()}")
    page.evaluate(SELECT_LAST, [f'.prose[data-section="{section.pk}"]', words])
    page.get_by_role("group", name="Selected passage").get_by_role("button", name="Comment").click()
    page.get_by_role("textbox", name="Comment", exact=True).fill("О культуре.")
    page.locator("#new-comment").get_by_role("button", name="Comment").click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))

    comment = Comment.objects.get()
    assert comment.quote == words and comment.quote_prefix.endswith("Культура ")
    mark = page.locator(f"#mark-{comment.pk}")
    expect(mark).to_have_text(words)
    expect(page.locator("li", has=mark)).to_contain_text("Культура")
