"""An expert works in Kazakh: switch the language, edit a section, read its history and compare revisions.

Every label the journey clicks is looked up in the Kazakh catalogue, so the test follows the
translation and fails if a page falls back to English. The header and page titles are checked
for English words the portal itself wrote; what people typed may be in any language.
Screenshots of each page go to the test's temporary folder.
"""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from drafting import selectors
from tests.browser.conftest import PURPOSE_LAST, sign_in
from tests.test_crawl_languages import english_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def words(language: str, *messages: str) -> list[str]:
    with translation.override(language):
        return [gettext(message) for message in messages]


def assert_speaks(page: Page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)
    # The portal's own words: navigation, and the buttons and action links of the page.
    chrome = page.locator("nav.site-nav").inner_html() + " ".join(
        page.locator("main a.button, main button, main label").all_inner_texts()
    )
    assert english_words(chrome) == set(), page.url


def test_expert_edits_compares_and_reads_history_in_kazakh_then_russian(
    page, live_server, demo_expert, demo_concept, tmp_path
):
    purpose = demo_concept.purpose
    edit, save, history, compare = words("kk", "Edit", "Save", "History", "Compare")
    sign_in(page, live_server, "demo-expert")
    page.locator("form.language-switch").get_by_role("button", name="Қазақша").click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")

    page.goto(f"{live_server.url}{purpose.get_absolute_url()}")
    assert_speaks(page, "kk")
    page.screenshot(path=tmp_path / "1-section-kk.png", full_page=True)

    page.get_by_role("link", name=edit, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/sections/{purpose.pk}/edit/$"))
    assert_speaks(page, "kk")
    textarea = page.locator("textarea[name=body]")
    textarea.fill(textarea.input_value().replace(PURPOSE_LAST, "Қазақстан халқының бірлігі — ең басты құндылық."))
    page.locator("input[name=summary]").fill("Нақтыланды")
    page.get_by_role("button", name=save, exact=True).click()

    with translation.override("kk"):
        saved = gettext("Saved as revision %(version)s.") % {"version": 2}
    expect(page.locator(".messages")).to_contain_text(saved)
    expect(page.locator("article .prose")).to_contain_text("ең басты құндылық")
    page.screenshot(path=tmp_path / "2-saved-kk.png", full_page=True)

    page.get_by_role("link", name=history, exact=True).click()
    assert_speaks(page, "kk")
    expect(page.locator("main")).to_contain_text("Нақтыланды")
    page.screenshot(path=tmp_path / "3-history-kk.png", full_page=True)

    page.goto(f"{live_server.url}/sections/{purpose.pk}/compare/?from=1&to=2")
    assert_speaks(page, "kk")
    rows = selectors.revisions(purpose, [1, 2])
    with translation.override("kk"):
        summary = selectors.section_comparison(rows[1], rows[2]).words_summary
    expect(page.locator("main")).to_contain_text(summary)
    expect(page.locator("main ins").first).to_be_visible()
    page.locator("select[name=mode]").select_option(value="side")
    page.get_by_role("button", name=compare, exact=True).click()
    assert_speaks(page, "kk")
    expect(page).to_have_url(re.compile(r"mode=side"))
    page.screenshot(path=tmp_path / "4-compare-kk.png", full_page=True)

    page.locator("form.language-switch").get_by_role("button", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    assert_speaks(page, "ru")
    (russian_compare,) = words("ru", "Compare")
    expect(page.get_by_role("button", name=russian_compare, exact=True)).to_be_visible()
    page.screenshot(path=tmp_path / "5-compare-ru.png", full_page=True)
