"""The daily tick: digests at 07:00 in Almaty, weekly ones on Mondays, reminders the day before."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.core import mail
from django_tasks_db.models import DBTaskResult

from drafting import services
from drafting.services.meetings import meeting_change
from notifications.categories import Category, Frequency
from notifications.models import Mail
from notifications.services import preferences
from notifications.services.digests import digests_send, next_tick, reminders_send, tick
from notifications.tasks import schedule_next_tick
from tests.factories import make_section

ALMATY = ZoneInfo("Asia/Almaty")


def test_the_tick_is_at_seven_in_almaty_and_queued_once(db):
    assert next_tick(datetime(2026, 6, 12, 1, 0, tzinfo=ALMATY)) == datetime(2026, 6, 12, 7, 0, tzinfo=ALMATY)
    assert next_tick(datetime(2026, 6, 12, 7, 0, tzinfo=ALMATY)) == datetime(2026, 6, 13, 7, 0, tzinfo=ALMATY)
    assert schedule_next_tick() is True
    assert schedule_next_tick() is False
    task = DBTaskResult.objects.get(task_path="notifications.tasks.daily_tick")
    assert task.run_after.astimezone(ALMATY).hour == 7


def test_a_proposal_already_answered_is_not_in_the_digest(concept, expert, other_expert, deliver):
    section = make_section(concept, "Goals", "Unity.", user=expert)
    answered = services.proposal_create_amendment(
        section=section, author=expert, title="Answered", text="Unity now.", rationale="Clearer.", base_version=1
    )
    services.proposal_create_amendment(
        section=section, author=expert, title="Waiting", text="Unity here.", rationale="Clearer.", base_version=1
    )
    services.position_record(proposal=answered, expert=other_expert.expert, stance="support")
    later = datetime.now(ALMATY) + timedelta(seconds=1)
    assert digests_send(frequency=Frequency.DAILY, now=later) == 2  # and the author, told of the support
    deliver()
    body = next(m for m in mail.outbox if m.to == [other_expert.email]).body
    assert "Waiting" in body and "Answered" not in body


def test_weekly_readers_get_nothing_daily_and_one_digest_on_monday(concept, expert, other_expert):
    preferences.preferences_set(user=other_expert, choices={Category.AWAITING: Frequency.WEEKLY})
    section = make_section(concept, "Goals", "Unity.", user=expert)
    services.proposal_create_amendment(
        section=section, author=expert, title="Waiting", text="Unity here.", rationale="Clearer.", base_version=1
    )
    now = datetime.now(ALMATY) + timedelta(seconds=1)
    assert digests_send(frequency=Frequency.DAILY, now=now) == 0
    monday = now + timedelta(days=(7 - now.weekday()) % 7 or 7)
    sent = tick(now=monday.replace(hour=7, minute=0))
    assert sent["weekly"] == 1
    assert Mail.objects.get(recipient=other_expert).key.startswith("weekly:")


def test_the_day_before_a_meeting_every_member_is_reminded_once(concept, expert, coordinator, deliver):
    now = datetime.now(ALMATY)
    starts = (now + timedelta(days=1)).replace(hour=15, minute=0, second=0, microsecond=0)
    meeting = services.meeting_schedule(concept=concept, user=coordinator, title="Online", starts_at=starts)
    meeting_change(meeting=meeting, user=coordinator, title="Online", starts_at=starts + timedelta(minutes=30))
    preferences.preferences_set(user=coordinator, choices={Category.MEETING: Frequency.OFF})
    assert reminders_send(now=now) == 1  # the expert; the coordinator turned meeting mail off
    assert reminders_send(now=now) == 0  # once
    deliver()
    reminder = [m for m in mail.outbox if "Reminder" in m.subject]
    assert [m.to for m in reminder] == [[expert.email]]
    ics = icalendar.Calendar.from_ical(reminder[0].attachments[0][1])  # the calendar entry as it stands
    assert int(ics.walk("VEVENT")[0]["SEQUENCE"]) == 1


def test_the_tick_command_sends_the_digest_once(concept, expert, other_expert, deliver):
    from io import StringIO

    from django.core.management import call_command

    section = make_section(concept, "Goals", "Unity.", user=expert)
    services.proposal_create_amendment(
        section=section, author=expert, title="Waiting", text="Unity here.", rationale="Clearer.", base_version=1
    )
    out = StringIO()
    call_command("mail_tick", stdout=out)
    call_command("mail_tick", stdout=out)
    deliver()
    assert "daily: 1" in out.getvalue() and "daily: 0" in out.getvalue()
    assert len([m for m in mail.outbox if m.to == [other_expert.email]]) == 1
