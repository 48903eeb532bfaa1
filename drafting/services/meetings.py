"""Meetings: the agenda, attendance and minutes, and the outcomes carried to proposals."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from drafting.markdown import render_markdown
from drafting.models import AgendaItem, ChangeReason, Concept, Edition, Meeting, Proposal
from drafting.services.proposals import proposal_reject
from drafting.services.revisions import lock_proposal, stamp


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
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, user, attendees=None, minutes: str | None = None, edition: Edition | None = None
) -> Meeting:
    """Record attendance, minutes and the draft discussed."""
    locked = Meeting.objects.select_for_update(no_key=True).get(pk=meeting.pk)
    if minutes is not None:
        locked.minutes, locked.minutes_html = minutes, render_markdown(minutes)
    locked.edition = edition
    stamp(locked, user, ChangeReason.MINUTES)
    locked.save()
    if attendees is not None:
        locked.attendees.set(attendees)
    return locked


@transaction.atomic
def meeting_record_outcome(*, meeting: Meeting, proposal: Proposal, outcome: str, note: str = "", user) -> AgendaItem:
    """Record what the meeting decided on one proposal of its agenda, and carry it to the proposal.

    Agreed: the proposal is marked "agreed at the meeting of …" (a coordinator then merges it).
    Rejected: the proposal is rejected with the meeting as the reason. Postponed: it stays open.
    """
    item = AgendaItem.objects.select_for_update(no_key=True).filter(meeting=meeting, proposal=proposal).first()
    if item is None:
        raise ValidationError(_("Proposal #%(pk)s is not on this meeting's agenda.") % {"pk": proposal.pk})
    if outcome not in AgendaItem.Outcome.values:
        raise ValidationError(_("Choose agreed, postponed or rejected."))
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
