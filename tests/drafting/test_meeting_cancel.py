"""Cancelling a meeting, its length, and who is invited: the pages and what they refuse."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from drafting import services
from drafting.forms import new_submission_token
from drafting.models import Activity, ChangeReason, Meeting
from drafting.services.meetings import meeting_cancel, meeting_change
from members.models import Expert
from tests.factories import ExpertFactory

ALMATY = ZoneInfo("Asia/Almaty")


@pytest.fixture
def upcoming(concept, coordinator):
    return services.meeting_schedule(
        concept=concept,
        user=coordinator,
        title="Meeting of 12 June",
        starts_at=datetime(2031, 6, 12, 10, 0, tzinfo=ALMATY),
        duration=timedelta(minutes=90),
    )


@pytest.fixture
def past(concept, coordinator):
    return services.meeting_schedule(
        concept=concept, user=coordinator, title="Last week", starts_at=timezone.now() - timedelta(days=7)
    )


def cancel_url(meeting):
    return reverse("drafting:meeting-cancel", args=[meeting.pk])


def follow_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, upcoming):
    for response in (client.get(cancel_url(upcoming)), client.post(cancel_url(upcoming))):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Meeting.objects.get().cancelled_at is None


@pytest.mark.django_db
def test_expert_cannot_cancel_a_meeting(expert_client, upcoming):
    assert expert_client.get(cancel_url(upcoming)).status_code == 403
    assert expert_client.post(cancel_url(upcoming), {"reason": "No"}).status_code == 403
    assert Meeting.objects.get().cancelled_at is None
    assert "Cancel the meeting" not in expert_client.get(upcoming.get_absolute_url()).text


@pytest.mark.django_db
def test_other_methods_are_not_allowed(coordinator_client, upcoming):
    assert coordinator_client.put(cancel_url(upcoming)).status_code == 405
    assert coordinator_client.delete(cancel_url(upcoming)).status_code == 405


@pytest.mark.django_db
def test_get_asks_for_confirmation_and_changes_nothing(coordinator_client, upcoming):
    response = coordinator_client.get(cancel_url(upcoming))
    assert response.status_code == 200
    assert "Cancel the meeting “Meeting of 12 June”?" in response.text
    assert "12 June 2031, 10:00" in response.text and "11:30" in response.text
    assert "Every member of the Working Group gets a cancellation" in response.text
    assert Meeting.objects.get().cancelled_at is None
    assert not Activity.objects.filter(verb=Activity.Verb.CANCELLED).exists()


@pytest.mark.django_db
def test_coordinator_cancels_with_a_reason_and_the_history_says_who(
    coordinator_client, coordinator, upcoming, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        response = coordinator_client.post(cancel_url(upcoming), {"reason": "  The hall is closed.  "})
    assert response.status_code == 302 and response["Location"] == upcoming.get_absolute_url()
    meeting = Meeting.objects.get()
    assert meeting.cancelled_at is not None and meeting.cancelled_by == coordinator
    assert meeting.cancel_reason == "The hall is closed."
    row = meeting.history.first()
    assert (row.history_user, row.history_change_reason, row.cancel_reason) == (
        coordinator,
        ChangeReason.CANCELLED,
        "The hall is closed.",
    )
    entry = Activity.objects.get(verb=Activity.Verb.CANCELLED)
    assert entry.meeting == meeting and entry.actor == coordinator
    assert entry.data["reason"] == "The hall is closed." and entry.data["sequence"] == 1
    with translation.override("en"):
        sentence = entry.sentence()
    assert sentence.startswith("Kanat Coordinator cancelled the meeting “Meeting of 12 June” of ")
    assert "2031" in sentence and sentence.endswith(": The hall is closed.")

    page = coordinator_client.get(meeting.get_absolute_url()).text
    assert "Cancelled" in page and "The hall is closed." in page and "Kanat Coordinator cancelled this meeting" in page
    assert reverse("drafting:meeting-change", args=[meeting.pk]) not in page
    assert cancel_url(meeting) not in page
    assert reverse("drafting:meeting-record", args=[meeting.pk]) not in page
    listing = coordinator_client.get(reverse("drafting:meeting-list", args=[meeting.concept_id])).text
    assert "Cancelled" in listing


@pytest.mark.django_db
def test_cancelling_twice_is_harmless(coordinator_client, upcoming):
    first = coordinator_client.post(cancel_url(upcoming), {"reason": "Closed."})
    cancelled_at = Meeting.objects.get().cancelled_at
    second = coordinator_client.post(cancel_url(upcoming), {"reason": "Closed."}, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "was already cancelled" in " ".join(follow_messages(second))
    assert Meeting.objects.get().cancelled_at == cancelled_at
    assert Activity.objects.filter(verb=Activity.Verb.CANCELLED).count() == 1


@pytest.mark.django_db
def test_an_already_cancelled_meeting_offers_no_second_confirmation(coordinator_client, coordinator, upcoming):
    meeting_cancel(meeting=upcoming, user=coordinator)
    response = coordinator_client.get(cancel_url(upcoming), follow=True)
    assert response.redirect_chain == [(upcoming.get_absolute_url(), 302)]
    assert "was already cancelled" in " ".join(follow_messages(response))


@pytest.mark.django_db
def test_a_meeting_that_took_place_cannot_be_cancelled(coordinator_client, coordinator, past):
    for response in (
        coordinator_client.get(cancel_url(past), follow=True),
        coordinator_client.post(cancel_url(past), {"reason": "Too late"}, follow=True),
    ):
        assert response.redirect_chain == [(past.get_absolute_url(), 302)]
        assert "has already begun or taken place" in " ".join(follow_messages(response))
    assert Meeting.objects.get().cancelled_at is None
    assert "Cancel the meeting" not in coordinator_client.get(past.get_absolute_url()).text
    with pytest.raises(ValidationError):
        meeting_cancel(meeting=past, user=coordinator)


@pytest.mark.django_db
def test_a_reason_too_long_is_refused_and_kept(coordinator_client, upcoming):
    reason = "Почему: " + "x" * 20001
    response = coordinator_client.post(cancel_url(upcoming), {"reason": reason})
    assert response.status_code == 400
    assert reason in response.text
    assert Meeting.objects.get().cancelled_at is None


@pytest.mark.django_db
def test_a_cancelled_meeting_cannot_be_changed_or_minuted(coordinator_client, coordinator, concept, upcoming):
    meeting_cancel(meeting=upcoming, user=coordinator)
    change = reverse("drafting:meeting-change", args=[upcoming.pk])
    for response in (
        coordinator_client.get(change, follow=True),
        coordinator_client.post(change, {"title": "New", "starts_at": "2031-06-13T10:00"}, follow=True),
    ):
        assert response.redirect_chain == [(upcoming.get_absolute_url(), 302)]
        assert "can no longer be changed" in " ".join(follow_messages(response))
    record = coordinator_client.post(
        reverse("drafting:meeting-record", args=[upcoming.pk]), {"minutes": "We met after all."}, follow=True
    )
    assert "attendance and minutes cannot be recorded" in " ".join(follow_messages(record))
    upcoming.refresh_from_db()
    assert (upcoming.title, upcoming.minutes) == ("Meeting of 12 June", "")
    # The services refuse it too, whoever calls them.
    with pytest.raises(ValidationError) as refused:
        services.meeting_update(meeting=upcoming, user=coordinator, minutes="x")
    assert "cancelled" in str(refused.value)


@pytest.mark.django_db
def test_the_meeting_page_shows_start_and_end_in_almaty_time(expert_client, upcoming):
    page = expert_client.get(upcoming.get_absolute_url()).text
    assert "12 June 2031, 10:00</time>–<time" in page and ">11:30</time>" in page
    assert 'datetime="2031-06-12T11:30:00+05:00"' in page
    assert "The whole Working Group." in page


def schedule(client, concept, **data):
    return client.post(
        reverse("drafting:meeting-create", args=[concept.pk]),
        {"title": "Online", "starts_at": "2031-12-12T10:00", "submission": new_submission_token(), **data},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "must last at least one minute"),
        ("-30", "must last at least one minute"),
        ("721", "at most 12 hours (720 minutes)"),
        ("two hours", "whole number of minutes"),
    ],
)
def test_a_bad_length_gets_a_clear_message_and_keeps_the_form(coordinator_client, concept, typed, message):
    response = schedule(coordinator_client, concept, duration=typed, title="Кеңес отырысы")
    assert response.status_code == 400
    assert message in response.text
    assert "Кеңес отырысы" in response.text and f'value="{typed}"' in response.text
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_the_schedule_form_takes_the_length_and_the_invitees(coordinator_client, concept, expert, other_expert):
    form = coordinator_client.get(reverse("drafting:meeting-create", args=[concept.pk])).text
    assert "Leave every box empty to invite the whole Working Group" in form
    assert "Scientific-theoretical" in form and "Political practitioner" in form  # grouped by bloc
    response = schedule(coordinator_client, concept, duration="45", invitees=[expert.expert.pk])
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.duration == timedelta(minutes=45)
    assert list(meeting.invitees.all()) == [expert.expert]
    assert schedule(coordinator_client, concept, title="Default").status_code == 302
    assert Meeting.objects.get(title="Default").duration == timedelta(hours=2)


@pytest.mark.django_db
def test_the_change_form_shows_and_changes_the_invitees(coordinator_client, concept, coordinator, expert, other_expert):
    meeting = services.meeting_schedule(
        concept=concept,
        user=coordinator,
        title="Online",
        starts_at=timezone.now() + timedelta(days=2),
        invitees=[expert.expert],
    )
    change = reverse("drafting:meeting-change", args=[meeting.pk])
    page = coordinator_client.get(change)
    form = page.text
    assert f'value="{expert.expert.pk}" id="id_invitees_{expert.expert.pk}" checked' in form
    assert f'value="{other_expert.expert.pk}" id="id_invitees_{other_expert.expert.pk}">' in form
    assert 'name="duration" value="120"' in form
    response = coordinator_client.post(
        change,
        {
            "title": "Online",
            "starts_at": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "duration": "60",
            "invitees": [other_expert.expert.pk],
            "base_history_id": page.context["form"]["base_history_id"].value(),
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert list(meeting.invitees.all()) == [other_expert.expert] and meeting.duration == timedelta(hours=1)
    entry = Activity.objects.get(verb=Activity.Verb.RESCHEDULED)
    assert entry.data["invited"] == [other_expert.pk] and entry.data["uninvited"] == [expert.pk]


@pytest.mark.django_db
def test_meeting_list_takes_a_fixed_number_of_queries_with_many_invitees(
    expert_client, concept, coordinator, django_assert_max_num_queries
):
    people = ExpertFactory.create_batch(25)
    for n in range(12):
        meeting = services.meeting_schedule(
            concept=concept,
            user=coordinator,
            title=f"Meeting {n}",
            starts_at=timezone.now() + timedelta(days=n + 1),
            invitees=people[: n * 2],
        )
        if n % 3 == 0:
            meeting_cancel(meeting=meeting, user=coordinator)
    with django_assert_max_num_queries(8):
        response = expert_client.get(reverse("drafting:meeting-list", args=[concept.pk]))
    assert response.status_code == 200
    assert response.text.count(">Cancelled</span>") == 4
    assert "22 people invited" in response.text and "the whole Working Group invited" in response.text


@pytest.mark.django_db
def test_meeting_page_with_many_invitees_takes_a_fixed_number_of_queries(
    expert_client, concept, coordinator, django_assert_max_num_queries
):
    meeting = services.meeting_schedule(
        concept=concept,
        user=coordinator,
        title="Big",
        starts_at=timezone.now() + timedelta(days=1),
        invitees=ExpertFactory.create_batch(25),
    )
    meeting_cancel(meeting=meeting, user=coordinator, reason="Moved online.")
    with django_assert_max_num_queries(15):
        page = expert_client.get(meeting.get_absolute_url())
    assert page.status_code == 200
    assert Expert.objects.filter(invited_to=meeting).count() == 25


@pytest.mark.django_db
def test_a_change_of_invitees_only_is_in_the_history_with_who_made_it(concept, coordinator, expert, other_expert):
    meeting = services.meeting_schedule(
        concept=concept,
        user=coordinator,
        title="Online",
        starts_at=timezone.now() + timedelta(days=2),
        invitees=[expert.expert],
    )
    meeting_change(
        meeting=meeting,
        user=coordinator,
        title="Online",
        starts_at=meeting.starts_at,
        invitees=[expert.expert, other_expert.expert],
    )
    row = meeting.history.first()
    assert row.history_user == coordinator and row.history_change_reason == ChangeReason.SCHEDULED
    assert {invited.expert_id for invited in row.invitees.all()} == {expert.expert.pk, other_expert.expert.pk}
    first = meeting.history.last()
    assert {invited.expert_id for invited in first.invitees.all()} <= {expert.expert.pk}


@pytest.mark.django_db
def test_cancelling_without_a_reason_is_fine(coordinator_client, upcoming):
    response = coordinator_client.post(cancel_url(upcoming))
    assert response.status_code == 302 and response["Location"] == upcoming.get_absolute_url()
    meeting = Meeting.objects.get()
    assert meeting.is_cancelled and meeting.cancel_reason == ""
    with translation.override("en"):
        sentence = Activity.objects.get(verb=Activity.Verb.CANCELLED).sentence()
    assert (
        sentence.startswith("Kanat Coordinator cancelled the meeting “Meeting of 12 June” of ") and ": " not in sentence
    )


@pytest.mark.django_db
def test_a_proposal_on_a_cancelled_meetings_agenda_says_the_meeting_was_cancelled(
    expert_client, concept, coordinator, expert
):
    from tests.factories import make_section

    section = make_section(concept, "Цели", "Единство.", user=expert)
    proposal = services.proposal_create_amendment(
        section=section, author=expert, title="Точнее", text="Единство народа.", rationale="R", base_version=1
    )
    meeting = services.meeting_schedule(
        concept=concept, user=coordinator, title="Заседание", starts_at=timezone.now() + timedelta(days=3),
        proposals=[proposal],
    )  # fmt: skip
    page = expert_client.get(proposal.get_absolute_url()).text
    assert 'Заседание</a> <span class="badge badge--withdrawn">Cancelled' not in page

    meeting_cancel(meeting=meeting, user=coordinator)

    page = expert_client.get(proposal.get_absolute_url()).text
    assert 'Заседание</a> <span class="badge badge--withdrawn">Cancelled</span>' in page
