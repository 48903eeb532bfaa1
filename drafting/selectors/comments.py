"""Comment threads, and a section's board: its open proposals, objections and threads."""

from dataclasses import dataclass

from django.urls import reverse

from drafting.models import Comment, Position, Proposal, ProposalQuerySet, Section
from drafting.text import Anchor, AnchorMatch, locate_anchor


@dataclass
class ThreadNode:
    comment: Comment
    replies: list["ThreadNode"]
    anchor: AnchorMatch | None = None
    current_passage: str = ""  # where the quote is found in today's text


def comment_threads(*, section: Section | None = None, proposal: Proposal | None = None) -> list[ThreadNode]:
    """Threads (comment -> replies) from one query; quotes re-anchored on the section's current text."""
    comments = Comment.objects.select_related("author__expert").order_by("created_at", "pk")
    comments = comments.filter(section=section) if section is not None else comments.filter(proposal=proposal)
    nodes = {c.pk: ThreadNode(c, []) for c in comments}
    roots = []
    for node in nodes.values():
        c = node.comment
        if c.quote and section is not None:
            node.anchor = locate_anchor(section.body, Anchor(c.quote, c.quote_prefix, c.quote_suffix))
            if node.anchor.found:
                node.current_passage = section.body[node.anchor.start : node.anchor.end]
        (nodes[c.parent_id].replies if c.parent_id in nodes else roots).append(node)
    return roots


def section_board_url(section: Section) -> str:
    return reverse("drafting:section-board", args=[section.pk])


@dataclass(frozen=True)
class SectionBoard:
    proposals: list[Proposal]
    objections: list[Position]
    threads: list[ThreadNode]

    @property
    def unresolved(self) -> list[ThreadNode]:
        return [t for t in self.threads if not t.comment.is_resolved]


def section_board(section: Section) -> SectionBoard:
    """A section's open proposals, open objections and threads, in a fixed number of queries."""
    proposals = list(
        Proposal.objects.open()
        .filter(section=section)
        .with_stance_counts()
        .select_related("author__expert")
        .order_by("created_at")
    )
    objections = list(
        Position.objects.filter(
            proposal__section=section,
            stance=Position.Stance.OBJECT,
            proposal__status__in=ProposalQuerySet.OPEN_STATUSES,
        )
        .select_related("expert", "proposal")
        .order_by("-updated_at")
    )
    return SectionBoard(proposals, objections, comment_threads(section=section))
