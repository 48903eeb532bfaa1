"""A coordinator cancels a meeting through its confirmation page and sees it marked cancelled."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from drafting import services
from drafting.models import Meeting
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import audit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_cancels_a_meeting_after_confirming(page, live_server, demo_coordinator, demo_concept, demo_expert):
    meeting = services.meeting_schedule(
        concept=demo_concept.concept,
        user=demo_coordinator,
        title="Autumn session",
        starts_at=timezone.now() + timedelta(days=5),
        duration=timedelta(minutes=90),
    )
    sign_in(page, live_server, "demo-coordinator")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    page.get_by_role("link", name="Autumn session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Autumn session")

    page.get_by_role("link", name="Cancel the meeting…").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/cancel/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel the meeting “Autumn session”?")
    found = audit(page, "meeting-cancel [coordinator]")
    page.get_by_label("Reason (optional)").fill("The hall is closed for repairs.")
    # Keeping it is one click away, and changes nothing.
    page.get_by_role("link", name="Keep the meeting").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    assert Meeting.objects.get().cancelled_at is None

    page.get_by_role("link", name="Cancel the meeting…").click()
    page.get_by_label("Reason (optional)").fill("The hall is closed for repairs.")
    page.get_by_role("button", name="Cancel the meeting").click()

    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    expect(page.get_by_role("status")).to_have_text(
        "Meeting cancelled; the invited get a cancellation for their calendars."
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cancelled")
    expect(page.get_by_text("Reason: The hall is closed for repairs.")).to_be_visible()
    expect(page.get_by_role("link", name="Change the meeting")).to_have_count(0)
    expect(page.get_by_role("link", name="Cancel the meeting…")).to_have_count(0)
    # Audited with the one-time message showing: a message is a paragraph with its live-region role.
    found += audit(page, "meeting-detail [coordinator, cancelled, with its message]")

    page.get_by_role("link", name="Meetings").first.click()
    row = page.locator(".timeline li").filter(has_text="Autumn session")
    expect(row.locator(".badge")).to_have_text("Cancelled")
    found += audit(page, "meeting-list [coordinator, a cancelled meeting]")
    assert Meeting.objects.get().cancel_reason == "The hall is closed for repairs."

    # The forms that take the length and the invitees (grouped by bloc) pass the audit too.
    other = services.meeting_schedule(
        concept=demo_concept.concept,
        user=demo_coordinator,
        title="Winter",
        starts_at=timezone.now() + timedelta(days=9),
    )
    for url in (
        reverse("drafting:meeting-create", args=[demo_concept.concept.pk]),
        reverse("drafting:meeting-change", args=[other.pk]),
    ):
        page.goto(f"{live_server.url}{url}")
        expect(page.get_by_role("group", name="Invited")).to_be_visible()
        expect(page.get_by_label("Length in minutes")).to_have_value("120")
        found += audit(page, url)
    assert found == [], "\n".join(found)
