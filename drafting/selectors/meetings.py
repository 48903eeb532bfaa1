"""Meetings: candidates for the agenda, one meeting with its relations, lists, agenda items, who is invited."""

from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from drafting.models import Activity, AgendaItem, Comment, Concept, Meeting, Proposal
from members.models import Expert


def disagreements(concept: Concept):
    """Open proposals with objections or unresolved threads: candidates for a meeting's agenda."""
    unresolved = Comment.objects.filter(proposal=OuterRef("pk"), parent__isnull=True, is_resolved=False)
    section_unresolved = Comment.objects.filter(section=OuterRef("section_id"), parent__isnull=True, is_resolved=False)
    return (
        Proposal.objects.open()
        .for_concept(concept)
        .with_stance_counts()
        .annotate(has_threads=Exists(unresolved) | Exists(section_unresolved))
        .filter(Q(objections__gt=0) | Q(has_threads=True))
        .select_related("author__expert", "section")
        .order_by("created_at")
    )


def meeting_with_relations(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("edition", "created_by", "cancelled_by__expert"), pk=pk)


def meeting_list(concept: Concept):
    """The Concept's meetings, newest first, each with its edition and how many are invited (0: everyone)."""
    return concept.meetings.select_related("edition").annotate(invitee_count=Count("invitees"))


def meeting_invitees(meeting: Meeting) -> list:
    """The people named on the invitation; an empty list means the whole Working Group."""
    return list(meeting.invitees.select_related("organisation"))


def invitee_choices():
    """The members a coordinator may invite: every active member, by bloc, then by name."""
    return Expert.objects.active().order_by("bloc", "full_name", "pk")


def meeting_audience(meeting_id: int) -> list[int]:
    """The user ids a meeting's mail goes to, in one query: its invitees, or every active member when none is named.

    An invitee who left the group (inactive) is not written to; a list of only such people still
    means those people, never the whole group.
    """
    invited = Meeting.invitees.through.objects.filter(meeting_id=meeting_id)
    return list(
        Expert.objects.active()
        .filter(Exists(invited.filter(expert_id=OuterRef("pk"))) | ~Exists(invited))
        .values_list("user_id", flat=True)
    )


# The verbs that send the calendar event: each one's invitation carries the next SEQUENCE.
CALENDAR_VERBS = (Activity.Verb.SCHEDULED, Activity.Verb.RESCHEDULED, Activity.Verb.CANCELLED)


def meeting_next_sequence(meeting: Meeting) -> int:
    """The iCalendar SEQUENCE of the next update of this meeting's invitation (the first is 0)."""
    return Activity.objects.filter(meeting=meeting, verb__in=CALENDAR_VERBS).count()


def meeting_attendees(meeting: Meeting) -> list:
    return list(meeting.attendees.select_related("organisation"))


def meeting_agenda(meeting: Meeting):
    """The agenda items of a meeting, each with its proposal, author and section."""
    return meeting.items.select_related("proposal__author__expert", "proposal__section")


def agenda_item(meeting: Meeting, proposal_id: int) -> AgendaItem | None:
    """The meeting's agenda item for one proposal, or None if the proposal is not on the agenda."""
    return meeting.items.select_related("proposal").filter(proposal_id=proposal_id).first()


def proposal_agenda_items(proposal: Proposal):
    """The meetings that had a proposal on their agenda, oldest first."""
    return proposal.agenda_items.select_related("meeting").order_by("meeting__starts_at")
