"""Who is told about an event, why (the category), and which of them get a mail at once.

Called by drafting.services.activity.record, in the event's transaction, at a fixed number of
queries whatever the number of watchers: the watches (1), the active members when the event
concerns everyone, or a meeting's audience (its invitees, else every active member) (1), for a
change of a section's text the parallel texts it made out of date (1, and 1 for their watchers
when there are some), the recipients' addresses and settings (2), the notices (1), the actor's
watch (1), the throttled watches (1) and the mails (1); the mails are queued when it commits.
"""

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from drafting.models import Activity, Notice
from drafting.selectors.meetings import meeting_audience
from members.models import Expert
from notifications.categories import Category, Frequency
from notifications.models import Mail, Watch
from notifications.services import mail as outbox
from notifications.services.preferences import frequencies_for
from notifications.services.watches import auto_watch, watch_rows

V = Activity.Verb
# The people a service names (`notify`), by what happened to them.
DIRECT = {
    V.MERGED: Category.DECISION,
    V.REJECTED: Category.DECISION,
    V.NEEDS_REVIEW: Category.DECISION,
    V.OBJECTED: Category.POSITION,
    V.TOOK_POSITION: Category.POSITION,
    V.COMMENTED: Category.REPLY,
    V.MENTIONED: Category.MENTION,
}
SECTION_EVENTS = {V.EDITED, V.MERGED, V.REVERTED, V.RENAMED, V.MOVED, V.REPARENTED, V.RETIRED, V.RESTORED}
OUTLINE_EVENTS = {V.ADDED_SECTION, V.OUTLINE}
DISCUSSION_EVENTS = {V.COMMENTED, V.TOOK_POSITION, V.OBJECTED, V.REVISED, V.WITHDREW, V.REJECTED, V.NEEDS_REVIEW}
MEETING_EVENTS = {V.SCHEDULED, V.RESCHEDULED, V.CANCELLED, V.MINUTED}
# The event's own verb, then the actor follows the item (auto-watch).
AUTO_WATCH = {V.PROPOSED, V.COMMENTED, V.TOOK_POSITION, V.OBJECTED, V.EDITED, V.REVISED, V.SCHEDULED}
# Never held back until a visit: a mention is addressed to the person, a meeting invitation must reach
# the calendar, and a decision on one's own proposal (merged, rejected) happens once and matters.
UNTHROTTLED = {Category.MENTION, Category.MEETING, Category.DECISION}


def _concept_id(activity: Activity):
    for obj in (activity.proposal, activity.section, activity.meeting):
        if obj is not None:
            return obj.concept_id
    return None


def recipients_for(activity: Activity, direct) -> tuple[dict[int, str], list, set[int]]:
    """{user id: category} for everyone the activity concerns, the watches read, and who gets a calendar entry.

    The actor is never among them. For a meeting event the calendar entry (an .ics) goes to the
    invited only; someone who watches the meeting without being invited hears of it too, by a
    plain notice.
    """
    verb = activity.verb
    categories: dict[int, str] = {}
    proposal_section = activity.proposal.section_id if activity.proposal is not None else None
    watches = watch_rows(
        concept_id=_concept_id(activity),
        section_id=activity.section_id or proposal_section,
        proposal_id=activity.proposal_id,
        meeting_id=activity.meeting_id,
    )

    def add(user_id, category):
        categories.setdefault(user_id, category)

    audience = meeting_event_audience(activity) if verb in MEETING_EVENTS and activity.meeting_id else set()

    for user in direct:
        if user is not None:
            add(user.pk, DIRECT.get(verb, Category.DECISION))
    if activity.proposal is not None and verb in (V.TOOK_POSITION, V.OBJECTED):
        add(activity.proposal.author_id, Category.POSITION)  # support too, not only objections
    for watch in watches:
        if watch.proposal_id and verb in DISCUSSION_EVENTS:
            add(watch.user_id, Category.DISCUSSION)
        elif watch.proposal_id and verb == V.MERGED:
            add(watch.user_id, Category.SECTION)
        elif watch.meeting_id and verb in MEETING_EVENTS:
            # Whoever follows the meeting hears what happens to it; a change of the invitees alone
            # concerns only those added or taken off.
            if watch.user_id in audience or verb != V.RESCHEDULED or (activity.data or {}).get("details_changed", True):
                add(watch.user_id, Category.MEETING)
        elif (watch.section_id or watch.concept_id) and verb == V.PROPOSED:
            add(watch.user_id, Category.PROPOSAL)
        elif ((watch.section_id or watch.concept_id) and verb in SECTION_EVENTS) or (
            watch.concept_id and verb in OUTLINE_EVENTS
        ):
            add(watch.user_id, Category.SECTION)
        elif (watch.section_id and verb == V.COMMENTED and activity.proposal_id is None) or (
            watch.concept_id and verb in DISCUSSION_EVENTS
        ):
            add(watch.user_id, Category.DISCUSSION)
    broad = {V.PROPOSED: Category.AWAITING, V.FROZE: Category.EDITION}
    if verb in broad:
        for user_id in Expert.objects.active().values_list("user_id", flat=True):
            add(user_id, broad[verb])
    for user_id in sorted(audience):
        add(user_id, Category.MEETING)
    if activity.section is not None and verb in SECTION_EVENTS:
        for user_id in translation_keepers(activity.section):
            # Keeping the translation is the more specific reason than watching the section.
            if categories.get(user_id) in (None, Category.SECTION):
                categories[user_id] = Category.TRANSLATION
    categories.pop(activity.actor_id, None)
    return categories, watches, audience


def meeting_event_audience(activity: Activity) -> set[int]:
    """Who hears of a meeting event (one query): the invitees, else every active member.

    A change that added or removed invitees also reaches those taken off (they get a cancellation
    for them); when only the invitees changed, only those added and those taken off hear of it.
    """
    data = activity.data or {}
    uninvited = set(data.get("uninvited", ()))
    if activity.verb == V.RESCHEDULED and not data.get("details_changed", True):
        return set(data.get("invited", ())) | uninvited
    return set(meeting_audience(activity.meeting_id)) | uninvited


def translation_keepers(section) -> list[int]:
    """Who hears that this change of `section` made a parallel text out of date (two queries).

    A parallel text becomes out of date when the section's revision rises past the one it
    translates; it was current until this change when it translates the revision just before.
    Whoever last edited it (or checked it as still accurate), and everyone who watches the
    Concept's translations in its language, hear of it.
    """
    from drafting.models import ParallelText
    from notifications.models import TranslationWatch

    history = ParallelText.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_id")
    became_outdated = list(
        ParallelText.objects.filter(section_id=section.pk, source_version=section.version - 1)
        .annotate(last_editor=Subquery(history.values("history_user_id")[:1]))
        .values_list("language", "last_editor")
    )
    if not became_outdated:
        return []
    people = [editor for _language, editor in became_outdated if editor is not None]
    people += TranslationWatch.objects.filter(
        concept_id=section.concept_id, language__in=[language for language, _editor in became_outdated]
    ).values_list("user_id", flat=True)
    return list(dict.fromkeys(people))


def notify_activity(activity: Activity, *, direct=(), exclude=()) -> list[Notice]:
    """Write the notices of one activity, the actor's auto-watch, and queue the immediate mails."""
    categories, watches, calendar = recipients_for(activity, direct)
    for user_id in exclude:
        categories.pop(user_id, None)
    if activity.verb in AUTO_WATCH:
        auto_watch(user=activity.actor, section=activity.section, proposal=activity.proposal, meeting=activity.meeting)
    if not categories:
        return []
    reachable = set(
        get_user_model()
        .objects.filter(pk__in=list(categories), is_active=True)
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    frequencies = frequencies_for(reachable)
    now = timezone.now()
    item_watch = _item_watches(activity, watches)
    notices, mailed, throttled = [], [], []
    for user_id, category in categories.items():
        notice = Notice(recipient_id=user_id, activity=activity, category=category)
        notices.append(notice)
        if user_id not in reachable or frequencies[user_id][category] != Frequency.IMMEDIATELY:
            continue
        watch = item_watch.get(user_id)
        if category not in UNTHROTTLED and watch is not None:
            if watch.mailed_at is not None:
                continue  # already told once about this item; the next mail waits for a visit
            throttled.append(watch.pk)
        notice.mailed_at = now
        mailed.append(notice)
    Notice.objects.bulk_create(notices)
    if throttled:
        Watch.objects.filter(pk__in=throttled).update(mailed_at=now)
    if mailed:
        outbox.queue([_mail_for(notice, activity, calendar=calendar) for notice in mailed])
    return notices


def _mail_for(notice: Notice, activity: Activity, *, calendar: set[int]) -> Mail:
    kind = Mail.Kind.NOTICE
    if notice.category == Category.MEETING and activity.verb == V.MINUTED:
        kind = Mail.Kind.MINUTES
    elif notice.category == Category.MEETING and notice.recipient_id in calendar:
        kind = Mail.Kind.INVITATION
    return Mail(
        recipient_id=notice.recipient_id,
        kind=kind,
        category=notice.category,
        notice=notice,
        meeting=activity.meeting,
        data=_invitation_data(notice.recipient_id, activity) if activity.meeting_id else {},
    )


def _invitation_data(user_id: int, activity: Activity) -> dict:
    """What the calendar message says to this person: the SEQUENCE, and a cancellation or a first invitation.

    A cancelled meeting, or a person taken off the invitees, gets METHOD:CANCEL
    (notifications.services.invitations); a person just added gets an invitation, not a change.
    """
    data = activity.data or {}
    mail = {"sequence": data.get("sequence", 0)}
    if activity.verb == V.CANCELLED:
        mail["method"] = "CANCEL"
    elif user_id in data.get("uninvited", ()):
        mail |= {"method": "CANCEL", "uninvited": True}
    elif user_id in data.get("invited", ()):
        mail["new"] = True
    return mail


def _item_watches(activity: Activity, watches) -> dict:
    """Each person's watch on the item the activity is about (the proposal, else section, else meeting)."""
    by_user: dict = {}
    for field in ("concept_id", "meeting_id", "section_id", "proposal_id"):  # the most specific wins
        value = getattr(activity, field, None)
        if field == "section_id" and value is None and activity.proposal is not None:
            value = activity.proposal.section_id
        if field == "concept_id":
            value = _concept_id(activity)
        if value is None:
            continue
        for watch in watches:
            if getattr(watch, field) == value:
                by_user[watch.user_id] = watch
    return by_user
