"""Meetings: the agenda, attendance and minutes, and the outcomes carried to proposals."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from drafting.markdown import render_markdown
from drafting.models import Activity, AgendaItem, ChangeReason, Concept, Edition, Meeting, Proposal
from drafting.services import versions
from drafting.services.activity import record
from drafting.services.proposals import proposal_reject
from drafting.services.revisions import lock_proposal, stamp
from search.services.index import index_meeting


@transaction.atomic
def meeting_schedule(
    *,
    concept: Concept,
    user,
    title: str,
    starts_at,
    video_url: str = "",
    agenda_note: str = "",
    proposals=(),
    edition: Edition | None = None,
) -> Meeting:
    """Schedule (or record, if it already took place) a meeting with proposals on its agenda."""
    meeting = Meeting(
        concept=concept,
        title=title,
        starts_at=starts_at,
        video_url=video_url,
        agenda_note=agenda_note,
        edition=edition,
        created_by=user,
    )
    stamp(meeting, user, ChangeReason.SCHEDULED)
    meeting.save()
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
    *, meeting: Meeting, user, title: str, starts_at, video_url: str = "", agenda_note: str = ""
) -> Meeting:
    """Change a meeting's title, time, link or agenda notes; the invited get an updated invitation.

    The invitation keeps its UID and its SEQUENCE rises by one, so calendars update the event
    instead of adding a second one. Saving the same values changes nothing and sends nothing.
    """
    locked = Meeting.objects.select_for_update(no_key=True).get(pk=meeting.pk)
    new = (title, starts_at, video_url, agenda_note)
    if (locked.title, locked.starts_at, locked.video_url, locked.agenda_note) == new:
        return locked
    locked.title, locked.starts_at, locked.video_url, locked.agenda_note = new
    stamp(locked, user, ChangeReason.SCHEDULED)
    locked.save()
    index_meeting(locked)
    changes = Activity.objects.filter(
        meeting=locked, verb__in=[Activity.Verb.SCHEDULED, Activity.Verb.RESCHEDULED]
    ).count()
    record(user, Activity.Verb.RESCHEDULED, data=_meeting_data(locked, sequence=changes), meeting=locked)
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
