"""The document as a whole: editions, the current draft, their comparison, and export snapshots."""

import functools
import re
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, Subquery, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from drafting.highlights import Highlight, annotate, plain_text
from drafting.models import Comment, Concept, Edition, Proposal, Section
from drafting.selectors.history import compare_texts
from drafting.selectors.outline import concept_outline, flatten
from drafting.text import Anchor, locate_anchor


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
        DocEntry(
            n.section.pk, n.section.version, n.number, n.depth, n.section.heading, n.section.parent_id, n.section.body
        )
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
            changes.append(SectionChange("added", None, entry, diff_html=compare_texts("", entry.body).inline_html))
            continue
        text_changed = before.body != entry.body
        changes.append(
            SectionChange(
                "changed"
                if text_changed
                or before.heading != entry.heading
                or before.number != entry.number
                or before.parent_id != entry.parent_id
                else "unchanged",
                before,
                entry,
                renamed=before.heading != entry.heading,
                moved=before.number != entry.number or before.parent_id != entry.parent_id,
                diff_html=compare_texts(before.body, entry.body).inline_html if text_changed else None,
            )
        )
    changes += [SectionChange("removed", e, None) for e in old if e.section_id not in new_ids]
    return changes


def edition_list(concept: Concept):
    """The Concept's editions (newest first, the model's order), each with who froze it."""
    return concept.editions.select_related("created_by__expert")


def editions_newest_first(concept: Concept) -> list[Edition]:
    return list(concept.editions.order_by("-created_at"))


def previous_edition(concept: Concept, edition: Edition | None) -> Edition | None:
    editions = concept.editions.order_by("-created_at", "-pk")
    if edition is not None:
        editions = editions.filter(created_at__lt=edition.created_at) | editions.filter(
            created_at=edition.created_at, pk__lt=edition.pk
        )
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
        merged = Proposal.objects.for_concept(concept).filter(
            status=Proposal.Status.MERGED, decided_at__gt=previous.created_at
        )
        if edition:
            merged = merged.filter(decided_at__lte=edition.created_at)
        merged = list(merged.select_related("author__expert", "section", "agreed_meeting").order_by("decided_at"))
    return DocumentSnapshot(concept, edition, date, entries, previous, changes, merged)


DOCUMENT_CACHE_SECONDS = 7 * 24 * 3600


def document_body_html(concept: Concept, *, can_edit: bool) -> SafeString:
    """The numbered sections of the whole Concept as HTML, built once per state of the Concept.

    The page changes only when a section or a discussion of one does, so its body is kept in the
    shared cache under the document's stamp (which every text or outline change and every
    comment, edit of one or resolution raises), the reader's language
    (dates and words) and what their role lets them follow. A read then costs one aggregate
    query and a lookup, whatever the size of the Concept. Nothing person-specific is rendered
    into it: no request, no CSRF token.
    """
    key = f"concept-document:{concept.pk}:{document_stamp(concept)}:{get_language()}:{'edit' if can_edit else 'read'}"
    return mark_safe(_document_html(key, concept.pk, can_edit))  # our template over sanitised HTML


@functools.lru_cache(maxsize=32)
def _document_html(key: str, concept_pk: int, can_edit: bool) -> str:
    """The body under `key`: the worker's own copy, else the shared cache's, else built now.

    The key names the content (the stamp), so a worker's copy never goes stale, and keeping a
    few of them spares each read the shared cache's round trip and unpickling.
    """
    html = cache.get(key)
    if html is None:
        nodes = flatten(concept_outline(Concept(pk=concept_pk), with_changes=True))
        entries = _discussed_sections(nodes)
        html = render_to_string("drafting/_document_sections.html", {"entries": entries, "can_edit": can_edit})
        cache.set(key, html, timeout=DOCUMENT_CACHE_SECONDS)
    return html


def document_stamp(concept: Concept) -> str:
    """The Concept's stamp and its sections' comments (how many, the last change): one query.

    A comment added, edited, resolved or reopened changes `updated_at`; one removed changes the
    count; so marks and counts in the cached document follow every change of a discussion.
    """
    comments = Comment.objects.filter(section__concept=OuterRef("pk")).order_by().values("section__concept")
    state = (
        Concept.objects.filter(pk=concept.pk)
        .annotate(
            n_sections=Subquery(
                Section.objects.filter(concept=OuterRef("pk"))
                .order_by()
                .values("concept")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            n_versions=Subquery(
                Section.objects.filter(concept=OuterRef("pk"))
                .order_by()
                .values("concept")
                .annotate(v=Sum("version"))
                .values("v")[:1]
            ),
            last_changed=Subquery(
                Section.objects.filter(concept=OuterRef("pk"))
                .order_by()
                .values("concept")
                .annotate(c=Max("updated_at"))
                .values("c")[:1]
            ),
            n_comments=Subquery(comments.annotate(n=Count("pk")).values("n")[:1]),
            last_discussed=Subquery(comments.annotate(c=Max("updated_at")).values("c")[:1]),
        )
        .values("n_sections", "n_versions", "last_changed", "n_comments", "last_discussed")
        .first()
    ) or {}
    changed, discussed = (s.timestamp() if s else 0 for s in (state.get("last_changed"), state.get("last_discussed")))
    counts = [state.get(name) or 0 for name in ("n_sections", "n_versions", "n_comments")]
    return f"{counts[0]}-{counts[1]}-{changed}-{counts[2]}-{discussed}"


@dataclass(frozen=True)
class DocumentSection:
    """One section of the document page: its outline node, its text with marks and paragraph numbers."""

    node: object
    html: SafeString
    comments: int  # all comments and replies on the section
    open_threads: int


def _discussed_sections(nodes: list) -> list[DocumentSection]:
    """Each section's HTML with its open threads' passages marked and its paragraphs numbered (one query)."""
    by_section: dict[int, list[Comment]] = {}
    rows = Comment.objects.filter(section__in=[n.section.pk for n in nodes]).only(
        "pk", "section_id", "parent_id", "quote", "quote_prefix", "quote_suffix", "is_resolved"
    )
    for comment in rows.order_by("created_at", "pk"):
        by_section.setdefault(comment.section_id, []).append(comment)
    title = gettext("Link to this paragraph")
    entries = []
    for node in nodes:
        section = node.section
        comments = by_section.get(section.pk, [])
        threads = [c for c in comments if c.parent_id is None and not c.is_resolved]
        reading_text = plain_text(section.body_html) if any(c.quote for c in threads) else ""
        placed = []
        for c in threads:
            if not c.quote:
                continue
            match = locate_anchor(reading_text, Anchor(c.quote, c.quote_prefix, c.quote_suffix))
            if match.found and not match.outdated:
                placed.append((match.start, match.end, c.pk))
        placed.sort()
        highlights = [
            Highlight(
                start,
                end,
                key=pk,
                href=f"{section.get_absolute_url()}#comment-{pk}",
                label=str(n),
                title=gettext("Comment thread %(number)s") % {"number": n},
                colour=n - 1,
            )
            for n, (start, end, pk) in enumerate(placed, start=1)
        ]
        html = annotate(
            section.body_html,
            highlights=highlights,
            paragraph_prefix=f"s{section.pk}",
            paragraph_label=node.number,
            paragraph_title=title,
        )
        # highlights.annotate escapes all text and adds only its own elements to sanitised HTML.
        entries.append(DocumentSection(node, mark_safe(html), len(comments), len(threads)))
    return entries
