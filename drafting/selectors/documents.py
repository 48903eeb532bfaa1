"""The document as a whole: editions, the current draft, their comparison, and export snapshots."""

import functools
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from drafting.highlights import Highlight, annotate, plain_text
from drafting.models import Comment, Concept, DocumentChange, Edition, Proposal, Section
from drafting.selectors.history import compare_texts
from drafting.selectors.outline import concept_outline, flatten
from drafting.selectors.parallel_exports import ExportLanguages, ParallelEntry, behind, parallel_entries
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
    # What the export shows (drafting language by default) and, with a parallel language,
    # each section's text in it (drafting.selectors.parallel_exports).
    languages: ExportLanguages | None = None
    parallel: dict[int, ParallelEntry] = field(default_factory=dict)

    @property
    def behind(self) -> dict[str, list[str]]:
        """The numbers of the sections whose parallel text is out of date or missing."""
        return behind(self.entries, self.parallel) if self.parallel else {}

    @property
    def name(self) -> str:
        return self.edition.name if self.edition else gettext("Current draft")

    @property
    def file_stem(self) -> str:
        label = re.sub(r"[^\w.]+", "-", self.name.lower()).strip("-.") or "draft"
        return f"concept-{label}-{self.date:%Y-%m-%d}"


def document_snapshot(
    concept: Concept, edition: Edition | None = None, languages: ExportLanguages | None = None
) -> DocumentSnapshot:
    entries = edition_entries(edition) if edition else draft_entries(concept)
    parallel = parallel_entries(entries, languages.parallel, edition) if languages and languages.parallel else {}
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
    return DocumentSnapshot(concept, edition, date, entries, previous, changes, merged, languages, parallel)


DOCUMENT_CACHE_SECONDS = 7 * 24 * 3600


def document_body_html(concept: Concept, *, can_edit: bool, parallel: str | None = None) -> SafeString:
    """The numbered sections of the whole Concept as HTML, built once per state of the Concept.

    The page changes only when a section, a parallel text or a discussion of one does, so its body is
    kept in the shared cache under the document's stamp (which every text or outline change, every
    parallel text saved or checked, and every comment, edit of one or resolution raises), the reader's
    language (dates and words), what their role lets them follow, and the side-by-side language
    (`parallel`, one of the Concept's parallel languages, or None for the drafting text alone). A read
    then costs one aggregate query and a lookup, whatever the size of the Concept. Nothing
    person-specific is rendered into it: no request, no CSRF token.
    """
    from drafting.selectors.parallel import concept_languages

    languages = tuple(concept_languages(concept))
    key = (
        f"concept-document:{concept.pk}:{document_stamp(concept)}:{get_language()}:{'edit' if can_edit else 'read'}"
        f":{'|'.join(languages)}:{parallel or '-'}"
    )
    return mark_safe(_document_html(key, concept.pk, can_edit, languages, parallel))  # our template, sanitised HTML


@functools.lru_cache(maxsize=32)
def _document_html(
    key: str, concept_pk: int, can_edit: bool, languages: tuple = (), parallel: str | None = None
) -> str:
    """The body under `key`: the worker's own copy, else the shared cache's, else built now.

    The key names the content (the stamp), so a worker's copy never goes stale, and keeping a
    few of them spares each read the shared cache's round trip and unpickling.
    """
    html = cache.get(key)
    if html is None:
        from drafting.selectors.parallel import language_name, summarise

        nodes = flatten(concept_outline(Concept(pk=concept_pk), with_changes=True))
        entries = _discussed_sections(nodes, languages, parallel)
        summaries = [
            (language, language_name(language), summarise([e.statuses[language] for e in entries], language))
            for language in languages
        ]
        html = render_to_string(
            "drafting/_document_sections.html",
            {
                "entries": entries,
                "can_edit": can_edit,
                "summaries": summaries,
                "parallel": parallel,
                "parallel_name": language_name(parallel) if parallel else "",
                "concept_pk": concept_pk,
            },
        )
        cache.set(key, html, timeout=DOCUMENT_CACHE_SECONDS)
    return html


def document_stamp(concept: Concept) -> str:
    """The id of the newest change the document page shows (drafting.models.DocumentChange): one
    index lookup, whatever the size or the history of the Concept."""
    newest = DocumentChange.objects.filter(concept=concept).order_by("-id").values_list("id", flat=True).first()
    return str(newest or 0)


@dataclass(frozen=True)
class DocumentSection:
    """One section of the document page: its outline node, its text with marks and paragraph numbers,
    its translation status per parallel language and, side by side, its rows (drafting | parallel)."""

    node: object
    html: SafeString
    comments: int  # all comments and replies on the section
    open_threads: int
    statuses: dict = field(default_factory=dict)
    status_list: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    parallel_heading: str = ""


def _discussed_sections(nodes: list, languages: tuple = (), parallel: str | None = None) -> list[DocumentSection]:
    """Each section's HTML with its open threads' passages marked and its paragraphs numbered (one query),
    with its parallel texts' status (one more query when the Concept has parallel languages)."""
    from drafting.models import ParallelText
    from drafting.selectors.parallel import ParallelStatus, language_name, side_by_side

    by_section: dict[int, list[Comment]] = {}
    rows = Comment.objects.filter(section__in=[n.section.pk for n in nodes]).only(
        "pk", "section_id", "parent_id", "quote", "quote_prefix", "quote_suffix", "is_resolved"
    )
    for comment in rows.order_by("created_at", "pk"):
        by_section.setdefault(comment.section_id, []).append(comment)
    texts: dict[tuple[int, str], ParallelText] = {}
    if languages and nodes:
        found = ParallelText.objects.filter(section__in=[n.section.pk for n in nodes], language__in=languages)
        if not parallel:
            found = found.defer("body", "body_html")
        texts = {(t.section_id, t.language): t for t in found}
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
        statuses = {
            language: ParallelStatus(section.pk, section.version, texts.get((section.pk, language)))
            for language in languages
        }
        pair, parallel_heading = [], ""
        if parallel:
            text = texts.get((section.pk, parallel))
            parallel_heading = text.heading if text else ""
            pair = side_by_side(html, text.body_html if text else "", section.body, text.body if text else "")
        # highlights.annotate escapes all text and adds only its own elements to sanitised HTML.
        entries.append(
            DocumentSection(
                node,
                mark_safe(html),
                len(comments),
                len(threads),
                statuses,
                [(language, language_name(language), status) for language, status in statuses.items()],
                pair,
                parallel_heading,
            )
        )
    return entries
