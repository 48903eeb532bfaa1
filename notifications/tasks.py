"""Background work, run by django-tasks-db's `db_worker`: sending mail, and the daily tick."""

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from notifications.services import digests, mail


@task
def deliver_mails(mail_ids: list[int]) -> dict:
    """Send the queued mails of these ids (each under its own row lock)."""
    return mail.deliver_many(mail_ids)


@task
def daily_tick() -> dict:
    """Reminders and digests, then the next tick, at the next DIGEST_HOUR o'clock in Almaty."""
    try:
        return digests.tick(now=timezone.now())
    finally:  # one failed tick must not stop the digests and reminders of every day after it
        transaction.on_commit(schedule_next_tick)


def schedule_next_tick(*, force: bool = False) -> bool:
    """Make sure exactly one tick waits for the next DIGEST_HOUR o'clock; True if one was queued now."""
    from django_tasks_db.models import DBTaskResult

    pending = DBTaskResult.objects.filter(task_path=daily_tick.module_path, status="READY")
    if not force and pending.exists():
        return False
    daily_tick.using(run_after=digests.next_tick(timezone.now())).enqueue()
    return True
