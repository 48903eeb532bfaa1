from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from drafting import selectors, services
from drafting.forms import new_submission_token
from drafting.models import Activity, AgendaItem, Meeting, Proposal
from members.models import Expert
from tests.factories import ExpertFactory, make_section

BASE = "Первое. Второе. Третье."


@pytest.fixture
def contested(concept, expert, other_expert):
    """Two proposals with objections and one with nothing to discuss."""
    section = make_section(concept, "Principles", BASE, user=expert)
    objector = Expert.objects.get(user=other_expert)
    made = []
    for word in ("Иное", "Другое", "Спокойное"):
        made.append(
            services.proposal_create_amendment(
                section=section,
                author=expert,
                title=word,
                text=BASE.replace("Второе", word),
                rationale="R",
                base_version=1,
            )
        )
    for proposal in made[:2]:
        services.position_record(proposal=proposal, expert=objector, stance="object", reason="Не согласен")
    return made


def schedule(client, concept, **data):
    return client.post(
        reverse("drafting:meeting-create", args=[concept.pk]),
        {
            "title": "Meeting of 12 June",
            "starts_at": "2026-12-12T10:00",
            "video_url": "https://meet.example.kz/wg",
            "submission": new_submission_token(),
            **data,
        },
    )


@pytest.mark.django_db
def test_agenda_is_built_from_open_disagreements(coordinator_client, concept, contested):
    assert [p.pk for p in selectors.disagreements(concept)] == [contested[0].pk, contested[1].pk]
    response = schedule(coordinator_client, concept, proposals=[contested[0].pk, contested[1].pk])
    meeting = Meeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    assert [i.proposal for i in meeting.items.all()] == contested[:2]


@pytest.mark.django_db
def test_unresolved_thread_also_makes_a_disagreement(concept, contested, expert):
    services.comment_add(author=expert, body="Open question", proposal=contested[2])
    assert contested[2] in list(selectors.disagreements(concept))


@pytest.mark.django_db
def test_outcomes_update_the_proposals(concept, contested, coordinator):
    meeting = services.meeting_schedule(
        concept=concept,
        user=coordinator,
        title="12 June",
        starts_at=timezone.now() - timedelta(days=3),
        proposals=contested[:2],
    )
    services.meeting_record_outcome(meeting=meeting, proposal=contested[0], outcome="agreed", user=coordinator)
    services.meeting_record_outcome(meeting=meeting, proposal=contested[1], outcome="rejected", user=coordinator)

    agreed, rejected = (Proposal.objects.get(pk=p.pk) for p in contested[:2])
    assert agreed.agreed_meeting == meeting and agreed.is_open
    # The meeting is the reason: nothing typed, no sentence stored; the entry names the meeting when shown.
    assert (rejected.status, rejected.decision_reason) == ("rejected", "")
    entry = Activity.objects.get(proposal=rejected, verb=Activity.Verb.REJECTED)
    assert entry.data["meeting"] == "12 June"
    with translation.override("en"):
        sentence = entry.sentence()
    assert sentence.endswith(f"rejected #{rejected.pk} “{rejected.title}” at the meeting “12 June”")
    assert AgendaItem.objects.get(proposal=agreed).outcome == "agreed"


@pytest.mark.django_db
def test_outcome_for_a_proposal_not_on_the_agenda_is_refused(coordinator_client, concept, contested, coordinator):
    meeting = services.meeting_schedule(
        concept=concept, user=coordinator, title="12 June", starts_at=timezone.now(), proposals=contested[:1]
    )
    response = coordinator_client.post(
        reverse("drafting:meeting-outcome", args=[meeting.pk]),
        {"proposal": contested[2].pk, "outcome": "agreed", "base_history_id": 1},
        follow=True,
    )
    assert "is not on this meeting" in response.text
    assert Proposal.objects.get(pk=contested[2].pk).agreed_meeting is None


@pytest.mark.django_db
@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://files.example.kz", "meet.example.kz"])
def test_videoconference_link_must_be_http(coordinator_client, concept, link):
    response = schedule(coordinator_client, concept, video_url=link)
    assert response.status_code == 400
    assert "must be an http(s) address" in response.text or "Enter a valid URL" in response.text
    assert "Meeting of 12 June" in response.text
    assert not Meeting.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("when", ["9999-12-31T22:30", "0001-01-01T01:00", "1999-12-31T10:00", "2101-01-01T10:00"])
def test_a_meeting_out_of_the_calendars_range_is_refused_with_the_form_kept(coordinator_client, concept, when):
    response = schedule(coordinator_client, concept, starts_at=when)
    assert response.status_code == 400
    assert "Enter a date between the years 2000 and 2100." in response.text
    assert "Meeting of 12 June" in response.text
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_a_meeting_that_already_took_place_can_be_recorded(coordinator_client, concept):
    assert schedule(coordinator_client, concept, starts_at="2020-06-01T15:00").status_code == 302


@pytest.mark.django_db
def test_only_coordinators_schedule_and_record(expert_client, concept, contested, coordinator):
    assert expert_client.get(reverse("drafting:meeting-create", args=[concept.pk])).status_code == 403
    meeting = services.meeting_schedule(
        concept=concept, user=coordinator, title="x", starts_at=timezone.now(), proposals=contested[:1]
    )
    assert (
        expert_client.post(
            reverse("drafting:meeting-outcome", args=[meeting.pk]), {"proposal": contested[0].pk, "outcome": "agreed"}
        ).status_code
        == 403
    )
    assert (
        expert_client.post(reverse("drafting:meeting-record", args=[meeting.pk]), {"minutes": "x"}).status_code == 403
    )
    assert expert_client.get(meeting.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_attendance_minutes_and_edition_are_recorded(coordinator_client, concept, contested, coordinator, expert):
    edition = services.edition_freeze(concept=concept, name="Draft 0.3", user=coordinator)
    meeting = services.meeting_schedule(concept=concept, user=coordinator, title="x", starts_at=timezone.now())
    attendee = Expert.objects.get(user=expert)
    response = coordinator_client.post(
        reverse("drafting:meeting-record", args=[meeting.pk]),
        {
            "attendees": [attendee.pk],
            "minutes": "**Решено**: продолжить.",
            "edition": edition.pk,
            "base_history_id": services.latest_history_id(meeting),
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert list(meeting.attendees.all()) == [attendee]
    assert meeting.edition == edition
    page = coordinator_client.get(meeting.get_absolute_url()).text
    assert "<strong>Решено</strong>" in page and "Draft 0.3" in page


@pytest.mark.django_db
def test_meeting_page_uses_a_fixed_number_of_queries(
    coordinator_client, concept, expert, coordinator, django_assert_max_num_queries
):
    section = make_section(concept, "S", BASE)
    proposals = [
        services.proposal_create_amendment(
            section=section, author=expert, title=f"P{i}", text=BASE + f" {i}", rationale="R", base_version=1
        )
        for i in range(12)
    ]
    small = services.meeting_schedule(
        concept=concept, user=coordinator, title="small", starts_at=timezone.now(), proposals=proposals[:2]
    )
    large = services.meeting_schedule(
        concept=concept, user=coordinator, title="large", starts_at=timezone.now(), proposals=proposals
    )
    services.meeting_update(meeting=large, user=coordinator, attendees=ExpertFactory.create_batch(10), minutes="m")
    for meeting in (small, large):
        with django_assert_max_num_queries(14):
            assert coordinator_client.get(meeting.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_dashboard_shows_where_the_draft_stands(
    client, concept, contested, other_expert, coordinator, django_assert_max_num_queries
):
    services.edition_freeze(concept=concept, name="Draft 0.3", user=coordinator)
    services.meeting_schedule(
        concept=concept, user=coordinator, title="Next meeting", starts_at=timezone.now() + timedelta(days=2)
    )
    client.force_login(other_expert)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("drafting:home"))
    board = response.context["board"]
    assert (board.sections, board.open_proposals, board.open_objections) == (1, 3, 2)
    assert [p.title for p in board.waiting_for_me] == ["Спокойное"]  # the other two have his objection
    assert "Draft 0.3" in response.text and "Next meeting" in response.text


@pytest.mark.django_db
def test_agreed_outcome_shows_on_the_proposal_and_in_the_attribution(expert_client, concept, contested, coordinator):
    meeting = services.meeting_schedule(
        concept=concept, user=coordinator, title="Meeting of 12 June", starts_at=timezone.now(), proposals=contested[:1]
    )
    services.meeting_record_outcome(meeting=meeting, proposal=contested[0], outcome="agreed", user=coordinator)
    page = expert_client.get(contested[0].get_absolute_url()).text
    assert "Agreed" in page and "at the meeting of" in page and "Meeting of 12 June" in page

    services.proposal_merge(proposal=Proposal.objects.get(pk=contested[0].pk), merged_by=coordinator)
    section = contested[0].section
    section.refresh_from_db()
    [paragraph] = selectors.section_attribution(section)
    assert paragraph.origin.meeting_title == "Meeting of 12 June"
    attribution = expert_client.get(reverse("drafting:section-attribution", args=[section.pk])).text
    assert "agreed at the meeting of" in attribution


@pytest.mark.django_db
def test_dashboard_does_not_announce_a_cancelled_meeting(client, concept, coordinator, expert):
    soon = services.meeting_schedule(
        concept=concept, user=coordinator, title="Cancelled one", starts_at=timezone.now() + timedelta(days=1)
    )
    services.meeting_schedule(
        concept=concept, user=coordinator, title="Held one", starts_at=timezone.now() + timedelta(days=4)
    )
    services.meeting_cancel(meeting=soon, user=coordinator, reason="Перенос")
    client.force_login(expert)
    board = client.get(reverse("drafting:home")).context["board"]
    assert board.next_meeting.title == "Held one"


def change_page(client, meeting):
    page = client.get(reverse("drafting:meeting-change", args=[meeting.pk]))
    assert page.status_code == 200
    return {k: v for k, v in page.context["form"].initial.items() if k != "invitees"}


def post_change(client, meeting, data):
    values = {k: ("" if v is None else v) for k, v in data.items()}
    return client.post(reverse("drafting:meeting-change", args=[meeting.pk]), values)


@pytest.mark.django_db
def test_two_coordinators_changing_a_meeting_keep_both_changes(concept, coordinator, expert):
    from tests.factories import client_for

    second = ExpertFactory(role=Expert.Role.COORDINATOR).user
    meeting = services.meeting_schedule(
        concept=concept, user=coordinator, title="Заседание", starts_at=timezone.now() + timedelta(days=5),
        agenda_note="Обсудим раздел 2.",
    )  # fmt: skip
    first_client, second_client = client_for(coordinator), client_for(second)
    mine, theirs = change_page(first_client, meeting), change_page(second_client, meeting)

    assert post_change(second_client, meeting, theirs | {"title": "Заседание № 3"}).status_code == 302
    response = post_change(first_client, meeting, mine | {"agenda_note": "Обсудим раздел 2 и 3.", "duration": 90})

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.agenda_note) == ("Заседание № 3", "Обсудим раздел 2 и 3.")
    assert meeting.duration == timedelta(minutes=90)


@pytest.mark.django_db
def test_a_stale_change_of_the_same_field_is_refused_with_the_typed_values_kept(concept, coordinator):
    from tests.factories import client_for

    second = ExpertFactory(role=Expert.Role.COORDINATOR).user
    meeting = services.meeting_schedule(
        concept=concept, user=coordinator, title="Заседание", starts_at=timezone.now() + timedelta(days=5)
    )
    first_client, second_client = client_for(coordinator), client_for(second)
    mine, theirs = change_page(first_client, meeting), change_page(second_client, meeting)
    post_change(second_client, meeting, theirs | {"title": "Заседание рабочей группы"})

    response = post_change(first_client, meeting, mine | {"title": "Онлайн-заседание"})

    assert response.status_code == 409
    page = response.content.decode()
    assert "Заседание рабочей группы" in page and 'value="Онлайн-заседание"' in page
    meeting.refresh_from_db()
    assert meeting.title == "Заседание рабочей группы"
    # Saving again, having seen the other title, is the person's decision.
    again = {k: v.value() for k, v in ((n, response.context["form"][n]) for n in ("title", "starts_at"))}
    again |= {"base_history_id": response.context["form"]["base_history_id"].value(), "duration": 120}
    assert post_change(first_client, meeting, again).status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Онлайн-заседание"
