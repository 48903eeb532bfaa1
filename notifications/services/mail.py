"""The outbox: mails are written in the event's transaction and sent by the worker after it commits.

Never lost: a mail is a row (notifications.Mail) before anything is sent, and a row still queued is
sent by the next task (a failed SMTP attempt schedules a retry with a growing delay; the daily
tick picks up any row whose task was lost). Never sent twice: the worker claims the row under a
lock, sends, and marks it sent in the same transaction; a row no longer queued is skipped.
A bad address, a permanent refusal or a mail that cannot be written is marked failed and
logged, and the worker goes on; the notice stays in the portal either way.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from notifications.models import Mail

log = logging.getLogger("notifications.mail")


def queue(mails: list[Mail]) -> list[Mail]:
    """Write the mails now (one query) and hand them to the worker once the transaction commits."""
    created = Mail.objects.bulk_create(mails)
    ids = [mail.pk for mail in created]
    if ids:
        transaction.on_commit(lambda: enqueue(ids))
    return created


def enqueue(ids: list[int], *, delay_seconds: float = 0) -> None:
    from notifications.tasks import deliver_mails

    if delay_seconds:
        deliver_mails.using(run_after=timezone.now() + timedelta(seconds=delay_seconds)).enqueue(ids)
    else:
        deliver_mails.enqueue(ids)


def mail_configured() -> bool:
    """Whether mail can leave: always in development (the console), only with SMTP set in production."""
    backend = settings.MAILERS.get("default", {}).get("BACKEND", "")
    return settings.DEBUG or backend != "django.core.mail.backends.console.EmailBackend"


def deliver_many(ids: list[int]) -> dict[str, int]:
    """Send each queued mail of `ids`; return how many were sent, retried, failed or skipped."""
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0, "waiting": 0}
    if not mail_configured():
        log.warning(
            "Mail is not configured (set EMAIL_HOST): %d mail(s) wait in the queue and are tried again in %d s.",
            len(ids),
            settings.MAIL_WAIT_SECONDS,
        )
        transaction.on_commit(lambda: enqueue(ids, delay_seconds=settings.MAIL_WAIT_SECONDS))
        counts["waiting"] = len(ids)
        return counts
    for pk in ids:
        counts[deliver(pk)] += 1
    return counts


@transaction.atomic
def deliver(pk: int) -> str:
    """Send one mail if it is still queued: "sent", "retry", "failed" or "skipped"."""
    from notifications.services.rendering import build_message

    mail = (
        Mail.objects.select_for_update(of=("self",))
        .select_related("recipient", "meeting")
        .filter(pk=pk, state=Mail.State.QUEUED)
        .first()
    )
    if mail is None:
        return "skipped"
    if _calendar_entry_of_a_cancelled_meeting(mail):
        mail.delete()  # withdrawn, as reminders are on cancelling; the in-app notice stays
        return "skipped"
    address = mail.recipient.email
    try:
        validate_email(address)
    except ValidationError:
        return _fail(mail, f"malformed address {address!r}")
    try:
        message = build_message(mail)
    except Exception as error:  # a mail that cannot be written must not stop the others
        log.exception("Mail %s could not be written", mail.pk)
        return _fail(mail, f"could not be written: {error!r}")
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _message in error.recipients.values()]
        return _retry_or_fail(mail, error, permanent=all(code >= 500 for code in codes))
    except smtplib.SMTPResponseException as error:
        return _retry_or_fail(mail, error, permanent=error.smtp_code >= 500)
    except (smtplib.SMTPException, OSError) as error:
        return _retry_or_fail(mail, error, permanent=False)
    mail.state, mail.sent_at, mail.attempts = Mail.State.SENT, timezone.now(), mail.attempts + 1
    mail.save(update_fields=["state", "sent_at", "attempts"])
    return "sent"


def _calendar_entry_of_a_cancelled_meeting(mail: Mail) -> bool:
    """A reminder, invitation or update queued before its meeting was cancelled (or waiting on a retry).

    Sent now, it would put the cancelled event back into the calendar (METHOD:REQUEST). Only the
    cancellation itself still goes out.
    """
    meeting = mail.meeting
    return meeting is not None and meeting.cancelled_at is not None and mail.data.get("method") != "CANCEL"


def _fail(mail: Mail, reason: str) -> str:
    log.warning("Mail %s to user %s failed: %s", mail.pk, mail.recipient_id, reason)
    mail.state, mail.last_error = Mail.State.FAILED, reason[:2000]
    mail.save(update_fields=["state", "last_error"])
    return "failed"


def _retry_or_fail(mail: Mail, error: Exception, *, permanent: bool) -> str:
    mail.attempts += 1
    delays = settings.MAIL_RETRY_SECONDS
    if permanent or mail.attempts > len(delays):
        mail.save(update_fields=["attempts"])
        return _fail(mail, f"after {mail.attempts} attempt(s): {error!r}")
    delay = delays[mail.attempts - 1]
    log.info("Mail %s: the server refused (%r); attempt %d again in %s s", mail.pk, error, mail.attempts + 1, delay)
    mail.last_error = repr(error)[:2000]
    mail.save(update_fields=["attempts", "last_error"])
    pk = mail.pk
    transaction.on_commit(lambda: enqueue([pk], delay_seconds=delay))
    return "retry"


def requeue_stale(*, older_than_seconds: int = 3600) -> int:
    """Queued mails whose task was lost (a crash between commit and enqueue): queue them again."""
    if not mail_configured():
        return 0  # each waiting batch already polls on its own (deliver_many); another chain would double it
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    # A mail already tried waits for its retry task (_retry_or_fail): queueing it now would cut its backoff.
    stale = Mail.objects.filter(state=Mail.State.QUEUED, attempts=0, created_at__lt=cutoff)
    ids = list(stale.values_list("pk", flat=True))
    if ids:
        transaction.on_commit(lambda: enqueue(ids))
    return len(ids)
