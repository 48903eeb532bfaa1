"""Meetings: candidates for the agenda, one meeting with its relations, lists and agenda items."""

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from drafting.models import AgendaItem, Comment, Concept, Meeting, Proposal


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
    return get_object_or_404(Meeting.objects.select_related("edition", "created_by"), pk=pk)


def meeting_list(concept: Concept):
    return concept.meetings.select_related("edition")


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
