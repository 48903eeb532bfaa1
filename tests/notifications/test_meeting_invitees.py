"""Meeting mail reaches the invitees only: invitations, changes, cancellations, reminders and minutes.

Each test sends through the real outbox and worker (`deliver`) and reads the calendar entries
back with `icalendar`, as a calendar program would.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from drafting import services
from drafting.models import Notice
from drafting.services.meetings import meeting_cancel, meeting_change
from notifications.models import Mail
from notifications.services.digests import reminders_send
from notifications.services.invitations import meeting_uid
from tests.factories import ExpertFactory

ALMATY = ZoneInfo("Asia/Almaty")


def _calendar(message) -> icalendar.Calendar:
    [(name, content, mimetype)] = message.attachments
    assert name == "invitation.ics"
    calendar = icalendar.Calendar.from_ical(content)
    # The MIME type names the same method as the calendar, as RFC 6047 asks.
    assert f"method={calendar['METHOD']}" in mimetype
    return calendar


def _event(message):
    return _calendar(message).walk("VEVENT")[0]


def _to(address):
    return [m for m in mail.outbox if m.to == [address]]


def _schedule(concept, coordinator, **kwargs):
    kwargs.setdefault("starts_at", timezone.now() + timedelta(days=3))
    return services.meeting_schedule(concept=concept, user=coordinator, title="Online", **kwargs)


def _change(meeting, coordinator, **changes):
    meeting.refresh_from_db()
    values = {
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "video_url": meeting.video_url,
        "agenda_note": meeting.agenda_note,
    }
    return meeting_change(meeting=meeting, user=coordinator, **(values | changes))


def test_only_the_invitees_get_the_invitation(concept, expert, other_expert, coordinator, deliver):
    _schedule(concept, coordinator, invitees=[expert.expert])
    deliver()
    assert [m.to for m in mail.outbox] == [[expert.email]]
    assert not Notice.objects.filter(recipient=other_expert).exists()


def test_without_invitees_the_whole_group_is_invited(concept, expert, other_expert, coordinator, deliver):
    _schedule(concept, coordinator)
    deliver()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([expert.email, other_expert.email])


def test_a_person_taken_off_the_invitees_gets_a_cancellation_and_one_added_the_invitation(
    concept, expert, other_expert, coordinator, deliver
):
    meeting = _schedule(concept, coordinator, invitees=[expert.expert])
    deliver()
    first = _event(_to(expert.email)[0])
    mail.outbox.clear()

    _change(meeting, coordinator, invitees=[other_expert.expert])
    deliver()

    [removed] = _to(expert.email)
    calendar = _calendar(removed)
    assert str(calendar["METHOD"]) == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == str(first["UID"]) == meeting_uid(meeting)
    assert int(event["SEQUENCE"]) > int(first["SEQUENCE"])
    assert "STATUS" not in event  # the meeting goes on: only this person's invitation is withdrawn
    assert removed.subject.startswith("You are no longer invited")

    [added] = _to(other_expert.email)
    assert str(_calendar(added)["METHOD"]) == "REQUEST"
    assert added.subject.startswith("Invitation:")  # new to this person, not a "change"
    assert len(mail.outbox) == 2  # nobody else hears of a change in the invitees only


def test_a_change_of_time_reaches_the_invitees_and_the_length_sets_the_end(
    concept, expert, other_expert, coordinator, deliver
):
    starts = datetime(2031, 5, 20, 10, 0, tzinfo=ALMATY)
    meeting = _schedule(concept, coordinator, starts_at=starts, invitees=[expert.expert])
    deliver()
    event = _event(_to(expert.email)[0])
    assert event["DTEND"].dt == starts + timedelta(hours=2)  # the default length
    mail.outbox.clear()

    _change(meeting, coordinator, starts_at=starts + timedelta(hours=1), duration=timedelta(minutes=90))
    deliver()
    [changed] = mail.outbox
    assert changed.to == [expert.email] and changed.subject.startswith("Changed:")
    event = _event(changed)
    assert int(event["SEQUENCE"]) == 1
    assert event["DTSTART"].dt == starts + timedelta(hours=1)
    assert event["DTEND"].dt == starts + timedelta(hours=2, minutes=30)
    assert event["DTEND"].dt.tzinfo.key == "Asia/Almaty"
    assert "11:00–12:30" in changed.body


def test_the_cancellation_is_the_same_event_cancelled_with_a_higher_sequence(
    concept, expert, other_expert, coordinator, deliver
):
    meeting = _schedule(concept, coordinator, invitees=[expert.expert])
    _change(meeting, coordinator, title="Online, second part")
    deliver()
    last = _event(_to(expert.email)[-1])
    mail.outbox.clear()

    meeting_cancel(meeting=meeting, user=coordinator, reason="The hall is closed.")
    deliver()

    [cancelled] = mail.outbox
    assert cancelled.to == [expert.email]
    assert cancelled.subject.startswith("Cancelled: the meeting “Online, second part”")
    assert "The hall is closed." in cancelled.body
    calendar = _calendar(cancelled)
    assert str(calendar["METHOD"]) == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == str(last["UID"]) == meeting_uid(meeting)
    assert int(event["SEQUENCE"]) == int(last["SEQUENCE"]) + 1 == 2
    assert str(event["STATUS"]) == "CANCELLED"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Almaty"]


def test_the_reminder_goes_to_the_invitees_and_never_for_a_cancelled_meeting(
    concept, expert, other_expert, coordinator, deliver
):
    now = datetime.now(ALMATY)
    tomorrow = (now + timedelta(days=1)).replace(hour=15, minute=0, second=0, microsecond=0)
    invited = _schedule(concept, coordinator, starts_at=tomorrow, invitees=[expert.expert])
    cancelled = _schedule(concept, coordinator, starts_at=tomorrow + timedelta(hours=1))
    meeting_cancel(meeting=cancelled, user=coordinator)

    assert reminders_send(now=now) == 1
    assert list(Mail.objects.filter(kind=Mail.Kind.REMINDER).values_list("recipient", "meeting")) == [
        (expert.pk, invited.pk)
    ]


def test_a_reminder_still_waiting_in_the_outbox_is_withdrawn_when_the_meeting_is_cancelled(
    concept, expert, coordinator, deliver
):
    now = datetime.now(ALMATY)
    tomorrow = (now + timedelta(days=1)).replace(hour=15, minute=0, second=0, microsecond=0)
    meeting = _schedule(concept, coordinator, starts_at=tomorrow)
    assert reminders_send(now=now) == 2  # the expert and the coordinator
    meeting_cancel(meeting=meeting, user=coordinator)
    deliver()
    assert not [m for m in mail.outbox if "Reminder" in m.subject]
    assert not Mail.objects.filter(kind=Mail.Kind.REMINDER).exists()


def test_an_invitation_still_in_the_outbox_when_the_meeting_is_cancelled_is_not_sent(
    concept, expert, coordinator, deliver
):
    meeting = _schedule(concept, coordinator, invitees=[expert.expert])
    meeting_cancel(meeting=meeting, user=coordinator)  # before the worker sent the invitation

    deliver()

    subjects = [m.subject for m in mail.outbox if m.to == [expert.email]]
    assert len(subjects) == 1 and subjects[0].startswith("Cancelled:"), subjects
    assert _event(mail.outbox[0])["status"] == "CANCELLED"
    assert not Mail.objects.filter(state=Mail.State.QUEUED).exists()


def test_the_minutes_go_to_the_invitees(concept, expert, other_expert, coordinator, deliver):
    meeting = _schedule(concept, coordinator, starts_at=timezone.now() - timedelta(hours=3), invitees=[expert.expert])
    services.meeting_update(meeting=meeting, user=coordinator, minutes="We met.")
    deliver()
    minutes = [m for m in mail.outbox if m.subject.startswith("Minutes")]
    assert [m.to for m in minutes] == [[expert.email]]


def test_an_invitee_who_left_the_group_is_not_written_to_and_the_group_is_not_invited_instead(
    concept, expert, other_expert, coordinator, deliver
):
    gone = ExpertFactory(is_active=False)
    _schedule(concept, coordinator, invitees=[gone])
    deliver()
    assert mail.outbox == []


def test_changing_a_meeting_whose_invitees_all_left_does_not_invite_the_whole_group(
    concept, expert, other_expert, coordinator, deliver
):
    gone = ExpertFactory(is_active=False)
    meeting = _schedule(concept, coordinator, invitees=[gone])
    _change(meeting, coordinator, title="Renamed", invitees=[])  # the form has no box for someone inactive
    deliver()
    assert list(meeting.invitees.all()) == [gone]
    assert mail.outbox == [] and not Notice.objects.filter(recipient__in=[expert, other_expert]).exists()


def test_a_stale_change_between_named_people_and_the_whole_group_is_refused(concept, expert, other_expert, coordinator):
    from drafting.services.versions import StaleConflict, latest_history_id

    meeting = _schedule(concept, coordinator, invitees=[expert.expert])
    opened = latest_history_id(meeting)
    _change(meeting, coordinator, invitees=[])  # another coordinator invites the whole group

    with pytest.raises(StaleConflict) as refused:
        _change(meeting, coordinator, invitees=[expert.expert, other_expert.expert], base_history_id=opened)

    assert "the whole Working Group" in " ".join(refused.value.messages)
    assert sorted(refused.value.drafts["invitees"]) == sorted([expert.expert.pk, other_expert.expert.pk])
    assert list(meeting.invitees.all()) == []


def test_stale_changes_of_two_named_lists_keep_both_peoples_additions(concept, expert, other_expert, coordinator):
    from drafting.services.versions import latest_history_id

    third = ExpertFactory()
    meeting = _schedule(concept, coordinator, invitees=[expert.expert])
    opened = latest_history_id(meeting)
    _change(meeting, coordinator, invitees=[expert.expert, other_expert.expert])

    _change(meeting, coordinator, invitees=[expert.expert, third], base_history_id=opened)

    assert set(meeting.invitees.all()) == {expert.expert, other_expert.expert, third}


def test_notices_of_a_meeting_for_many_invitees_take_a_fixed_number_of_queries(
    concept, coordinator, django_assert_max_num_queries
):
    few = _schedule(concept, coordinator, invitees=ExpertFactory.create_batch(2))
    many = _schedule(concept, coordinator, invitees=ExpertFactory.create_batch(30))
    counts = []
    for meeting in (few, many):
        with django_assert_max_num_queries(40) as context:
            _change(meeting, coordinator, title="Moved")
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]


def test_someone_who_watches_a_meeting_without_being_invited_hears_of_its_cancellation_without_a_calendar_entry(
    concept, expert, other_expert, coordinator, deliver
):
    from notifications.services.watches import watch_add

    meeting = _schedule(concept, coordinator, invitees=[expert.expert])
    watch_add(user=other_expert, meeting=meeting)
    deliver()
    mail.outbox.clear()

    meeting_cancel(meeting=meeting, user=coordinator, reason="Перенос")
    deliver()

    assert Notice.objects.filter(recipient=other_expert, activity__verb="cancelled").exists()
    (watcher_mail,) = [m for m in mail.outbox if m.to == [other_expert.email]]
    assert not watcher_mail.attachments  # not invited: no calendar entry to cancel
    (invitee_mail,) = [m for m in mail.outbox if m.to == [expert.email]]
    assert _event(invitee_mail)["status"] == "CANCELLED"
