"""The document as a whole: editions, the current draft, their comparison, and export snapshots."""

import functools
import re
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from drafting.models import Concept, Edition, Proposal, Section
from drafting.selectors.history import compare_texts
from drafting.selectors.outline import concept_outline, concept_stamp, flatten


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

    The page changes only when a section does, so its body is kept in the shared cache under
    the Concept's stamp (which every text or outline change raises), the reader's language
    (dates and words) and what their role lets them follow. A read then costs one aggregate
    query and a lookup, whatever the size of the Concept. Nothing person-specific is rendered
    into it: no request, no CSRF token.
    """
    key = f"concept-document:{concept.pk}:{concept_stamp(concept)}:{get_language()}:{'edit' if can_edit else 'read'}"
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
        html = render_to_string("drafting/_document_sections.html", {"nodes": nodes, "can_edit": can_edit})
        cache.set(key, html, timeout=DOCUMENT_CACHE_SECONDS)
    return html
