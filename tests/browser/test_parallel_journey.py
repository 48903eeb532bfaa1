"""Keeping the Kazakh text in step: a Russian edit makes it out of date; a translator brings it up to date."""

import re

import pytest
from playwright.sync_api import Page, expect

from drafting.models import ParallelText
from tests.browser.conftest import PURPOSE_LAST, PURPOSE_MIDDLE, sign_in
from tests.factories import make_parallel_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KAZAKH_PURPOSE = "Осы Тұжырымдама этносаралық қатынастар саласындағы мемлекеттік саясаттың мақсаттарын айқындайды."
KAZAKH_MIDDLE = "Ол Қазақстан халқының бірлігіне сүйенеді."
RUSSIAN_NEW = "Она опирается на единство и согласие народа Казахстана."
KAZAKH_NEW = "Ол Қазақстан халқының бірлігі мен келісіміне сүйенеді."


def test_a_russian_edit_makes_the_kazakh_text_out_of_date_and_the_translator_brings_it_up_to_date(
    page: Page, other_page: Page, live_server, demo_coordinator, demo_expert, demo_concept
):
    purpose = demo_concept.purpose
    make_parallel_text(purpose, f"{KAZAKH_PURPOSE} {KAZAKH_MIDDLE} {PURPOSE_LAST}", heading="Мақсаты", user=demo_expert)

    # The coordinator edits the Russian text of 1.1.
    sign_in(page, live_server, "demo-coordinator")
    page.goto(f"{live_server.url}{purpose.get_absolute_url()}")
    page.get_by_role("link", name="Edit", exact=True).click()
    textarea = page.get_by_label("Text", exact=True)
    textarea.fill(textarea.input_value().replace(PURPOSE_MIDDLE, RUSSIAN_NEW))
    page.get_by_label("Summary of your change").fill("Добавлено согласие")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved as revision 2.")).to_be_visible()

    # The document, side by side with Kazakh, says the Kazakh text of 1.1 is out of date.
    page.goto(f"{live_server.url}/concept/{demo_concept.concept.pk}/document/")
    page.get_by_role("link", name="Side by side with the Kazakh text").click()
    expect(page).to_have_url(re.compile(r"\?parallel=kk$"))
    section = page.locator(f"#section-{purpose.pk}")
    expect(section.locator('[data-translation-status="outdated"]')).to_have_text("out of date since revision 2")
    expect(section.locator(".parallel-row__parallel")).to_contain_text(KAZAKH_MIDDLE)
    expect(page.locator("[data-translation-summary]")).to_have_text("Kazakh: 0 of 3 sections current")

    # The translator opens the translation page from the contents and sees what to update.
    translator = sign_in(other_page, live_server, "demo-expert")
    translator.get_by_role("navigation", name="Main").get_by_role("link", name="Contents").click()
    translator.get_by_role("link", name="Kazakh translation").click()
    expect(translator.get_by_role("heading", level=1)).to_have_text("Kazakh translation")
    row = translator.locator(f"#translation-{purpose.pk}")
    expect(row).to_contain_text("out of date since revision 2")
    row.get_by_role("link", name="Bring up to date").click()

    # The Russian diff since the translated revision, beside the Kazakh text in an editor.
    expect(
        translator.get_by_role("heading", name="What the drafting text changed from revision 1 to revision 2")
    ).to_be_visible()
    expect(translator.locator(".translator__source ins").first).to_contain_text("согласие")
    editor = translator.get_by_label("Text", exact=True)
    expect(editor).to_have_value(re.compile(re.escape(KAZAKH_MIDDLE)))
    editor.fill(editor.input_value().replace(KAZAKH_MIDDLE, KAZAKH_NEW))
    translator.get_by_label("Summary of your change").fill("Келісім қосылды")
    translator.get_by_role("button", name="Save", exact=True).click()
    expect(translator.get_by_text("Saved as revision 2 of the translation.")).to_be_visible()
    expect(translator.locator(".page-lead [data-translation-status]")).to_have_text("current")

    # The section is current again, on the translation page and in the document.
    translator.get_by_role("link", name="All sections to translate").click()
    expect(translator.locator(f"#translation-{purpose.pk}")).to_have_count(0)
    expect(translator.locator("[data-translation-summary]")).to_have_text("Kazakh: 1 of 3 sections current")
    page.reload()
    expect(section.locator('[data-translation-status="current"]')).to_have_text("current")
    expect(section.locator(".parallel-row__parallel")).to_contain_text(KAZAKH_NEW)
    text = ParallelText.objects.get()
    assert (text.version, text.source_version) == (2, 2)


def test_the_translation_pages_pass_axe(page: Page, live_server, demo_expert, demo_coordinator, demo_concept):
    from drafting import services
    from tests.browser.test_accessibility import audit

    purpose = demo_concept.purpose
    make_parallel_text(purpose, f"{KAZAKH_PURPOSE} {KAZAKH_MIDDLE} {PURPOSE_LAST}", heading="Мақсаты", user=demo_expert)
    services.section_edit(
        section=purpose, base_version=1, body=purpose.body.replace(PURPOSE_MIDDLE, RUSSIAN_NEW),
        user=demo_coordinator, summary="x",
    )  # fmt: skip
    sign_in(page, live_server, "demo-expert")
    concept = demo_concept.concept.pk
    found = []
    for name, path in [
        ("translation page", f"/concept/{concept}/translation/kk/"),
        ("translator's page", f"/sections/{purpose.pk}/parallel/kk/"),
        ("translation history", f"/sections/{purpose.pk}/parallel/kk/history/"),
        ("translation compare", f"/sections/{purpose.pk}/parallel/kk/compare/?from=1&to=1&mode=side"),
        ("translation authors", f"/sections/{purpose.pk}/parallel/kk/attribution/"),
        ("section side by side", f"{purpose.get_absolute_url()}?parallel=kk"),
        ("document side by side", f"/concept/{concept}/document/?parallel=kk"),
    ]:
        page.goto(f"{live_server.url}{path}")
        found += audit(page, name)
    assert found == [], "\n".join(found)
