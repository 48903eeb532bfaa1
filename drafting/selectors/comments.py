"""Comment threads, and a section's board: its open proposals, objections and threads."""

from dataclasses import dataclass

from django.urls import reverse

from drafting.highlights import plain_text
from drafting.models import Comment, Position, Proposal, ProposalQuerySet, Section
from drafting.text import Anchor, AnchorMatch, locate_anchor


@dataclass
class ThreadNode:
    comment: Comment
    replies: list["ThreadNode"]
    anchor: AnchorMatch | None = None
    current_passage: str = ""  # where the quote is found in today's text
    in_reading_text: bool = False  # `anchor` is in the text of the HTML, not in the Markdown

    @property
    def reply_count(self) -> int:
        return sum(1 + reply.reply_count for reply in self.replies)


def quoted_text(*, section: Section | None = None, proposal: Proposal | None = None) -> str:
    """The text a discussion's quotes are anchored in: the section's Markdown, or the proposal's."""
    return section.body if section is not None else proposal.text


def comment_threads(
    *, section: Section | None = None, proposal: Proposal | None = None, comments=None
) -> list[ThreadNode]:
    """Threads (comment -> replies) from one query; quotes re-anchored on the current text.

    On a section the quotes follow its current revision; on a proposal, the proposal's text.
    `comments` may be a prepared queryset of that discussion's comments (e.g. with more joins).
    """
    if comments is None:
        comments = Comment.objects.select_related("author__expert").order_by("created_at", "pk")
        comments = comments.filter(section=section) if section is not None else comments.filter(proposal=proposal)
    nodes = {c.pk: ThreadNode(c, []) for c in comments}
    text = quoted_text(section=section, proposal=proposal)
    reading_text = None
    roots = []
    for node in nodes.values():
        c = node.comment
        if c.quote:
            match = locate_anchor(text, Anchor(c.quote, c.quote_prefix, c.quote_suffix))
            where = text
            if match.outdated and section is not None:
                if reading_text is None:
                    reading_text = plain_text(section.body_html)
                read_match = locate_anchor(reading_text, Anchor(c.quote, c.quote_prefix, c.quote_suffix))
                if not read_match.outdated:
                    match, where = read_match, reading_text
                    node.in_reading_text = True
            node.anchor = match
            if match.found:
                node.current_passage = where[match.start : match.end]
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
