"""Mail through a real SMTP server (aiosmtpd on 127.0.0.1) and the real django-tasks-db worker."""

import email
import socket
from datetime import timedelta
from email import policy

import icalendar
import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from drafting import services
from notifications.models import Mail
from notifications.services.invitations import meeting_uid


class Recorder:
    """An SMTP server that refuses the first `refuse` deliveries (421, try again later)."""

    def __init__(self, refuse: int = 0, bounce: bool = False):
        self.refuse, self.bounce, self.attempts, self.messages = refuse, bounce, 0, []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.bounce:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.attempts <= self.refuse:
            return "421 4.3.2 Busy, try again later"
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    def start(**kwargs):
        handler = Recorder(**kwargs)
        controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
        controller.start()
        servers.append(controller)
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "use_tls": False, "timeout": 5},
            }
        }
        return handler

    servers = []
    yield start
    for controller in servers:
        controller.stop()


def _schedule(concept, coordinator, proposal=None):
    return services.meeting_schedule(
        concept=concept,
        user=coordinator,
        title="Online session",
        starts_at=timezone.now() + timedelta(days=3),
        video_url="https://meet.example.kz/kisi",
        agenda_note="Bring the draft.",
        proposals=[proposal] if proposal else [],
    )


def test_an_invitation_arrives_with_both_parts_the_headers_and_a_calendar_event(
    concept, expert, coordinator, smtp_server, deliver, committed
):
    server = smtp_server()
    with committed():
        meeting = _schedule(concept, coordinator)
    deliver()
    received = [m for m in server.messages if m["To"] == expert.email]
    assert len(received) == 1
    message = received[0]
    assert (
        message["List-Unsubscribe"].startswith("<http") and "/notifications/unsubscribe/" in message["List-Unsubscribe"]
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_body(("plain",)).get_content().count("https://meet.example.kz/kisi") >= 1
    assert "<html" in message.get_body(("html",)).get_content()
    ics = next(part for part in message.iter_attachments() if part.get_content_type() == "text/calendar")
    calendar = icalendar.Calendar.from_ical(ics.get_content())
    assert str(calendar["METHOD"]) == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == meeting_uid(meeting)
    assert int(event["SEQUENCE"]) == 0
    assert event["DTSTART"].dt.tzinfo.key == "Asia/Almaty"
    assert event["DTSTART"].dt == meeting.starts_at.replace(microsecond=0)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Almaty"]
    assert "https://meet.example.kz/kisi" in str(event["DESCRIPTION"])

    # Changing the meeting sends the same event (same UID) with a higher SEQUENCE.
    from drafting.services.meetings import meeting_change

    with committed():
        meeting_change(
            meeting=meeting,
            user=coordinator,
            title="Online session",
            starts_at=meeting.starts_at + timedelta(hours=1),
            video_url=meeting.video_url,
            agenda_note=meeting.agenda_note,
        )
    deliver()
    update = [m for m in server.messages if m["To"] == expert.email][-1]
    ics = next(part for part in update.iter_attachments() if part.get_content_type() == "text/calendar")
    event = icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]
    assert str(event["UID"]) == meeting_uid(meeting)
    assert int(event["SEQUENCE"]) == 1


def test_a_mail_refused_twice_is_delivered_exactly_once(
    concept, expert, coordinator, smtp_server, deliver, committed, settings
):
    settings.MAIL_RETRY_SECONDS = [0, 0, 0]  # the backoff itself is checked below; here no waiting
    server = smtp_server(refuse=2)
    from tests.factories import make_section

    section = make_section(concept, "Goals", "Unity.", user=coordinator)
    proposal = services.proposal_create_amendment(
        section=section, author=expert, title="Sharper", text="Unity now.", rationale="Clearer.", base_version=1
    )
    with committed():
        services.proposal_reject(proposal=proposal, decided_by=coordinator, reason="Not now.")
    deliver()
    assert server.attempts == 3
    assert len(server.messages) == 1
    row = Mail.objects.get(recipient=expert)
    assert (row.state, row.attempts) == (Mail.State.SENT, 3)
    deliver()  # nothing left: never sent twice
    assert len(server.messages) == 1


def test_a_refused_attempt_is_retried_later_with_a_growing_delay(
    concept, expert, coordinator, smtp_server, deliver, committed
):
    smtp_server(refuse=5)
    with committed():
        _schedule(concept, coordinator)
    before = timezone.now()
    deliver()
    waiting = DBTaskResult.objects.filter(status="READY", task_path__endswith="deliver_mails")
    assert waiting.exists()
    assert all(task.run_after >= before + timedelta(seconds=59) for task in waiting)
    assert set(Mail.objects.values_list("state", flat=True)) == {Mail.State.QUEUED}


def test_a_bouncing_or_malformed_address_is_marked_failed_and_the_worker_goes_on(
    concept, expert, other_expert, coordinator, smtp_server, deliver, committed
):
    smtp_server(bounce=True)
    other_expert.email = "not an address"
    other_expert.save()
    with committed():
        _schedule(concept, coordinator)
    deliver()
    assert set(Mail.objects.values_list("state", flat=True)) == {Mail.State.FAILED}
    assert "malformed" in Mail.objects.get(recipient=other_expert).last_error
    assert expert.notices.count() == 1  # the notice stays in the portal
    assert DBTaskResult.objects.filter(status="FAILED").count() == 0  # the worker never crashed


def test_without_mail_settings_in_production_mails_wait_in_the_queue(
    concept, expert, coordinator, deliver, committed, settings, caplog
):
    settings.DEBUG = False
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    with committed():
        _schedule(concept, coordinator)
    deliver()
    assert set(Mail.objects.values_list("state", flat=True)) == {Mail.State.QUEUED}
    assert "wait in the queue" in caplog.text
