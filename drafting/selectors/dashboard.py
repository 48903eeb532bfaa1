"""Where the draft stands, and what happened lately."""

from dataclasses import dataclass

from django.utils import timezone

from drafting.models import Activity, Concept, Edition, Meeting, Notice, Position, Proposal, ProposalQuerySet, Section


def home_concept() -> Concept | None:
    """The Concept the portal drafts (the first one), or None before it is created."""
    return Concept.objects.first()


@dataclass(frozen=True)
class Dashboard:
    sections: int
    open_proposals: int
    open_objections: int
    waiting_for_me: list[Proposal]
    last_edition: Edition | None
    next_meeting: Meeting | None
    recent: list[Activity]


def dashboard(concept: Concept, user) -> Dashboard:
    """Where the draft stands, for the signed-in person (a fixed number of queries)."""
    expert = getattr(user, "expert", None)
    waiting = []
    if expert is not None:
        waiting = list(
            Proposal.objects.open()
            .for_concept(concept)
            .exclude(author=user)
            .exclude(positions__expert=expert)
            .select_related("author__expert", "section")
            .order_by("created_at")[:20]
        )
    return Dashboard(
        sections=Section.objects.current().filter(concept=concept).count(),
        open_proposals=Proposal.objects.open().for_concept(concept).count(),
        open_objections=Position.objects.filter(
            proposal__concept=concept,
            stance=Position.Stance.OBJECT,
            proposal__status__in=ProposalQuerySet.OPEN_STATUSES,
        ).count(),
        waiting_for_me=waiting,
        last_edition=concept.editions.select_related("created_by__expert").order_by("-created_at").first(),
        next_meeting=concept.meetings.filter(starts_at__gte=timezone.now(), cancelled_at__isnull=True)
        .order_by("starts_at")
        .first(),
        recent=list(
            Activity.objects.exclude(verb=Activity.Verb.MENTIONED)
            .select_related("actor__expert")
            .order_by("-created_at", "-pk")[:10]
        ),
    )


def activity_feed(user, *, limit: int = 100):
    """Recent activity, newest first, with the person's own notices (fixed queries)."""
    # A mention is told to the person mentioned ("… mentioned you"), not to everyone.
    activities = list(
        Activity.objects.exclude(verb=Activity.Verb.MENTIONED)
        .select_related("actor__expert", "section", "proposal", "meeting")
        .order_by("-created_at", "-pk")[:limit]
    )
    notices = list(
        Notice.objects.filter(recipient=user)
        .select_related("activity__actor__expert", "activity__proposal", "activity__meeting")
        .order_by("-activity__created_at")[:50]
    )
    return activities, notices
