"""The outline: the numbered tree of current sections."""

from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, Subquery, Sum

from drafting.models import Concept, Section
from members.models import name_for_reader


@dataclass
class OutlineNode:
    section: Section
    number: str
    depth: int
    children: list["OutlineNode"] = field(default_factory=list)


def _latest_change(field_name: str):
    # The latest change is the history row of the section's current version: an equality on
    # the indexed section id, never "the newest row", which lets PostgreSQL choose a backward
    # scan of the whole history table per section when its statistics are stale.
    history = Section.history.model.objects.filter(id=OuterRef("pk"), version=OuterRef("version")).order_by()
    return Subquery(history.values(field_name)[:1])


def concept_stamp(concept: Concept) -> str:
    """A value that changes whenever the text, a heading or the outline of the Concept changes.

    Every such change goes through a service that raises one section's version by one, so the
    sum of the versions rises with each of them (one aggregate query).
    """
    state = Section.objects.filter(concept=concept).aggregate(
        sections=Count("pk"), versions=Sum("version"), changed=Max("updated_at")
    )
    changed = state["changed"].timestamp() if state["changed"] else 0
    return f"{state['sections']}-{state['versions'] or 0}-{changed}"


def concept_outline(concept: Concept, *, with_changes: bool = False, with_body: bool = False) -> list[OutlineNode]:
    """The numbered tree of current sections (1, 1.1, 1.2, 2, ...) from one query.

    Numbers come from the tree, never from stored values, so moving a section renumbers
    everything after it. With `with_changes`, each section also carries who last changed
    it and when (`last_changed_name`, `last_changed_at`), in the same query.
    """
    sections = Section.objects.current().filter(concept=concept).order_by("order", "pk")
    if with_changes:
        sections = sections.annotate(
            last_changed_at=_latest_change("history_date"),
            last_changed_by=_latest_change("history_user__expert__full_name"),
            last_changed_by_latin=_latest_change("history_user__expert__full_name_latin"),
            last_changed_by_username=_latest_change("history_user__username"),
        )
    elif not with_body:
        sections = sections.defer("body", "body_html")
    children: dict[int | None, list[Section]] = {}
    for section in sections:
        if with_changes:
            section.last_changed_name = (
                name_for_reader(section.last_changed_by or "", section.last_changed_by_latin or "")
                or section.last_changed_by_username
            )
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


def retired_sections(concept: Concept):
    """Sections taken out of the outline, by heading, for the outline page's "restore" list."""
    return concept.sections.filter(is_retired=True).order_by("heading")
