"""The mail pages pass axe-core at WCAG 2.1 A and AA: notices, watches, settings, unsubscribe, meetings."""

import pytest

from notifications.services import watches
from notifications.services.tokens import unsubscribe_token
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import audit, open_and_audit
from tests.factories import ConceptFactory, make_discussion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mail_pages_pass_axe(page, live_server):
    usernames = {"expert": "ax-expert", "coordinator": "ax-coordinator", "critic": "ax-critic", "staff": "ax-staff"}
    discussion = make_discussion(ConceptFactory(), usernames=usernames)
    objects, coordinator = discussion["objects"], discussion["people"]["coordinator"]
    meeting = objects["meeting"]
    watches.watch_add(user=coordinator, meeting=meeting)
    watches.watch_add(user=coordinator, section=objects["section"])
    token = unsubscribe_token(coordinator, ["section"])
    found = open_and_audit(page, f"{live_server.url}/notifications/unsubscribe/{token}/", "unsubscribe")
    page.goto(f"{live_server.url}/notifications/unsubscribe/forged/")  # a 400 page, read without signing in
    found += audit(page, "unsubscribe, forged")
    sign_in(page, live_server, coordinator.username)
    for url in (
        "/notifications/",
        "/notifications/watching/",
        "/notifications/settings/",
        f"/meetings/{meeting.pk}/",
        f"/meetings/{meeting.pk}/change/",
        "/activity/",
    ):
        found += open_and_audit(page, f"{live_server.url}{url}", url)
    assert found == [], "\n".join(found)
