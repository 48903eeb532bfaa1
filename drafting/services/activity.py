"""What the group sees happen: activity entries, notices, and each person's last visit.

`record` is the single hook every drafting event goes through: it writes the activity, and
(notifications.services.notices) the notices for the people it concerns, the actor's watch on
what they touched, and the immediate mails, all in the event's transaction; the mails leave
once it commits.
"""

from django.utils import timezone

from drafting.models import Activity, Comment, LastVisit, Notice


def record(
    actor, verb: str, *, data: dict | None = None, section=None, proposal=None, meeting=None, notify=()
) -> Activity:
    """Write one activity entry, and a notice for each person concerned (never the actor).

    `data` holds what the entry's sentence needs besides the verb and the foreign keys (a title,
    a heading, a revision, a reason a person typed), as they were at the time; the sentence itself
    is made in the reader's language when it is shown (`Activity.sentence()`). `notify` names the
    people the event happened to (the author of a merged proposal, of the comment replied to);
    watchers and, for proposals, editions and meetings, the whole group are added to them.
    """
    from notifications.services.notices import notify_activity

    data = dict(data or {})
    exclude = ()
    if verb == Activity.Verb.COMMENTED and "comment" not in data and actor is not None:
        # The comment just written by this person here: the mail links straight to it.
        data["comment"] = (
            Comment.objects.filter(author=actor, section=section, proposal=proposal)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
    if verb == Activity.Verb.COMMENTED and data.get("comment"):
        # Whoever the comment mentions was told already (notifications.services.mentions).
        exclude = set(
            Notice.objects.filter(
                activity__verb=Activity.Verb.MENTIONED, activity__data__comment=data["comment"]
            ).values_list("recipient_id", flat=True)
        )
    activity = Activity.objects.create(
        actor=actor, verb=verb, data=data, section=section, proposal=proposal, meeting=meeting
    )
    notify_activity(activity, direct=[user for user in notify if user is not None], exclude=exclude)
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
