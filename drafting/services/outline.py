"""The outline: add, rename, move, re-parent, retire and restore sections; each move is a revision."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from drafting.models import Concept, RevisionKind, Section
from drafting.services.revisions import lock_section, next_order, save_revision


@transaction.atomic
def section_create(
    *,
    concept: Concept,
    heading: str,
    body: str = "",
    parent: Section | None = None,
    user,
    reason: str = "",
    proposal=None,
) -> Section:
    """Add a section at the end of its parent (or of the top level)."""
    if parent is not None:
        parent = lock_section(parent)
        if parent.concept_id != concept.pk or parent.is_retired:
            raise ValidationError(_("A section can only be placed under a current section of the same Concept."))
    section = Section(concept=concept, parent=parent, heading=heading, body=body, order=next_order(concept, parent))
    return save_revision(
        section,
        user=user,
        reason=reason or _("Added section “%(heading)s”") % {"heading": heading},
        kind=RevisionKind.MERGE if proposal else RevisionKind.CREATE,
        proposal=proposal,
    )


@transaction.atomic
def section_rename(*, section: Section, heading: str, user) -> Section:
    locked = lock_section(section)
    if heading == locked.heading:
        return locked
    old = locked.heading
    locked.heading = heading
    return save_revision(
        locked, user=user, reason=_("Renamed from “%(old)s”") % {"old": old}, kind=RevisionKind.OUTLINE
    )


@transaction.atomic
def section_move(*, section: Section, direction: str, user) -> Section:
    """Swap a section with its previous ("up") or next ("down") current sibling."""
    locked = lock_section(section)
    if locked.is_retired:
        raise ValidationError(_("A retired section has no place in the outline to move from."))
    siblings = list(
        Section.objects.select_for_update(no_key=True)
        .filter(concept_id=locked.concept_id, parent_id=locked.parent_id, is_retired=False)
        .order_by("order", "pk")
    )
    index = [s.pk for s in siblings].index(locked.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other_index < len(siblings):
        raise ValidationError(_("This section cannot move further %(direction)s.") % {"direction": direction})
    # Renumber the siblings in steps of ten with the two swapped; only rows whose order
    # changes get a revision.
    siblings[index], siblings[other_index] = siblings[other_index], siblings[index]
    moved = siblings[other_index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.order != position * 10:
            sibling.order = position * 10
            reason = (
                _("Moved up")
                if sibling.pk == moved.pk and direction == "up"
                else _("Moved down")
                if sibling.pk == moved.pk
                else _("Renumbered: “%(heading)s” moved") % {"heading": moved.heading}
            )
            save_revision(sibling, user=user, reason=reason, kind=RevisionKind.OUTLINE)
    return moved


@transaction.atomic
def section_reparent(*, section: Section, parent: Section | None, user) -> Section:
    """Place a section (with its sub-sections) at the end of another parent, or the top level."""
    locked = lock_section(section)
    if parent is not None:
        parent = lock_section(parent)
        if parent.concept_id != locked.concept_id or parent.is_retired:
            raise ValidationError(_("A section can only be placed under a current section of the same Concept."))
        ancestor = parent
        while ancestor is not None:
            if ancestor.pk == locked.pk:
                raise ValidationError(_("A section cannot be placed under itself or one of its sub-sections."))
            ancestor = ancestor.parent
    if locked.parent_id == (parent.pk if parent else None):
        return locked
    locked.parent = parent
    locked.order = next_order(locked.concept, parent)
    reason = _("Moved under “%(parent)s”") % {"parent": parent.heading} if parent else _("Moved to the top level")
    return save_revision(locked, user=user, reason=reason, kind=RevisionKind.OUTLINE)


@transaction.atomic
def section_set_retired(*, section: Section, retired: bool, user) -> Section:
    """Retire a section (it leaves the document, keeps its history) or restore it."""
    locked = lock_section(section)
    if locked.is_retired == retired:
        return locked
    if retired and locked.children.filter(is_retired=False).exists():
        raise ValidationError(_("Retire or move the sub-sections of “%(heading)s” first.") % {"heading": locked})
    if not retired and locked.parent_id and locked.parent.is_retired:
        raise ValidationError(_("Restore the parent section “%(parent)s” first.") % {"parent": locked.parent})
    locked.is_retired = retired
    return save_revision(
        locked, user=user, reason=_("Retired") if retired else _("Restored"), kind=RevisionKind.OUTLINE
    )
