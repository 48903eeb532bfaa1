"""The low-level steps every write shares: lock a row, stamp who and why, save a revision."""

from dataclasses import dataclass

from django.db.models import Max, Subquery

from drafting.markdown import render_markdown
from drafting.models import Concept, DocumentChange, Proposal, Section
from drafting.text import attribute_paragraphs, attribute_step, split_paragraphs
from search.services.index import index_section


@dataclass(frozen=True)
class PreparedText:
    """A text and its HTML, rendered before any lock is taken."""

    text: str
    html: str


def prepare_text(text: str) -> PreparedText:
    """Render a text the person sent, outside any lock (MarkdownTooComplex if it cannot be)."""
    return PreparedText(text, render_markdown(text))


def save_revision(
    section: Section,
    *,
    user,
    kind: str,
    data: dict | None = None,
    reason: str = "",
    proposal=None,
    prepared: PreparedText | None = None,
) -> Section:
    """Raise the version, render the text once, and save with who/why on the history row.

    `prepared` is the text as the caller rendered it before taking the row lock: when it is
    the text being saved, its HTML is used, so a slow render never holds the lock that every
    other save of the section waits on. A text that changed under the lock (a merge) is
    rendered here.

    Why is stored as data, never as a sentence: `kind` and `data` (what its sentence needs,
    drafting.selectors.sentences), and `reason` only for a person's own words (an edit summary).

    The row also records the text's size change and who wrote each paragraph, computed from
    the previous revision's row alone (drafting/history.py copies them), so neither a save nor
    the pages that show them read more of the history as it grows.
    """
    previous = _previous_revision(section) if section.pk else None
    section.version += 1 if section.pk else 0
    section.body_html = prepared.html if prepared and prepared.text == section.body else render_markdown(section.body)
    stamp(section, user, reason)
    section._change_kind = kind
    section._change_data = data or {}
    section._proposal = proposal
    section._previous_size = len(previous[0]) if previous else 0
    section._paragraph_origins = [
        origin for _paragraph, origin in attribute_step(previous[1] if previous else [], section.body, section.version)
    ]
    section.save()
    index_section(section)
    document_changed(section.concept_id)
    return section


def document_changed(concept_id: int | None = None, *, section_id: int | None = None) -> None:
    """The document page of this Concept (or of this section's) shows something new: raise its stamp.

    One insert that locks nothing; given a section, its Concept is read in the same statement.
    """
    if concept_id is None:
        concept_id = Subquery(Section.objects.filter(pk=section_id).values("concept_id")[:1])
    DocumentChange.objects.create(concept_id=concept_id)


def _previous_revision(section: Section) -> tuple[str, list[tuple[str, int]]] | None:
    """The text of the section's saved revision and its attributed paragraphs (one row read)."""
    row = section.history.filter(version=section.version).values_list("body", "paragraph_origins").first()
    if row is None:
        return None
    body, origins = row
    paragraphs = split_paragraphs(body)
    if origins is None or len(origins) != len(paragraphs):
        # A row written before attribution was stored: walk the history once.
        return body, attribute_paragraphs(section.history.order_by("history_id").values_list("body", "version"))
    return body, list(zip(paragraphs, origins, strict=True))


def stamp(record, user, reason: str) -> None:
    """Who and why, for the history row the next save() writes.

    `reason` is a person's own words (a section's edit summary) or a `ChangeReason` code; never a
    translated sentence.
    """
    record._history_user = user
    record._change_reason = reason


def lock_section(section_or_pk) -> Section:
    pk = getattr(section_or_pk, "pk", section_or_pk)
    return Section.objects.select_for_update(no_key=True).get(pk=pk)


def lock_proposal(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(no_key=True, of=("self",))
        .select_related("section", "author")
        .get(pk=proposal.pk)
    )


def next_order(concept: Concept, parent: Section | None) -> int:
    top = Section.objects.filter(concept=concept, parent=parent).aggregate(top=Max("order"))["top"]
    return (top or 0) + 10
