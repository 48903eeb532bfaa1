"""The outline: add, rename, move, re-parent, retire and restore sections; each move is a revision."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from drafting.models import Activity, Concept, RevisionKind, Section
from drafting.selectors.sentences import person_name
from drafting.services.activity import record
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
    starter: bool = False,
    over_objections: dict | None = None,
) -> Section:
    """Add a section at the end of its parent (or of the top level).

    The revision records how it came: from a merged `proposal`, as part of the `starter` outline
    the portal is set up with, or added by `user`. `reason` is the person's own words, if any.
    `over_objections` is what a merge over objections records (services.proposals).
    A section added without a person (`user=None`) is part of the starter outline; a reason
    given with it was written by a program, not a person, so it is not kept as one.
    """
    if parent is not None:
        parent = lock_section(parent)
        if parent.concept_id != concept.pk or parent.is_retired:
            raise ValidationError(_("A section can only be placed under a current section of the same Concept."))
    section = Section(concept=concept, parent=parent, heading=heading, body=body, order=next_order(concept, parent))
    if proposal is not None:
        kind, data = RevisionKind.MERGE, {"proposal": proposal.pk, "author": person_name(proposal.author)}
        if over_objections:
            data["over_objections"] = over_objections
    elif starter or (user is None and reason):
        kind, data, reason = RevisionKind.CREATE, {"starter": True, "heading": heading}, ""
    else:
        kind, data = RevisionKind.CREATE, {"heading": heading}
    save_revision(section, user=user, reason=reason, kind=kind, data=data, proposal=proposal)
    if proposal is None:
        record(user, Activity.Verb.ADDED_SECTION, data={"heading": heading}, section=section)
    return section


@transaction.atomic
def section_rename(*, section: Section, heading: str, user) -> Section:
    locked = lock_section(section)
    if heading == locked.heading:
        return locked
    old = locked.heading
    locked.heading = heading
    save_revision(locked, user=user, kind=RevisionKind.RENAME, data={"old_heading": old})
    record(user, Activity.Verb.RENAMED, data={"old_heading": old, "heading": heading}, section=locked)
    return locked


@transaction.atomic
def section_move(*, section: Section, direction: str, user) -> Section:
    """Swap a section with its previous ("up") or next ("down") current sibling.

    A move is an outline event of the moved section alone: it gets a revision (which also
    changes the document page's stamp). Its siblings only take new `order` numbers; their text
    and place did not change, so they get no history row.
    """
    locked = lock_section(section)
    if locked.is_retired:
        raise ValidationError(_("A retired section has no place in the outline to move from."))
    if direction not in ("up", "down"):
        raise ValidationError(_("A section moves up or down."))
    siblings = list(
        Section.objects.select_for_update(no_key=True)
        .filter(concept_id=locked.concept_id, parent_id=locked.parent_id, is_retired=False)
        .order_by("order", "pk")
    )
    index = [s.pk for s in siblings].index(locked.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(siblings):
        if direction == "up":
            raise ValidationError(_("This section cannot move further up."))
        raise ValidationError(_("This section cannot move further down."))
    # Renumber the siblings in steps of ten with the two swapped.
    siblings[index], siblings[other_index] = siblings[other_index], siblings[index]
    siblings[other_index] = locked
    for position, sibling in enumerate(siblings, start=1):
        if sibling.pk != locked.pk and sibling.order != position * 10:
            sibling.order = position * 10
            sibling.save_without_historical_record(update_fields=["order"])
    locked.order = (other_index + 1) * 10
    save_revision(locked, user=user, kind=RevisionKind.MOVE, data={"direction": direction})
    record(user, Activity.Verb.MOVED, data={"heading": locked.heading, "direction": direction}, section=locked)
    return locked


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
    data = {"parent": parent.pk, "parent_heading": parent.heading} if parent else {"parent": None}
    save_revision(locked, user=user, kind=RevisionKind.REPARENT, data=data)
    record(user, Activity.Verb.REPARENTED, data={"heading": locked.heading, **data}, section=locked)
    return locked


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
    save_revision(locked, user=user, kind=RevisionKind.RETIRE if retired else RevisionKind.RESTORE)
    record(
        user,
        Activity.Verb.RETIRED if retired else Activity.Verb.RESTORED,
        data={"heading": locked.heading},
        section=locked,
    )
    return locked
