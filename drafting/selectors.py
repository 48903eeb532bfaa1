"""Reads that shape pages. Each one issues a fixed number of queries, whatever the size."""

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import Lag, Length
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from drafting.markdown import render_markdown
from django.shortcuts import get_object_or_404
from django.urls import reverse

from drafting.models import Activity, Comment, Concept, Edition, Meeting, Notice, Position, Proposal, Section
from drafting.text import (
    Anchor,
    AnchorMatch,
    DiffChunk,
    attribute_paragraphs,
    diff_stats,
    locate_anchor,
    merge_three_way,
    render_inline_diff,
    render_side_by_side,
    word_diff,
)
from members.models import Expert


@dataclass
class OutlineNode:
    section: Section
    number: str
    depth: int
    children: list["OutlineNode"] = field(default_factory=list)


def _latest_change(field_name: str):
    history = Section.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_id")
    return Subquery(history.values(field_name)[:1])


def concept_outline(concept: Concept, *, with_changes: bool = False, with_body: bool = False) -> list[OutlineNode]:
    """The numbered tree of current sections (1, 1.1, 1.2, 2, ...) from one query.

    Numbers come from the tree, never from stored values, so moving a section renumbers
    everything after it. With `with_changes`, each section also carries who last changed
    it and when (`last_changed_by`, `last_changed_at`, `last_reason`), in the same query.
    """
    sections = Section.objects.current().filter(concept=concept).order_by("order", "pk")
    if with_changes:
        sections = sections.annotate(
            last_changed_at=_latest_change("history_date"),
            last_changed_by=_latest_change("history_user__expert__full_name"),
            last_changed_by_username=_latest_change("history_user__username"),
            last_reason=_latest_change("history_change_reason"),
        )
    elif not with_body:
        sections = sections.defer("body", "body_html")
    children: dict[int | None, list[Section]] = {}
    for section in sections:
        children.setdefault(section.parent_id, []).append(section)

    def build(parent_id, prefix, depth):
        nodes = []
        for index, section in enumerate(children.get(parent_id, []), start=1):
            number = f"{prefix}{index}"
            nodes.append(OutlineNode(section, number, depth, build(section.pk, f"{number}.", depth + 1)))
        return nodes

    return build(None, "", 0)


def flatten(nodes: list[OutlineNode]) -> list[OutlineNode]:
    """The outline in reading order."""
    flat = []
    for node in nodes:
        flat.append(node)
        flat.extend(flatten(node.children))
    return flat


def section_number(section: Section) -> str | None:
    """The number of one section in its Concept's outline (None if retired)."""
    for node in flatten(concept_outline(section.concept)):
        if node.section.pk == section.pk:
            return node.number
    return None


def revision_text(section: Section, version: int) -> str:
    """The Markdown of one revision of a section, from its history row."""
    row = section.history.filter(version=version).only("body").first()
    if row is None:
        raise ValidationError(
            gettext("Revision %(version)s of “%(section)s” does not exist.") % {"version": version, "section": section}
        )
    return row.body


def revision_html(section_id: int, version: int, body: str) -> SafeString:
    """HTML of a past revision: rendered on demand, once, then cached by (section, version)."""
    html = cache.get_or_set(f"section-html:{section_id}:{version}", lambda: render_markdown(body), timeout=None)
    return mark_safe(html)  # produced by the sanitising pipeline above


def preview_html(body: str) -> SafeString:
    """An unsaved text through the same pipeline as saved ones."""
    return mark_safe(render_markdown(body))  # sanitised by drafting.markdown


def section_recent_changes(section: Section, limit: int = 5):
    return section.history.select_related("history_user__expert").order_by("-history_id")[:limit]


# --- History for people ---------------------------------------------------------------


def section_history(section: Section):
    """Every revision of a section, newest first, each with its size change (one query per page).

    `size_change` is the difference in characters from the previous revision, computed by
    the database with a window function so a page never fetches the rows around it.
    """
    return (
        section.history.select_related("history_user__expert", "proposal__author__expert")
        .annotate(
            size=Length("body"),
            size_change=Length("body") - Window(Lag(Length("body")), order_by=F("history_id").asc()),
        )
        .defer("body")
        .order_by("-history_id")
    )


def revisions(section: Section, versions: list[int]) -> dict[int, object]:
    """The history rows of the given revisions of a section, by version (one query)."""
    rows = section.history.filter(version__in=versions).select_related("history_user__expert")
    return {row.version: row for row in rows}


@dataclass(frozen=True)
class Comparison:
    old: object
    new: object
    chunks: list[DiffChunk]
    inline_html: SafeString
    old_html: SafeString
    new_html: SafeString
    words_added: int
    words_removed: int
    heading_changed: bool


def compare_texts(old_text: str, new_text: str) -> tuple[list[DiffChunk], SafeString, SafeString, SafeString]:
    chunks = word_diff(old_text, new_text)
    labels = {"removed_label": gettext("removed: "), "added_label": gettext("added: ")}
    old_html, new_html = render_side_by_side(chunks, **labels)
    # text.py escapes every token and adds only <del>/<ins> marks.
    return chunks, mark_safe(render_inline_diff(chunks, **labels)), mark_safe(old_html), mark_safe(new_html)


def section_comparison(old, new) -> Comparison:
    """A word-level comparison of two history rows of one section."""
    chunks, inline_html, old_html, new_html = compare_texts(old.body, new.body)
    added, removed = diff_stats(chunks)
    return Comparison(
        old, new, chunks, inline_html, old_html, new_html, added, removed, old.heading != new.heading
    )


@dataclass(frozen=True)
class Origin:
    version: int
    user_name: str
    date: object
    kind: str
    reason: str
    proposal_id: int | None
    proposal_author: str | None
    meeting_title: str | None = None
    meeting_date: object = None


@dataclass(frozen=True)
class AttributedParagraph:
    text: str
    origin: Origin


def section_attribution(section: Section) -> list[AttributedParagraph]:
    """Who last changed each paragraph of the current text ("blame"), from one query.

    A merged proposal's text is credited to the proposal's author; the coordinator who
    applied it is the revision's user. The result depends only on the history, so it is
    cached per (section, version).
    """

    def build():
        rows = (
            section.history.order_by("history_id")
            .values_list(
                "version", "body", "history_date", "change_kind", "history_change_reason", "proposal_id",
                "history_user__username", "history_user__expert__full_name",
                "proposal__author__username", "proposal__author__expert__full_name",
                "proposal__agreed_meeting__title", "proposal__agreed_meeting__starts_at",
            )
        )
        revisions = [
            (
                body,
                Origin(
                    version=version, user_name=full_name or username or "", date=date, kind=kind, reason=reason or "",
                    proposal_id=proposal_id, proposal_author=(author_name or author_username) if proposal_id else None,
                    meeting_title=meeting_title, meeting_date=meeting_date,
                ),
            )
            for (version, body, date, kind, reason, proposal_id, username, full_name, author_username, author_name,
                 meeting_title, meeting_date) in rows
        ]
        return [AttributedParagraph(text, origin) for text, origin in attribute_paragraphs(revisions)]

    return cache.get_or_set(f"section-attribution:{section.pk}:{section.version}", build, timeout=None)


# --- Proposals and consensus ------------------------------------------------------------


def proposal_with_relations(pk: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related(
            "section", "concept", "new_parent", "author__expert", "decided_by__expert"
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class BlocConsensus:
    bloc: str
    label: str
    counts: dict[str, int]
    positions: list[Position]
    not_answered: list[Expert]

    @property
    def answered(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Consensus:
    blocs: list[BlocConsensus]
    totals: dict[str, int]

    @property
    def not_answered_count(self) -> int:
        return sum(len(b.not_answered) for b in self.blocs)

    @property
    def balanced_support(self) -> bool:
        """Support (or acceptance) from both blocs, and no objection."""
        accepting = (Position.Stance.SUPPORT, Position.Stance.LIVE_WITH)
        return self.totals[Position.Stance.OBJECT] == 0 and all(
            sum(b.counts[s] for s in accepting) > 0 for b in self.blocs
        )


def proposal_consensus(proposal: Proposal) -> Consensus:
    """Who supports, can live with, objects (and why), and who has not answered, by bloc (two queries)."""
    positions = list(proposal.positions.select_related("expert__organisation").order_by("expert__full_name"))
    responded = {p.expert_id for p in positions}
    silent = [e for e in Expert.objects.active().order_by("full_name") if e.pk not in responded]
    blocs = []
    for bloc, label in Expert.Bloc.choices:
        mine = [p for p in positions if p.expert.bloc == bloc]
        counts = {stance: sum(1 for p in mine if p.stance == stance) for stance in Position.Stance.values}
        blocs.append(BlocConsensus(bloc, label, counts, mine, [e for e in silent if e.bloc == bloc]))
    totals = {stance: sum(b.counts[stance] for b in blocs) for stance in Position.Stance.values}
    return Consensus(blocs, totals)


@dataclass(frozen=True)
class ProposalComparison:
    """The drafting table: was / proposed / rationale, and the same against today's text."""

    was_html: SafeString
    proposed_html: SafeString
    inline_html: SafeString
    outdated: bool
    current_inline_html: SafeString | None


def proposal_comparison(proposal: Proposal) -> ProposalComparison:
    if proposal.kind == Proposal.Kind.NEW_SECTION:
        _chunks, inline, was, proposed = compare_texts("", proposal.text)
        return ProposalComparison(was, proposed, inline, False, None)
    section = proposal.section
    stale = section.version != proposal.base_version
    base_text = revision_text(section, proposal.base_version) if stale else section.body
    _chunks, inline, was, proposed = compare_texts(base_text, proposal.text)
    outdated = proposal.is_open and section.version != proposal.base_version and section.body != base_text
    current = compare_texts(section.body, proposal.text)[1] if outdated else None
    return ProposalComparison(was, proposed, inline, outdated, current)


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
                node.current_passage = section.body[node.anchor.start:node.anchor.end]
        (nodes[c.parent_id].replies if c.parent_id in nodes else roots).append(node)
    return roots


def _with_stance_counts(proposals):
    return proposals.annotate(
        supports=Count("positions", filter=Q(positions__stance=Position.Stance.SUPPORT)),
        live_withs=Count("positions", filter=Q(positions__stance=Position.Stance.LIVE_WITH)),
        objections=Count("positions", filter=Q(positions__stance=Position.Stance.OBJECT)),
        supports_scientific=Count("positions", filter=Q(
            positions__stance__in=[Position.Stance.SUPPORT, Position.Stance.LIVE_WITH],
            positions__expert__bloc=Expert.Bloc.SCIENTIFIC)),
        supports_practitioner=Count("positions", filter=Q(
            positions__stance__in=[Position.Stance.SUPPORT, Position.Stance.LIVE_WITH],
            positions__expert__bloc=Expert.Bloc.PRACTITIONER)),
    )


def open_proposals():
    return Proposal.objects.filter(status__in=[Proposal.Status.OPEN, Proposal.Status.NEEDS_REVIEW])


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
        _with_stance_counts(open_proposals().filter(section=section)).select_related("author__expert")
        .order_by("created_at")
    )
    objections = list(
        Position.objects.filter(
            proposal__section=section, stance=Position.Stance.OBJECT,
            proposal__status__in=[Proposal.Status.OPEN, Proposal.Status.NEEDS_REVIEW],
        ).select_related("expert", "proposal").order_by("-updated_at")
    )
    return SectionBoard(proposals, objections, comment_threads(section=section))


@dataclass(frozen=True)
class QueueGroup:
    section: Section | None
    number: str | None
    proposals: list[Proposal]
    alternatives: list[tuple[int, int]]


def merge_queue(concept: Concept) -> list[QueueGroup]:
    """Open proposals grouped by section (in outline order), each with its consensus at a glance.

    Proposals on one section that cannot both apply (their changes overlap) are listed as
    alternatives; that is computed in Python from the texts already loaded.
    """
    proposals = list(
        _with_stance_counts(open_proposals().filter(concept=concept))
        .select_related("author__expert", "section", "new_parent").order_by("created_at")
    )
    wanted = [Q(id=p.section_id, version=p.base_version) for p in proposals if p.section_id]
    base_texts = {}
    if wanted:
        rows = Section.history.model.objects.filter(reduce(or_, wanted)).values_list("id", "version", "body")
        base_texts = {(pk, version): body for pk, version, body in rows}
    numbers = {node.section.pk: node.number for node in flatten(concept_outline(concept))}
    by_section: dict[int | None, list[Proposal]] = {}
    for proposal in proposals:
        by_section.setdefault(proposal.section_id, []).append(proposal)
    groups = []
    for section_id, items in by_section.items():
        section = items[0].section
        groups.append(QueueGroup(section, numbers.get(section_id), items, _alternatives(section, items, base_texts)))
    groups.sort(key=lambda g: (g.section is None, [int(n) for n in (g.number or "999").split(".")]))
    return groups


def _alternatives(section, proposals, base_texts) -> list[tuple[int, int]]:
    if section is None:
        return []
    rebased = {}
    for p in proposals:
        base = base_texts.get((section.pk, p.base_version), section.body)
        rebased[p.pk] = merge_three_way(base, section.body, p.text).text
    pairs = []
    for i, a in enumerate(proposals):
        for b in proposals[i + 1:]:
            if not merge_three_way(section.body, rebased[a.pk], rebased[b.pk]).clean:
                pairs.append((a.pk, b.pk))
    return pairs


# --- Activity ------------------------------------------------------------------------------


def activity_feed(user, *, limit: int = 100):
    """Recent activity, newest first, with the person's own notices (fixed queries)."""
    activities = list(
        Activity.objects.select_related("actor__expert", "section", "proposal").order_by("-created_at", "-pk")[:limit]
    )
    notices = list(
        Notice.objects.filter(recipient=user).select_related("activity__actor__expert", "activity__proposal")
        .order_by("-activity__created_at")[:50]
    )
    return activities, notices


def section_board_url(section: Section) -> str:
    return reverse("drafting:section-board", args=[section.pk])


def proposal_list(concept: Concept):
    """Every proposal of the Concept, newest first, with stance counts (one query)."""
    return _with_stance_counts(Proposal.objects.filter(concept=concept)).select_related(
        "author__expert", "section"
    ).order_by("-created_at", "-pk")


# --- Editions and the document ----------------------------------------------------------


@dataclass(frozen=True)
class DocEntry:
    """One section of a document (an edition or the current draft), in reading order."""

    section_id: int
    version: int
    number: str
    depth: int
    heading: str
    parent_id: int | None
    body: str


def _history_body(section_field: str, version_field: str):
    rows = Section.history.model.objects.filter(id=OuterRef(section_field), version=OuterRef(version_field))
    return Subquery(rows.values("body")[:1])


def edition_entries(edition: Edition) -> list[DocEntry]:
    """The sections of an edition with their frozen text, from the history table (one query)."""
    rows = edition.entries.annotate(body=_history_body("section_id", "version")).order_by("position")
    return [DocEntry(r.section_id, r.version, r.number, r.depth, r.heading, r.parent_id, r.body or "") for r in rows]


def draft_entries(concept: Concept) -> list[DocEntry]:
    """The current draft in the same shape as an edition (one query)."""
    return [
        DocEntry(n.section.pk, n.section.version, n.number, n.depth, n.section.heading, n.section.parent_id,
                 n.section.body)
        for n in flatten(concept_outline(concept, with_body=True))
    ]


@dataclass(frozen=True)
class SectionChange:
    kind: str  # "added" | "removed" | "changed" | "unchanged"
    old: DocEntry | None
    new: DocEntry | None
    renamed: bool = False
    moved: bool = False
    diff_html: SafeString | None = None

    @property
    def entry(self) -> DocEntry:
        return self.new or self.old


def compare_documents(old: list[DocEntry], new: list[DocEntry]) -> list[SectionChange]:
    """Match sections by identity: added, removed, renamed, moved, changed (with a word diff)."""
    old_by_id = {e.section_id: e for e in old}
    new_ids = {e.section_id for e in new}
    changes = []
    for entry in new:
        before = old_by_id.get(entry.section_id)
        if before is None:
            changes.append(SectionChange("added", None, entry, diff_html=compare_texts("", entry.body)[1]))
            continue
        text_changed = before.body != entry.body
        changes.append(SectionChange(
            "changed" if text_changed or before.heading != entry.heading or before.number != entry.number
            or before.parent_id != entry.parent_id else "unchanged",
            before, entry,
            renamed=before.heading != entry.heading,
            moved=before.number != entry.number or before.parent_id != entry.parent_id,
            diff_html=compare_texts(before.body, entry.body)[1] if text_changed else None,
        ))
    changes += [SectionChange("removed", e, None) for e in old if e.section_id not in new_ids]
    return changes


def previous_edition(concept: Concept, edition: Edition | None) -> Edition | None:
    editions = concept.editions.order_by("-created_at", "-pk")
    if edition is not None:
        editions = editions.filter(created_at__lt=edition.created_at) | editions.filter(
            created_at=edition.created_at, pk__lt=edition.pk)
    return editions.first()


@dataclass(frozen=True)
class DocumentSnapshot:
    """Everything an export needs: title page, numbered sections, and the change appendix."""

    concept: Concept
    edition: Edition | None
    date: object
    entries: list[DocEntry]
    previous: Edition | None
    changes: list[SectionChange]
    merged_proposals: list[Proposal]

    @property
    def name(self) -> str:
        return self.edition.name if self.edition else gettext("Current draft")

    @property
    def file_stem(self) -> str:
        label = re.sub(r"[^\w.]+", "-", self.name.lower()).strip("-.") or "draft"
        return f"concept-{label}-{self.date:%Y-%m-%d}"


def document_snapshot(concept: Concept, edition: Edition | None = None) -> DocumentSnapshot:
    entries = edition_entries(edition) if edition else draft_entries(concept)
    previous = previous_edition(concept, edition)
    date = timezone.localdate(edition.created_at) if edition else timezone.localdate()
    if previous is None:
        changes, merged = [], []
    else:
        changes = [c for c in compare_documents(edition_entries(previous), entries) if c.kind != "unchanged"]
        merged = Proposal.objects.filter(concept=concept, status=Proposal.Status.MERGED,
                                         decided_at__gt=previous.created_at)
        if edition:
            merged = merged.filter(decided_at__lte=edition.created_at)
        merged = list(merged.select_related("author__expert", "section", "agreed_meeting").order_by("decided_at"))
    return DocumentSnapshot(concept, edition, date, entries, previous, changes, merged)


# --- Meetings and the dashboard ---------------------------------------------------------------


def disagreements(concept: Concept):
    """Open proposals with objections or unresolved threads: candidates for a meeting's agenda."""
    unresolved = Comment.objects.filter(proposal=OuterRef("pk"), parent__isnull=True, is_resolved=False)
    section_unresolved = Comment.objects.filter(section=OuterRef("section_id"), parent__isnull=True,
                                                is_resolved=False)
    return (
        _with_stance_counts(open_proposals().filter(concept=concept))
        .annotate(has_threads=Exists(unresolved) | Exists(section_unresolved))
        .filter(Q(objections__gt=0) | Q(has_threads=True))
        .select_related("author__expert", "section").order_by("created_at")
    )


def meeting_with_relations(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("edition", "created_by"), pk=pk)


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
            open_proposals().filter(concept=concept).exclude(author=user).exclude(positions__expert=expert)
            .select_related("author__expert", "section").order_by("created_at")[:20]
        )
    return Dashboard(
        sections=Section.objects.current().filter(concept=concept).count(),
        open_proposals=open_proposals().filter(concept=concept).count(),
        open_objections=Position.objects.filter(
            proposal__concept=concept, stance=Position.Stance.OBJECT,
            proposal__status__in=[Proposal.Status.OPEN, Proposal.Status.NEEDS_REVIEW]).count(),
        waiting_for_me=waiting,
        last_edition=concept.editions.select_related("created_by__expert").order_by("-created_at").first(),
        next_meeting=concept.meetings.filter(starts_at__gte=timezone.now()).order_by("starts_at").first(),
        recent=list(Activity.objects.select_related("actor__expert").order_by("-created_at", "-pk")[:10]),
    )
