"""A translator restores an earlier revision of the Kazakh text from its history, and stops watching a translation."""

import re

import pytest
from playwright.sync_api import Page, expect

from drafting.models import ParallelText
from drafting.services.parallel import parallel_text_save
from notifications.models import TranslationWatch
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import audit
from tests.factories import make_parallel_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KAZAKH_FIRST = "Осы Тұжырымдама мемлекеттік саясаттың мақсаттарын айқындайды."
KAZAKH_SECOND = "Осы құжат мемлекеттік саясаттың кейбір мақсаттарын сипаттайды."


def test_a_translator_restores_revision_1_with_a_reason_and_sees_it_back_in_the_history(
    page: Page, live_server, demo_expert, second_expert, demo_concept
):
    purpose = demo_concept.purpose
    make_parallel_text(purpose, KAZAKH_FIRST, heading="Мақсаты", user=demo_expert)
    parallel_text_save(
        section=purpose, language="kk", base_version=1, source_version=purpose.version,
        heading="Мақсат", body=KAZAKH_SECOND, user=second_expert, summary="Қысқартылды",
    )  # fmt: skip

    sign_in(page, live_server, "demo-expert")
    page.goto(f"{live_server.url}/sections/{purpose.pk}/parallel/kk/")
    page.get_by_role("navigation", name="Kazakh text of this section").get_by_role("link", name="History").click()
    rows = page.locator("table.history-list tbody tr")
    expect(rows).to_have_count(2)
    # Only the earlier revision can be restored.
    expect(rows.nth(0).get_by_role("link", name="Restore this revision")).to_have_count(0)
    rows.nth(1).get_by_role("link", name="Restore this revision").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Restore revision 1 of the Kazakh text of “{purpose.heading}”?"
    )
    expect(page.locator(".diff ins").first).to_contain_text("Тұжырымдама")
    expect(page.locator(".diff del").first).to_contain_text("құжат")
    expect(page.locator("[data-restored-source]")).to_contain_text("the restored translation will be current")
    assert audit(page, "restore confirmation") == []
    # A reason is asked for before anything is sent.
    reason = page.get_by_label("Why restore this revision?")
    expect(reason).to_have_attribute("required", "")
    page.get_by_role("button", name="Restore revision 1").click()
    expect(page).to_have_url(re.compile(r"/revert/\?version=1$"))
    assert ParallelText.objects.get().version == 2
    page.get_by_label("Why restore this revision?").fill("Қысқартылған нұсқа дәл емес")
    page.get_by_role("button", name="Restore revision 1").click()

    expect(page.get_by_text("Restored revision 1 of the translation as revision 3.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/sections/{purpose.pk}/parallel/kk/$"))
    expect(page.get_by_label("Text", exact=True)).to_have_value(KAZAKH_FIRST)
    expect(page.get_by_label("Heading")).to_have_value("Мақсаты")

    page.get_by_role("navigation", name="Kazakh text of this section").get_by_role("link", name="History").click()
    newest = page.locator("table.history-list tbody tr").first
    expect(newest).to_contain_text("Reverted to revision 1: Қысқартылған нұсқа дәл емес")
    expect(newest).to_contain_text("Demo Expert")
    text = ParallelText.objects.get()
    assert (text.version, text.body, text.heading) == (3, KAZAKH_FIRST, "Мақсаты")


def test_a_translator_stops_watching_a_translation_from_everything_i_watch(
    page: Page, live_server, demo_expert, demo_concept
):
    concept = demo_concept.concept
    TranslationWatch.objects.create(user=demo_expert, concept=concept, language="kk")
    sign_in(page, live_server, "demo-expert")
    page.goto(f"{live_server.url}/notifications/watching/")
    row = page.locator(f'[data-translation-watch="{concept.pk}-kk"]')
    expect(row).to_contain_text(f"Translation of “{concept.title}” (Kazakh)")
    assert audit(page, "everything I watch") == []
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kazakh translation")
    page.go_back()
    page.locator(f'[data-translation-watch="{concept.pk}-kk"]').get_by_role("button", name="Stop watching").click()
    expect(page.get_by_text("You will no longer hear when this translation becomes out of date.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/notifications/watching/$"))
    expect(page.locator("[data-translation-watch]")).to_have_count(0)
    assert not TranslationWatch.objects.exists()
