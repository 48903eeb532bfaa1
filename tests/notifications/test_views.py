"""The notification pages: notices, watches, mail settings and the unsubscribe link."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from drafting import services
from drafting.models import Notice
from notifications.categories import Category, Frequency
from notifications.models import MailPreference, Watch
from notifications.services.preferences import frequency_for
from notifications.services.tokens import unsubscribe_token
from tests.factories import ExpertFactory, make_section


@pytest.mark.parametrize(
    "url", ["/notifications/", "/notifications/watching/", "/notifications/settings/", "/notifications/people.json"]
)
def test_anonymous_people_are_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_watch_and_unwatch_a_section_from_its_page(expert_client, expert, concept):
    section = make_section(concept, "Goals", "Unity.", user=expert)
    back = f"/sections/{section.pk}/"
    response = expert_client.post("/notifications/watch/", {"target": "section", "pk": section.pk, "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert Watch.objects.filter(user=expert, section=section).count() == 1
    expert_client.post("/notifications/watch/", {"target": "section", "pk": section.pk})  # twice: one watch
    assert Watch.objects.filter(user=expert, section=section).count() == 1
    page = expert_client.get("/notifications/watching/")
    assert "Goals" in page.content.decode()
    expert_client.post(
        "/notifications/unwatch/", {"target": "section", "pk": section.pk, "next": "https://evil.example/"}
    )
    assert not Watch.objects.filter(user=expert).exists()


def test_watching_needs_post_a_real_item_and_a_coordinator_for_the_concept(expert_client, concept):
    assert expert_client.get("/notifications/watch/").status_code == 405
    assert expert_client.post("/notifications/watch/", {"target": "section", "pk": 999999}).status_code == 404
    assert expert_client.post("/notifications/watch/", {"target": "nonsense", "pk": "x\x00"}).status_code == 400
    assert expert_client.post("/notifications/watch/", {"target": "concept", "pk": concept.pk}).status_code == 403


def test_a_coordinator_watches_the_whole_concept(coordinator_client, coordinator, concept, expert):
    coordinator_client.post("/notifications/watch/", {"target": "concept", "pk": concept.pk})
    section = make_section(concept, "Goals", "Unity.", user=expert)
    services.section_edit(section=section, base_version=1, body="Unity of all.", user=expert, summary="")
    assert Notice.objects.filter(recipient=coordinator, category=Category.SECTION).exists()


def test_mail_settings_are_saved_per_category_and_bad_choices_are_refused(expert_client, expert):
    page = expert_client.get("/notifications/settings/")
    assert page.status_code == 200 and "Weekly digest" in page.content.decode()
    choices = {c.value: Frequency.DAILY for c in Category} | {Category.EDITION: Frequency.WEEKLY}
    response = expert_client.post("/notifications/settings/", choices)
    assert response.status_code == 302
    assert frequency_for(expert, Category.EDITION) == Frequency.WEEKLY
    assert frequency_for(expert, Category.DECISION) == Frequency.DAILY
    bad = expert_client.post("/notifications/settings/", choices | {Category.EDITION: "hourly"})
    assert bad.status_code == 400
    assert frequency_for(expert, Category.EDITION) == Frequency.WEEKLY


def test_the_unsubscribe_link_works_without_a_session_and_turns_off_only_its_category(client, expert):
    token = unsubscribe_token(expert, [Category.SECTION])
    confirm = client.get(f"/notifications/unsubscribe/{token}/")
    assert confirm.status_code == 200 and "An edit or merge on a section I watch" in confirm.content.decode()
    assert frequency_for(expert, Category.SECTION) == Frequency.DAILY  # a GET changes nothing
    done = client.post(f"/notifications/unsubscribe/{token}/")  # RFC 8058 one-click: no session, no CSRF token
    assert done.status_code == 200
    assert frequency_for(expert, Category.SECTION) == Frequency.OFF
    assert MailPreference.objects.filter(user=expert).count() == 1


def test_a_forged_or_expired_unsubscribe_link_gets_a_clear_page(client, expert, settings):
    token = unsubscribe_token(expert, [Category.SECTION])
    forged = client.post(f"/notifications/unsubscribe/{token[:-3]}abc/")
    assert forged.status_code == 400 and "not valid" in forged.content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=settings.UNSUBSCRIBE_LINK_DAYS + 1)):
        expired = client.get(f"/notifications/unsubscribe/{token}/")
    assert expired.status_code == 400 and "too old" in expired.content.decode()
    assert frequency_for(expert, Category.SECTION) == Frequency.DAILY


def test_notices_are_read_when_opened_or_all_at_once(expert_client, expert, other_expert, concept):
    section = make_section(concept, "Goals", "Unity.", user=expert)
    proposal = services.proposal_create_amendment(
        section=section, author=expert, title="Sharper", text="Unity now.", rationale="Clearer.", base_version=1
    )
    services.comment_add(author=other_expert, body="One.", proposal=proposal)
    expert_client.post("/notifications/watch/", {"target": "section", "pk": section.pk})
    services.comment_add(author=other_expert, body="Two.", section=section)
    assert Notice.objects.filter(recipient=expert).count() == 2
    first = Notice.objects.filter(recipient=expert).order_by("pk").first()
    response = expert_client.get(f"/notifications/{first.pk}/open/")
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert expert_client.get(f"/notifications/{999999}/open/").status_code == 302
    page = expert_client.get("/notifications/")
    assert "unread" in page.content.decode()
    expert_client.post("/notifications/read-all/")
    assert not Notice.objects.filter(recipient=expert, read_at=None).exists()


def test_the_notice_list_takes_a_fixed_number_of_queries(
    expert_client, expert, other_expert, concept, django_assert_max_num_queries
):
    section = make_section(concept, "Goals", "Unity.", user=expert)
    for n in range(30):
        services.comment_add(author=other_expert, body=f"Comment {n}.", section=section)
        services.comment_add(author=expert, body=f"@{other_expert.username} {n}", section=section)
    with django_assert_max_num_queries(12):
        assert expert_client.get("/notifications/").status_code == 200


def test_the_header_counter_costs_one_query(rf, expert, concept, django_assert_num_queries):
    from django.template.loader import render_to_string

    from notifications.context_processors import unread_notices

    request = rf.get("/")
    request.user = expert
    context = unread_notices(request)
    with django_assert_num_queries(1):
        html = render_to_string("notifications/_header.html", {**context, "user": expert})
    assert "Notices" in html
    section = make_section(concept, "Goals", "Unity.", user=expert)
    Watch.objects.create(user=expert, section=section)
    for n in range(3):
        services.comment_add(author=ExpertFactory().user, body=f"Comment {n}.", section=section)
    with translation.override("ru"):  # a plural form that needs the number itself
        html = render_to_string("notifications/_header.html", {**unread_notices(request), "user": expert})
    assert "3" in html


def test_opening_a_meeting_marks_its_notices_read_and_shows_the_watch_button(
    expert_client, expert, coordinator, concept
):
    meeting = services.meeting_schedule(
        concept=concept, user=coordinator, title="Online", starts_at=timezone.now() + timedelta(days=2)
    )
    assert Notice.objects.filter(recipient=expert, read_at=None).count() == 1
    page = expert_client.get(f"/meetings/{meeting.pk}/")
    assert page.status_code == 200 and "Watch" in page.content.decode()
    assert not Notice.objects.filter(recipient=expert, read_at=None).exists()


def test_only_coordinators_change_a_meeting(expert_client, client, coordinator, concept):
    meeting = services.meeting_schedule(
        concept=concept, user=coordinator, title="Online", starts_at=timezone.now() + timedelta(days=2)
    )
    assert expert_client.get(f"/meetings/{meeting.pk}/change/").status_code == 403
    client.force_login(coordinator)
    page = client.get(f"/meetings/{meeting.pk}/change/")
    assert page.status_code == 200
    base = page.context["form"]["base_history_id"].value()
    bad = client.post(
        f"/meetings/{meeting.pk}/change/", {"title": "Renamed", "starts_at": "not a date", "base_history_id": base}
    )
    assert bad.status_code == 400 and "Renamed" in bad.content.decode()
    response = client.post(
        f"/meetings/{meeting.pk}/change/",
        {"title": "Renamed", "starts_at": "2030-01-02T10:00", "video_url": "", "base_history_id": base},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Renamed"


def test_marking_a_visit_takes_two_queries_whatever_was_waiting(
    expert, other_expert, concept, django_assert_num_queries
):
    from notifications.services.visits import mark_visited

    section = make_section(concept, "Goals", "Unity.", user=expert)
    Watch.objects.create(user=expert, section=section, mailed_at=timezone.now())
    for n in range(20):
        services.comment_add(author=other_expert, body=f"Comment {n}.", section=section)
    assert Notice.objects.filter(recipient=expert, read_at=None).count() == 20
    with django_assert_num_queries(2):
        mark_visited(expert, section=section)
    assert not Notice.objects.filter(recipient=expert, read_at=None).exists()
    assert Watch.objects.get(user=expert, section=section).mailed_at is None


def test_the_header_counter_comes_with_the_signed_in_person_at_no_query_of_its_own(
    expert_client, expert, concept, django_assert_num_queries
):
    section = make_section(concept, "Goals", "Unity.", user=expert)
    other = make_section(concept, "Means", "Dialogue.", user=expert)
    Watch.objects.create(user=expert, section=section)
    Watch.objects.create(user=expert, section=other)
    for target in (section, section, other):
        services.comment_add(author=ExpertFactory().user, body="A comment.", section=target)
    from members.backends import MemberBackend

    loaded = MemberBackend().get_user(expert.pk)
    assert loaded.unread_notice_count == 3
    # Opening a section reads its notices, and this very page's header already says so.
    with translation.override("en"):
        page = expert_client.get(reverse("drafting:section-detail", args=[section.pk])).content.decode()
        assert "1 unread notice" in page
        with CaptureQueriesContext(connection) as queries:
            home = expert_client.get(reverse("drafting:home")).content.decode()
        assert "1 unread notice" in home
    assert not [q for q in queries if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "drafting_notice"')]


def test_a_coordinator_watching_the_whole_concept_is_offered_to_stop(coordinator_client, coordinator, concept):
    Watch.objects.create(user=coordinator, concept=concept)
    with translation.override("en"):
        page = coordinator_client.get(reverse("notifications:watching")).content.decode()
    whole = page.split("The whole Concept</h2>")[1]
    assert "Stop watching" in whole
