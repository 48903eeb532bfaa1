"""The mail journey: an expert watches a section, another edits it, the first gets a digest that
leads to the diff; then the expert @mentions a coordinator (with the autocomplete), who is mailed
at once. Mail goes through the real django-tasks-db worker; Django's test mailbox receives it.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from notifications.categories import Frequency
from notifications.services.digests import digests_send
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_GOAL = "- Teach every child a third language."


def run_worker(*pages: Page) -> None:
    """Run the worker in this thread once the pages are quiet: on SQLite the live server's thread and
    this one share one connection, which two threads must not use at the same moment."""
    for page in pages:
        page.wait_for_load_state("networkidle")
    call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)


def test_watch_edit_digest_and_mention(
    page: Page, other_page: Page, live_server, demo_expert, second_expert, demo_coordinator, demo_concept
):
    goals = demo_concept.goals
    # 1. The expert watches "Goals" from its page.
    sign_in(page, live_server, "demo-expert")
    page.goto(f"{live_server.url}/sections/{goals.pk}/")
    page.get_by_role("button", name="Watch", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("You now watch “Goals”.")
    expect(page.get_by_role("button", name="Stop watching")).to_be_visible()
    page.goto(f"{live_server.url}/notifications/watching/")
    expect(page.get_by_role("link", name="Section “Goals”")).to_be_visible()

    # 2. Another expert edits it.
    sign_in(other_page, live_server, "demo-expert-2")
    other_page.goto(f"{live_server.url}/sections/{goals.pk}/edit/")
    text = other_page.get_by_label("Text", exact=True)
    text.fill(text.input_value() + "\n" + NEW_GOAL)
    other_page.get_by_label("Summary of your change").fill("A third language")
    other_page.get_by_role("button", name="Save", exact=True).click()
    expect(other_page.get_by_role("status")).to_contain_text("Saved")

    # 3. The next morning's digest tells the expert, with a link straight to the diff.
    for quiet in (page, other_page):
        quiet.wait_for_load_state("networkidle")
    assert digests_send(frequency=Frequency.DAILY, now=timezone.now() + timedelta(seconds=1)) == 1
    run_worker(page, other_page)
    digest = next(m for m in mail.outbox if m.to == [demo_expert.email])
    assert "Goals" in digest.body and "A third language" in digest.body
    assert NEW_GOAL not in digest.body  # what changed and a link, never the text
    link = re.search(r"https?://\S+/compare/\?from=\d+&to=\d+", digest.body).group(0)
    page.goto(live_server.url + link[link.index("/sections/") :])
    expect(page.locator("ins", has_text="third language")).to_be_visible()  # the diff, marked as added

    # 4. The expert mentions the coordinator in a comment, choosing the name from the list.
    page.goto(f"{live_server.url}/sections/{goals.pk}/")
    box = page.get_by_role("textbox", name="Comment", exact=True)
    box.click()
    box.press_sequentially("Please look at this, @demo-coo")
    option = page.get_by_role("option", name=re.compile("demo-coordinator"))
    expect(option).to_be_visible()
    box.press("Enter")
    expect(box).to_have_value("Please look at this, @demo-coordinator ")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Comment added.")
    mention = page.locator("a.mention", has_text="@demo-coordinator")
    expect(mention).to_have_attribute("href", re.compile(r"/members/#expert-\d+$"))

    mail.outbox.clear()
    run_worker(page, other_page)
    sent = [m for m in mail.outbox if m.to == [demo_coordinator.email]]
    assert len(sent) == 1
    assert "mentioned you" in sent[0].subject
    assert "#comment-" in sent[0].body
