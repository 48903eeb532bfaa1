"""Proposals: one with its relations, the drafting table, the list, merge plans and the merge queue."""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.safestring import SafeString

from drafting.models import Concept, Position, Proposal, Section
from drafting.selectors.history import compare_texts, revision_text
from drafting.selectors.outline import concept_outline, flatten
from drafting.text import DiffChunk, MergeResult, changed_spans, merge_three_way, overlapping_pairs
from members.models import Expert


def proposal_with_relations(pk: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related("section", "concept", "new_parent", "author__expert", "decided_by__expert"),
        pk=pk,
    )


@dataclass(frozen=True)
class ProposalComparison:
    """The drafting table: was / proposed / rationale, and the same against today's text."""

    was_html: SafeString
    proposed_html: SafeString
    inline_html: SafeString
    outdated: bool
    current_inline_html: SafeString | None
    # The diff behind was/proposed: where the proposed text's changes are, for highlighting in it.
    chunks: tuple[DiffChunk, ...] = ()


def proposal_comparison(proposal: Proposal) -> ProposalComparison:
    if proposal.kind == Proposal.Kind.NEW_SECTION:
        texts = compare_texts("", proposal.text)
        return ProposalComparison(texts.old_html, texts.new_html, texts.inline_html, False, None, tuple(texts.chunks))
    section = proposal.section
    stale = section.version != proposal.base_version
    base_text = revision_text(section, proposal.base_version) if stale else section.body
    texts = compare_texts(base_text, proposal.text)
    outdated = proposal.is_open and section.version != proposal.base_version and section.body != base_text
    current = compare_texts(section.body, proposal.text).inline_html if outdated else None
    return ProposalComparison(texts.old_html, texts.new_html, texts.inline_html, outdated, current, tuple(texts.chunks))


def proposal_list(concept: Concept):
    """Every proposal of the Concept, newest first, with stance counts (one query)."""
    return (
        Proposal.objects.for_concept(concept)
        .with_stance_counts()
        .select_related("author__expert", "section")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class MergePlan:
    """What merging a proposal would do now: a clean text to apply, or conflicts to resolve.

    `version` is the section revision the plan was made against; applying it later checks
    that number again, so a plan made stale by another merge is merged again, not applied blindly.
    """

    proposal: Proposal
    version: int
    base_text: str
    current_text: str
    merge: MergeResult

    @property
    def clean(self) -> bool:
        return self.merge.clean

    @property
    def stale(self) -> bool:
        return self.proposal.base_version != self.version


def proposal_merge_plan(proposal: Proposal) -> MergePlan:
    """Three-way merge of an amendment onto the section as it is now (no writes)."""
    section = Section.objects.get(pk=proposal.section_id)
    base_text = revision_text(section, proposal.base_version)
    if section.version == proposal.base_version:
        merge = MergeResult(text=proposal.text, conflicts=())
    else:
        merge = merge_three_way(base_text, section.body, proposal.text)
    return MergePlan(proposal, section.version, base_text, section.body, merge)


@dataclass(frozen=True)
class QueueGroup:
    section: Section | None
    number: str | None
    proposals: list[Proposal]
    alternatives: list[tuple[int, int]]


def merge_queue(concept: Concept) -> list[QueueGroup]:
    """Open proposals grouped by section (in outline order), each with its consensus at a glance.

    Proposals on one section that cannot both apply (their changes overlap) are listed as
    alternatives; that is computed in Python from the texts already loaded, in time linear in
    the proposals shown.
    """
    proposals = list(
        Proposal.objects.open()
        .for_concept(concept)
        .with_stance_counts()
        .select_related("author__expert", "section", "new_parent")
        .order_by("created_at")
    )
    wanted = [Q(id=p.section_id, version=p.base_version) for p in proposals if p.section_id]
    base_texts = {}
    if wanted:
        rows = Section.history.model.objects.filter(reduce(or_, wanted)).values_list("id", "version", "body")
        base_texts = {(pk, version): body for pk, version, body in rows}
    _attach_positions(proposals)
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


@dataclass(frozen=True)
class BlocTally:
    bloc: str
    label: str
    support: int
    live_with: int
    object: int


def _attach_positions(proposals: list[Proposal]) -> None:
    """Each proposal's stances counted per bloc (`bloc_tallies`) and its objections with their
    reasons (`objection_list`), for every proposal of the queue at once (one query)."""
    rows = (
        Position.objects.filter(proposal__in=proposals)
        .select_related("expert")
        .order_by("expert__full_name")
        .only("proposal_id", "stance", "reason", "expert__bloc", "expert__full_name", "expert__full_name_latin")
    )
    by_proposal: dict[int, list[Position]] = {}
    for position in rows:
        by_proposal.setdefault(position.proposal_id, []).append(position)
    for proposal in proposals:
        mine = by_proposal.get(proposal.pk, [])
        proposal.bloc_tallies = [
            BlocTally(
                bloc,
                label,
                *(sum(1 for p in mine if p.expert.bloc == bloc and p.stance == s) for s in Position.Stance.values),
            )
            for bloc, label in Expert.Bloc.choices
        ]
        proposal.objection_list = [p for p in mine if p.stance == Position.Stance.OBJECT]


def _alternatives(section, proposals, base_texts) -> list[tuple[int, int]]:
    """Pairs of proposals whose changes to today's text overlap: linear in the proposals.

    Each proposal is brought onto the current text once (a three-way merge from its base), and
    the stretches it changes there are swept in one pass, instead of merging every pair.
    """
    if section is None:
        return []
    spans = {}
    for p in proposals:
        base = base_texts.get((section.pk, p.base_version), section.body)
        spans[p.pk] = changed_spans(section.body, merge_three_way(base, section.body, p.text).text)
    return overlapping_pairs(spans)
