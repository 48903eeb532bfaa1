"""Every write to the Concept: one function per action, each a transaction.

Each service locks the rows it changes (`select_for_update`), checks the revision the
person started from, saves with plain `save()` (django-simple-history ignores `update()`),
and records who and why on the history row. Problems a person can act on are raised as
`ValidationError` with a message meant for them.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from drafting.markdown import render_markdown
from drafting.models import Concept, RevisionKind, Section
from drafting.text import MergeResult, merge_three_way


def _save_revision(section: Section, *, user, reason: str, kind: str, proposal=None) -> Section:
    """Raise the version, render the text once, and save with who/why on the history row."""
    section.version += 1 if section.pk else 0
    section.body_html = render_markdown(section.body)
    section._history_user = user
    section._change_reason = reason
    section._change_kind = kind
    section._proposal = proposal
    section.save()
    return section


def _lock(section_or_pk) -> Section:
    pk = getattr(section_or_pk, "pk", section_or_pk)
    return Section.objects.select_for_update().get(pk=pk)


def _next_order(concept: Concept, parent: Section | None) -> int:
    top = Section.objects.filter(concept=concept, parent=parent).aggregate(top=Max("order"))["top"]
    return (top or 0) + 10


def revision_text(section: Section, version: int) -> str:
    """The Markdown of one revision of a section, from its history row."""
    row = section.history.filter(version=version).only("body").first()
    if row is None:
        raise ValidationError(
            _("Revision %(version)s of “%(section)s” does not exist.") % {"version": version, "section": section}
        )
    return row.body


# --- Sections: text -----------------------------------------------------------------


@dataclass(frozen=True)
class EditOutcome:
    """What happened to an edit. `status` is one of:

    - "saved": the section had not changed since the person's base revision;
    - "merged": it had, and the two changes were merged word by word;
    - "unchanged": the text equals what is saved (nothing to do, e.g. a double submit);
    - "conflict": both changed the same words; nothing was saved, `merge` holds the regions.
    """

    status: str
    section: Section
    base_version: int
    merge: MergeResult | None = None

    @property
    def saved(self) -> bool:
        return self.status in ("saved", "merged")


@transaction.atomic
def section_edit(*, section: Section, base_version: int, body: str, user, summary: str) -> EditOutcome:
    """Save a new text for a section that the person started editing at `base_version`.

    The check and the write happen under a row lock, so two simultaneous saves from the
    same base cannot both pass: the second one sees the first and is merged or refused.
    """
    locked = _lock(section)
    if locked.is_retired:
        raise ValidationError(_("This section has been retired; it can no longer be edited."))
    if not 1 <= base_version <= locked.version:
        raise ValidationError(
            _("The form refers to revision %(base)s, which this section does not have. Your text is kept below; "
              "reload the section to start from its current revision %(current)s.")
            % {"base": base_version, "current": locked.version}
        )
    if body == locked.body:
        return EditOutcome("unchanged", locked, base_version)
    if base_version == locked.version:
        locked.body = body
        _save_revision(locked, user=user, reason=summary, kind=RevisionKind.EDIT)
        return EditOutcome("saved", locked, base_version)

    merge = merge_three_way(revision_text(locked, base_version), locked.body, body)
    if not merge.clean:
        return EditOutcome("conflict", locked, base_version, merge)
    if merge.text == locked.body:
        return EditOutcome("unchanged", locked, base_version, merge)
    locked.body = merge.text
    _save_revision(locked, user=user, reason=summary, kind=RevisionKind.EDIT)
    return EditOutcome("merged", locked, base_version, merge)


@transaction.atomic
def section_revert(*, section: Section, to_version: int, user) -> Section:
    """Restore the text and heading of a past revision as a new revision; nothing is deleted."""
    locked = _lock(section)
    row = locked.history.filter(version=to_version).first()
    if row is None or to_version >= locked.version:
        raise ValidationError(_("There is no earlier revision %(version)s to restore.") % {"version": to_version})
    locked.body = row.body
    locked.heading = row.heading
    return _save_revision(
        locked, user=user, reason=_("Reverted to revision %(version)s") % {"version": to_version}, kind=RevisionKind.REVERT
    )


# --- Sections: outline ----------------------------------------------------------------


@transaction.atomic
def section_create(
    *, concept: Concept, heading: str, body: str = "", parent: Section | None = None, user, reason: str = "",
    proposal=None,
) -> Section:
    """Add a section at the end of its parent (or of the top level)."""
    if parent is not None:
        parent = _lock(parent)
        if parent.concept_id != concept.pk or parent.is_retired:
            raise ValidationError(_("A section can only be placed under a current section of the same Concept."))
    section = Section(concept=concept, parent=parent, heading=heading, body=body, order=_next_order(concept, parent))
    return _save_revision(
        section,
        user=user,
        reason=reason or _("Added section “%(heading)s”") % {"heading": heading},
        kind=RevisionKind.MERGE if proposal else RevisionKind.CREATE,
        proposal=proposal,
    )


@transaction.atomic
def section_rename(*, section: Section, heading: str, user) -> Section:
    locked = _lock(section)
    if heading == locked.heading:
        return locked
    old = locked.heading
    locked.heading = heading
    return _save_revision(
        locked, user=user, reason=_("Renamed from “%(old)s”") % {"old": old}, kind=RevisionKind.OUTLINE
    )


@transaction.atomic
def section_move(*, section: Section, direction: str, user) -> Section:
    """Swap a section with its previous ("up") or next ("down") current sibling."""
    locked = _lock(section)
    siblings = list(
        Section.objects.select_for_update()
        .filter(concept_id=locked.concept_id, parent_id=locked.parent_id, is_retired=False)
        .order_by("order", "pk")
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == locked.pk) if not locked.is_retired else None
    if index is None:
        raise ValidationError(_("A retired section has no place in the outline to move from."))
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
                _("Moved up") if sibling.pk == moved.pk and direction == "up"
                else _("Moved down") if sibling.pk == moved.pk
                else _("Renumbered: “%(heading)s” moved") % {"heading": moved.heading}
            )
            _save_revision(sibling, user=user, reason=reason, kind=RevisionKind.OUTLINE)
    return moved


@transaction.atomic
def section_reparent(*, section: Section, parent: Section | None, user) -> Section:
    """Place a section (with its sub-sections) at the end of another parent, or the top level."""
    locked = _lock(section)
    if parent is not None:
        parent = _lock(parent)
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
    locked.order = _next_order(locked.concept, parent)
    reason = (
        _("Moved under “%(parent)s”") % {"parent": parent.heading} if parent else _("Moved to the top level")
    )
    return _save_revision(locked, user=user, reason=reason, kind=RevisionKind.OUTLINE)


@transaction.atomic
def section_set_retired(*, section: Section, retired: bool, user) -> Section:
    """Retire a section (it leaves the document, keeps its history) or restore it."""
    locked = _lock(section)
    if locked.is_retired == retired:
        return locked
    if retired and locked.children.filter(is_retired=False).exists():
        raise ValidationError(_("Retire or move the sub-sections of “%(heading)s” first.") % {"heading": locked})
    if not retired and locked.parent_id and locked.parent.is_retired:
        raise ValidationError(_("Restore the parent section “%(parent)s” first.") % {"parent": locked.parent})
    locked.is_retired = retired
    return _save_revision(
        locked, user=user, reason=_("Retired") if retired else _("Restored"), kind=RevisionKind.OUTLINE
    )


@transaction.atomic
def section_admin_save(*, section: Section, user, reverting_to: int | None = None) -> Section:
    """Save a section changed by staff in the admin, on top of the live row as a new revision.

    A revert from the admin's history page arrives as the old row's values (its old version
    included); it is recorded as "Reverted to revision N", exactly like a coordinator's revert.
    """
    if section.pk is None:
        section.order = section.order or _next_order(section.concept, section.parent)
        return _save_revision(section, user=user, reason=_("Added in the admin"), kind=RevisionKind.CREATE)
    section.version = _lock(section).version
    if reverting_to is not None:
        return _save_revision(
            section, user=user, reason=_("Reverted to revision %(version)s") % {"version": reverting_to},
            kind=RevisionKind.REVERT,
        )
    return _save_revision(section, user=user, reason=_("Changed in the admin"), kind=RevisionKind.EDIT)
