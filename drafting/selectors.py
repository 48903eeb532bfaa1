"""Reads that shape pages. Each one issues a fixed number of queries, whatever the size."""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import F, OuterRef, Subquery, Window
from django.db.models.functions import Lag, Length
from django.utils.safestring import SafeString, mark_safe

from drafting.markdown import render_markdown
from drafting.models import Concept, Section
from drafting.text import DiffChunk, attribute_paragraphs, diff_stats, render_inline_diff, render_side_by_side, word_diff


@dataclass
class OutlineNode:
    section: Section
    number: str
    depth: int
    children: list["OutlineNode"] = field(default_factory=list)


def _latest_change(field_name: str):
    history = Section.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_id")
    return Subquery(history.values(field_name)[:1])


def concept_outline(concept: Concept, *, with_changes: bool = False) -> list[OutlineNode]:
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
    else:
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
    old_html, new_html = render_side_by_side(chunks)
    # text.py escapes every token and adds only <del>/<ins> marks.
    return chunks, mark_safe(render_inline_diff(chunks)), mark_safe(old_html), mark_safe(new_html)


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
            )
        )
        revisions = [
            (
                body,
                Origin(
                    version=version, user_name=full_name or username or "", date=date, kind=kind, reason=reason or "",
                    proposal_id=proposal_id, proposal_author=(author_name or author_username) if proposal_id else None,
                ),
            )
            for version, body, date, kind, reason, proposal_id, username, full_name, author_username, author_name
            in rows
        ]
        return [AttributedParagraph(text, origin) for text, origin in attribute_paragraphs(revisions)]

    return cache.get_or_set(f"section-attribution:{section.pk}:{section.version}", build, timeout=None)
