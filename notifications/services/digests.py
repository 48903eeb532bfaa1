"""Daily and weekly digests, and the meeting reminders, sent by the daily tick at 07:00 in Almaty.

The reminders go to each meeting's invitees (everyone when nobody is named), never for a
cancelled meeting.

A digest gathers the person's notices not mailed yet whose category they read daily (or
weekly), grouped by section and proposal (services.rendering.digest_groups); nobody gets an
empty digest. The period is the mail's key, so a second tick of the same day sends nothing.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from drafting.models import Meeting, Notice, Position, ProposalQuerySet
from drafting.selectors.meetings import meeting_audience
from members.models import Expert
from notifications.categories import Category, Frequency
from notifications.models import Mail
from notifications.services import mail as outbox
from notifications.services.preferences import frequencies_for

# Notices older than this are not mailed in a digest (someone who switches on digests after a
# year away does not receive the year).
WINDOW = {Frequency.DAILY: timedelta(days=7), Frequency.WEEKLY: timedelta(days=14)}


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def next_tick(now: datetime) -> datetime:
    """The next DIGEST_HOUR o'clock in the portal's time zone, strictly after `now`."""
    local = now.astimezone(local_zone())
    at = datetime.combine(local.date(), time(settings.DIGEST_HOUR), local_zone())
    if at <= local:
        at = datetime.combine(local.date() + timedelta(days=1), time(settings.DIGEST_HOUR), local_zone())
    return at


def period_key(frequency: str, now: datetime) -> str:
    local = now.astimezone(local_zone()).date()
    if frequency == Frequency.WEEKLY:
        year, week, _day = local.isocalendar()
        return f"weekly:{year}-W{week:02d}"
    return f"daily:{local.isoformat()}"


@transaction.atomic
def digests_send(*, frequency: str, now: datetime | None = None) -> int:
    """Queue one digest per person with something new in their `frequency` categories; return how many."""
    now = now or timezone.now()
    key = period_key(frequency, now)
    rows = list(
        Notice.objects.filter(
            mailed_at=None,
            activity__created_at__lte=now,
            activity__created_at__gte=now - WINDOW[frequency],
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .annotate(
            answered=Exists(
                Position.objects.filter(
                    proposal_id=OuterRef("activity__proposal_id"), expert__user=OuterRef("recipient")
                )
            )
        )
        .values_list("pk", "recipient_id", "category", "activity__proposal__status", "answered")
        .order_by("-activity__created_at", "-pk")
    )
    if not rows:
        return 0
    frequencies = frequencies_for({row[1] for row in rows})
    chosen: dict[int, list[int]] = {}
    for pk, user_id, category, status, answered in rows:
        if category == Category.AWAITING and (answered or status not in ProposalQuerySet.OPEN_STATUSES):
            continue  # no longer waiting for this person's position
        if category in Category.values and frequencies[user_id].get(category) == frequency:
            chosen.setdefault(user_id, []).append(pk)
    done = set(Mail.objects.filter(key=key, recipient_id__in=list(chosen)).values_list("recipient_id", flat=True))
    mails = [
        Mail(recipient_id=user_id, kind=Mail.Kind.DIGEST, category=Category.SECTION, key=key, data={"notices": ids})
        for user_id, ids in chosen.items()
        if user_id not in done
    ]
    if not mails:
        return 0
    Notice.objects.filter(pk__in=[pk for mail in mails for pk in mail.data["notices"]]).update(mailed_at=now)
    outbox.queue(mails)
    return len(mails)


@transaction.atomic
def reminders_send(*, now: datetime | None = None) -> int:
    """The day before a meeting (local dates), remind its invitees who take meeting mail.

    A meeting with nobody named invites every active member; a cancelled meeting is not reminded of.
    """
    now = now or timezone.now()
    tomorrow = now.astimezone(local_zone()).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, time.min, local_zone())
    meetings = list(
        Meeting.objects.filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1), cancelled_at__isnull=True)
    )
    if not meetings:
        return 0
    members = set(
        get_user_model()
        .objects.filter(pk__in=Expert.objects.active().values("user_id"), is_active=True)
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    frequencies = frequencies_for(members)
    members = {pk for pk in members if frequencies[pk][Category.MEETING] != Frequency.OFF}
    keys = {meeting.pk: f"reminder:{meeting.pk}:{meeting.starts_at.isoformat()}"[:64] for meeting in meetings}
    done = set(Mail.objects.filter(key__in=keys.values()).values_list("recipient_id", "key"))
    mails = [
        Mail(recipient_id=pk, kind=Mail.Kind.REMINDER, category=Category.MEETING, meeting=meeting, key=keys[meeting.pk])
        for meeting in meetings
        for pk in sorted(members.intersection(meeting_audience(meeting.pk)))  # a query per meeting of tomorrow
        if (pk, keys[meeting.pk]) not in done
    ]
    outbox.queue(mails)
    return len(mails)


def reminders_withdraw(*, meeting: Meeting) -> int:
    """Take back the reminders of a meeting still waiting in the outbox (it was cancelled); return how many."""
    deleted, _by_model = Mail.objects.filter(meeting=meeting, kind=Mail.Kind.REMINDER, state=Mail.State.QUEUED).delete()
    return deleted


def tick(*, now: datetime | None = None) -> dict[str, int]:
    """What the daily tick does: the reminders, the daily digest, on Mondays the weekly one."""
    now = now or timezone.now()
    sent = {
        "reminders": reminders_send(now=now),
        "daily": digests_send(frequency=Frequency.DAILY, now=now),
        "weekly": 0,
        "requeued": outbox.requeue_stale(),
    }
    if now.astimezone(local_zone()).isoweekday() == settings.WEEKLY_DIGEST_WEEKDAY:
        sent["weekly"] = digests_send(frequency=Frequency.WEEKLY, now=now)
    return sent
