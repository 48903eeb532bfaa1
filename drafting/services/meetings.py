"""Meetings: who is invited, the agenda, attendance and minutes, the outcomes carried to proposals, cancelling.

Every change the invited should see in their calendars (scheduling, a change, a cancellation)
is one activity whose `sequence` is the invitation's iCalendar SEQUENCE; the notices and mails
(notifications.services.notices) go to the invitees, or to every active member when nobody is
named.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from drafting.markdown import render_markdown
from drafting.models import (
    DEFAULT_MEETING_LENGTH,
    MAX_MEETING_LENGTH,
    Activity,
    AgendaItem,
    ChangeReason,
    Concept,
    Edition,
    Meeting,
    Proposal,
)
from drafting.selectors.meetings import meeting_audience, meeting_next_sequence
from drafting.services import versions
from drafting.services.activity import record
from drafting.services.proposals import proposal_reject
from drafting.services.revisions import lock_proposal, stamp
from members.models import Expert
from search.services.index import index_meeting


def _cancelled_error(meeting: Meeting, doing: str) -> ValidationError:
    # `doing` is a whole sentence per case, so each reads naturally in every language.
    return ValidationError(doing % {"title": meeting.title}, code="cancelled")


def _check_length(duration: timedelta) -> None:
    if duration <= timedelta(0):
        raise ValidationError(_("A meeting must last longer than zero minutes."), code="length")
    if duration > MAX_MEETING_LENGTH:
        raise ValidationError(_("A meeting can last at most 12 hours."), code="length")


@transaction.atomic
def meeting_schedule(
    *,
    concept: Concept,
    user,
    title: str,
    starts_at,
    duration: timedelta = DEFAULT_MEETING_LENGTH,
    video_url: str = "",
    agenda_note: str = "",
    proposals=(),
    edition: Edition | None = None,
    invitees=(),
) -> Meeting:
    """Schedule (or record, if it already took place) a meeting with proposals on its agenda.

    `invitees` are the members invited; none means the whole Working Group. They (and only they)
    get the invitation with its calendar entry.
    """
    _check_length(duration)
    meeting = Meeting(
        concept=concept,
        title=title,
        starts_at=starts_at,
        duration=duration,
        video_url=video_url,
        agenda_note=agenda_note,
        edition=edition,
        created_by=user,
    )
    stamp(meeting, user, ChangeReason.SCHEDULED)
    meeting.save()
    if invitees:
        meeting.invitees.set(invitees)
    for order, proposal in enumerate(proposals, start=1):
        item = AgendaItem(meeting=meeting, proposal=proposal, order=order)
        stamp(item, user, ChangeReason.AGENDA)
        item.save()
    index_meeting(meeting)
    record(user, Activity.Verb.SCHEDULED, data=_meeting_data(meeting, sequence=0), meeting=meeting)
    return meeting


def _meeting_data(meeting: Meeting, *, sequence: int) -> dict:
    # `sequence` is the invitation's iCalendar SEQUENCE: it rises with each change of the meeting.
    return {"meeting": meeting.title, "starts_at": meeting.starts_at.isoformat(), "sequence": sequence}


@transaction.atomic
def meeting_change(
    *,
    meeting: Meeting,
    user,
    title: str,
    starts_at,
    duration: timedelta | None = None,
    video_url: str = "",
    agenda_note: str = "",
    invitees=None,
    base_history_id: int | None = None,
) -> Meeting:
    """Change a meeting's title, time, length, link, agenda notes or invitees; the invited get an update.

    The invitation keeps its UID and its SEQUENCE rises by one, so calendars update the event
    instead of adding a second one. Someone added to the invitees gets the invitation; someone
    taken off gets a cancellation of the event for them (METHOD:CANCEL), so it leaves their
    calendar. When only the invitees changed, only those added and those taken off hear of it.
    `duration` and `invitees` left as None stay as they are; saving the same values changes
    nothing and sends nothing. A cancelled meeting cannot be changed.

    Two coordinators may change the same meeting from two pages: when it changed since
    `base_history_id`, the agenda notes are merged word by word, the invitees keep both people's
    additions and removals, and every other field is taken from whoever changed it; the same
    field changed differently by both is refused (StaleConflict), with the person's values kept.
    """
    locked = Meeting.objects.select_for_update(no_key=True).get(pk=meeting.pk)
    if locked.is_cancelled:
        raise _cancelled_error(locked, _("The meeting “%(title)s” was cancelled: it can no longer be changed."))
    duration = locked.duration if duration is None else duration
    if invitees is not None:
        # Invitees who have since left the group have no box on the form; they stay named, or a
        # list of only such people would silently become the whole Working Group.
        invitees = {getattr(e, "pk", e) for e in invitees} | set(
            locked.invitees.filter(is_active=False).values_list("pk", flat=True)
        )
    latest = versions.latest_history_id(locked)
    if base_history_id is not None and base_history_id != latest:
        title, starts_at, duration, video_url, agenda_note, invitees = _merge_stale_change(
            locked,
            versions.base_row(locked, base_history_id),
            versions.StaleMerge(latest),
            (title, starts_at, duration, video_url, agenda_note, invitees),
        )
    _check_length(duration)
    new = (title, starts_at, duration, video_url, agenda_note)
    details_changed = (locked.title, locked.starts_at, locked.duration, locked.video_url, locked.agenda_note) != new
    current_invitees = set(locked.invitees.values_list("pk", flat=True))
    invitees_changed = invitees is not None and {getattr(e, "pk", e) for e in invitees} != current_invitees
    if not details_changed and not invitees_changed:
        return locked
    before = set(meeting_audience(locked.pk))
    stamp(locked, user, ChangeReason.SCHEDULED)
    if details_changed:
        locked.title, locked.starts_at, locked.duration, locked.video_url, locked.agenda_note = new
        locked.save()
    if invitees_changed:
        locked.invitees.set(invitees)
    index_meeting(locked)
    data = _meeting_data(locked, sequence=meeting_next_sequence(locked))
    data["details_changed"] = details_changed
    if invitees_changed:
        after = set(meeting_audience(locked.pk))
        data["invited"], data["uninvited"] = sorted(after - before), sorted(before - after)
    record(user, Activity.Verb.RESCHEDULED, data=data, meeting=locked)
    return locked


def _merge_stale_change(locked: Meeting, base, merge, mine: tuple) -> tuple:
    """A change made from a page opened before someone else's, merged onto theirs (see meeting_change)."""
    title, starts_at, duration, video_url, agenda_note, invitees = mine
    field = Meeting._meta.get_field

    def when(value) -> str:
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")

    title = merge.choice("title", base.title, locked.title, title, label=field("title").verbose_name)
    starts_at = merge.choice(
        "starts_at", base.starts_at, locked.starts_at, starts_at, label=field("starts_at").verbose_name, shown=when
    )
    minutes = merge.choice(
        "duration",
        int(base.duration.total_seconds()) // 60,
        int(locked.duration.total_seconds()) // 60,
        int(duration.total_seconds()) // 60,
        label=field("duration").verbose_name,
    )
    video_url = merge.choice(
        "video_url", base.video_url, locked.video_url, video_url, label=field("video_url").verbose_name
    )
    agenda_note = merge.text("agenda_note", base.agenda_note, locked.agenda_note, agenda_note)
    if invitees is not None:
        base_invitees = set(base.invitees.values_list("expert_id", flat=True))
        current_invitees = set(locked.invitees.values_list("pk", flat=True))
        # No one named means the whole Working Group: going from named people to everyone (or
        # back) is a choice, not a set to merge, so only named lists merge member by member.
        if base_invitees and current_invitees and invitees:
            invitees = merge.members("invitees", base_invitees, current_invitees, invitees)
        else:
            invitees = merge.choice(
                "invitees",
                frozenset(base_invitees),
                frozenset(current_invitees),
                frozenset(invitees),
                label=field("invitees").verbose_name,
                shown=_invitees_shown,
            )
            merge.drafts["invitees"] = sorted(invitees)
    if "starts_at" in merge.drafts:  # the form shows local time, as it was typed
        merge.drafts["starts_at"] = timezone.localtime(merge.drafts["starts_at"]).strftime("%Y-%m-%dT%H:%M")
    merge.check()
    return title, starts_at, timedelta(minutes=minutes), video_url, agenda_note, invitees


def _invitees_shown(pks) -> str:
    if not pks:
        return _("the whole Working Group")
    names = Expert.objects.filter(pk__in=pks).order_by("full_name")
    return ", ".join(expert.display_name for expert in names)


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, user, reason: str = "") -> Meeting:
    """Cancel a meeting that has not begun: who, when and why are kept, and the invited are told.

    The invited get a cancellation of the calendar event (METHOD:CANCEL, STATUS:CANCELLED, the
    same UID and a higher SEQUENCE), and no reminder goes out for it afterwards (one already
    waiting in the outbox is withdrawn). A meeting already cancelled, or one that has begun, is
    refused with a message; so a second sending of the same form changes nothing.
    """
    from notifications.services.digests import reminders_withdraw

    locked = Meeting.objects.select_for_update(no_key=True).get(pk=meeting.pk)
    if locked.is_cancelled:
        raise _cancelled_error(locked, _("The meeting “%(title)s” was already cancelled."))
    if locked.has_begun:
        raise ValidationError(
            _("The meeting “%(title)s” has already begun or taken place: it can no longer be cancelled.")
            % {"title": locked.title},
            code="past",
        )
    locked.cancelled_at, locked.cancelled_by, locked.cancel_reason = timezone.now(), user, reason.strip()
    stamp(locked, user, ChangeReason.CANCELLED)
    locked.save()
    data = _meeting_data(locked, sequence=meeting_next_sequence(locked))
    data["reason"] = locked.cancel_reason
    record(user, Activity.Verb.CANCELLED, data=data, meeting=locked)
    reminders_withdraw(meeting=locked)
    return locked


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    user,
    base_history_id: int | None = None,
    attendees=None,
    minutes: str | None = None,
    edition: Edition | None = None,
) -> Meeting:
    """Record attendance, minutes and the draft discussed, from the version of the page opened.

    Two coordinators may record the same meeting from two pages: when the meeting changed since
    `base_history_id`, the minutes are merged word by word, attendance keeps both people's
    additions and removals, and the draft discussed is taken from whoever changed it. Overlapping
    changes are refused (StaleConflict), so neither person's minutes are lost.
    """
    locked = Meeting.objects.select_for_update(no_key=True).get(pk=meeting.pk)
    if locked.is_cancelled:
        raise _cancelled_error(
            locked, _("The meeting “%(title)s” was cancelled: its attendance and minutes cannot be recorded.")
        )
    latest = versions.latest_history_id(locked)
    current_attendees = set(locked.attendees.values_list("pk", flat=True))
    if base_history_id is not None and base_history_id != latest:
        base = versions.base_row(locked, base_history_id)
        merge = versions.StaleMerge(latest)
        if minutes is not None:
            minutes = merge.text("minutes", base.minutes, locked.minutes, minutes)
        edition_id = merge.choice(
            "edition",
            base.edition_id,
            locked.edition_id,
            edition.pk if edition else None,
            label=Meeting._meta.get_field("edition").verbose_name,
            shown=lambda pk: Edition.objects.filter(pk=pk).values_list("name", flat=True).first() or "—",
        )
        if attendees is not None:
            base_attendees = set(base.attendees.values_list("expert_id", flat=True))
            attendees = merge.members("attendees", base_attendees, current_attendees, {e.pk for e in attendees})
        merge.check()
        edition = Edition.objects.filter(pk=edition_id).first() if edition_id else None
    # The minutes are published once, when they first have words: a later correction is saved
    # (and in the history) but not mailed to everyone again.
    minuted = minutes is not None and bool(minutes.strip()) and not locked.minutes.strip()
    if minutes is not None and minutes != locked.minutes:
        locked.minutes, locked.minutes_html = minutes, render_markdown(minutes)
    locked.edition = edition
    stamp(locked, user, ChangeReason.MINUTES)
    locked.save()
    if attendees is not None and {getattr(e, "pk", e) for e in attendees} != current_attendees:
        locked.attendees.set(attendees)
    index_meeting(locked)
    if minuted:
        record(user, Activity.Verb.MINUTED, data=_meeting_data(locked, sequence=0), meeting=locked)
    return locked


@transaction.atomic
def meeting_record_outcome(
    *,
    meeting: Meeting,
    proposal: Proposal,
    outcome: str,
    note: str = "",
    user,
    base_history_id: int | None = None,
) -> AgendaItem:
    """Record what the meeting decided on one proposal of its agenda, and carry it to the proposal.

    Agreed: the proposal is marked "agreed at the meeting of …" (a coordinator then merges it).
    Rejected: the proposal is rejected with the meeting as the reason. Postponed: it stays open.
    `base_history_id` is the version of the agenda item the page showed: if its outcome or note
    changed since, the new outcome is refused (StaleConflict) rather than replacing one the
    person has not seen.
    """
    if Meeting.objects.filter(pk=meeting.pk, cancelled_at__isnull=False).exists():
        raise _cancelled_error(meeting, _("The meeting “%(title)s” was cancelled: no outcome can be recorded for it."))
    item = AgendaItem.objects.select_for_update(no_key=True).filter(meeting=meeting, proposal=proposal).first()
    if item is None:
        raise ValidationError(_("Proposal #%(pk)s is not on this meeting's agenda.") % {"pk": proposal.pk})
    if outcome not in AgendaItem.Outcome.values:
        raise ValidationError(_("Choose agreed, postponed or rejected."))
    latest = versions.latest_history_id(item)
    if base_history_id is not None and base_history_id != latest:
        base = versions.base_row(item, base_history_id)
        if (base.outcome, base.note) != (item.outcome, item.note):
            raise versions.StaleConflict(
                _(
                    "Since you opened this page, someone else recorded the outcome “%(outcome)s” for proposal "
                    "#%(pk)s. Nothing was saved; your choice is kept below. Save again to replace their outcome."
                )
                % {"outcome": item.get_outcome_display(), "pk": proposal.pk},
                current_history_id=latest,
                drafts={},
            )
    item.outcome, item.note = outcome, note
    stamp(item, user, ChangeReason.OUTCOME)
    item.save()
    if outcome == AgendaItem.Outcome.AGREED:
        locked = lock_proposal(proposal)
        locked.agreed_meeting = meeting
        stamp(locked, user, ChangeReason.AGREED)
        locked.save()
    elif outcome == AgendaItem.Outcome.REJECTED and proposal.is_open:
        proposal_reject(proposal=proposal, decided_by=user, reason=note, at_meeting=meeting)
    return item
