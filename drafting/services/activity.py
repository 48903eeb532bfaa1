"""What the group sees happen: activity entries, notices, and each person's last visit."""

from django.utils import timezone

from drafting.models import Activity, LastVisit, Notice


def record(actor, verb: str, *, data: dict | None = None, section=None, proposal=None, notify=()) -> Activity:
    """Write one activity entry, and a notice for each person concerned (never the actor).

    `data` holds what the entry's sentence needs besides the verb and the foreign keys (a title,
    a heading, a revision, a reason a person typed), as they were at the time; the sentence itself
    is made in the reader's language when it is shown (`Activity.sentence()`).
    """
    activity = Activity.objects.create(actor=actor, verb=verb, data=data or {}, section=section, proposal=proposal)
    recipients = {user.pk for user in notify if user is not None and user != actor}
    Notice.objects.bulk_create(Notice(recipient_id=pk, activity=activity) for pk in recipients)
    return activity


def last_visit_touch(*, user):
    """Remember that the person looked at "what changed" now; return when they looked before."""
    now = timezone.now()
    visit, created = LastVisit.objects.get_or_create(user=user, defaults={"seen_at": now})
    previous = None if created else visit.seen_at
    if not created:
        visit.seen_at = now
        visit.save(update_fields=["seen_at"])
    return previous
