"""A section's text: edit (merged word by word when stale), revert, and saves from the admin."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from drafting.models import Activity, RevisionKind, Section
from drafting.selectors import revision_text
from drafting.services import versions
from drafting.services.activity import record
from drafting.services.revisions import lock_section, next_order, prepare_text, save_revision
from drafting.text import MergeResult, merge_three_way


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
    prepared = prepare_text(body)  # rendered before the lock: other saves of the section never wait on it
    locked = lock_section(section)
    if locked.is_retired:
        raise ValidationError(_("This section has been retired; it can no longer be edited."))
    if not 1 <= base_version <= locked.version:
        raise ValidationError(
            _(
                "The form refers to revision %(base)s, which this section does not have. Your text is kept below; "
                "reload the section to start from its current revision %(current)s."
            )
            % {"base": base_version, "current": locked.version}
        )
    if body == locked.body:
        return EditOutcome("unchanged", locked, base_version)
    if base_version == locked.version:
        locked.body = body
        save_revision(locked, user=user, reason=summary, kind=RevisionKind.EDIT, prepared=prepared)
        record(user, Activity.Verb.EDITED, data=_edit_data(locked, summary), section=locked)
        return EditOutcome("saved", locked, base_version)

    merge = merge_three_way(revision_text(locked, base_version), locked.body, body)
    if not merge.clean:
        return EditOutcome("conflict", locked, base_version, merge)
    if merge.text == locked.body:
        return EditOutcome("unchanged", locked, base_version, merge)
    locked.body = merge.text
    save_revision(locked, user=user, reason=summary, kind=RevisionKind.EDIT)
    record(user, Activity.Verb.EDITED, data=_edit_data(locked, summary), section=locked)
    return EditOutcome("merged", locked, base_version, merge)


def _edit_data(section: Section, summary: str) -> dict:
    return {"heading": section.heading, "version": section.version, "summary": summary}


@transaction.atomic
def section_revert(*, section: Section, to_version: int, user, reason: str = "") -> Section:
    """Restore the text and heading of a past revision as a new revision; nothing is deleted.

    `reason` is the person's own words, if they gave any; the revision records the revision
    restored as data, and its sentence is made when it is shown.
    """
    locked = lock_section(section)
    row = locked.history.filter(version=to_version).first()
    if row is None or to_version >= locked.version:
        raise ValidationError(_("There is no earlier revision %(version)s to restore.") % {"version": to_version})
    locked.body = row.body
    locked.heading = row.heading
    save_revision(locked, user=user, reason=reason, kind=RevisionKind.REVERT, data={"to_version": to_version})
    _record_revert(locked, user, to_version)
    return locked


def _record_revert(section: Section, user, to_version: int) -> None:
    record(
        user,
        Activity.Verb.REVERTED,
        data={"heading": section.heading, "to_version": to_version, "version": section.version},
        section=section,
    )


# What a staff member can change in the section's admin form besides the text (attribute names).
ADMIN_FIELDS = ("concept_id", "parent_id", "order", "heading", "is_retired")


def section_admin_merge(*, section_pk: int, base_version: int | None, values: dict) -> tuple[dict, bool]:
    """Merge what staff typed in the admin form opened at `base_version` onto the section as it is now.

    `values` holds `body` and the ADMIN_FIELDS by attribute name. Returns the values to save and
    whether someone else's change since `base_version` was kept. As in `section_edit`, the text is
    merged word by word and the other fields are taken from whichever side changed them; an
    overlap raises StaleConflict, with the staff member's text and the clean merges as drafts.
    Locks the section: called from the admin form's validation and again by section_admin_save,
    in the admin's one transaction.
    """
    locked = lock_section(section_pk)
    if base_version is None or not 1 <= base_version <= locked.version:
        raise ValidationError(
            _(
                "The form lost the revision you started from. Nothing was saved and your text is kept below; "
                "open the section in another tab to see its current revision %(current)s, then copy your text there."
            )
            % {"current": locked.version}
        )
    if base_version == locked.version:
        return values, False
    base = locked.history.filter(version=base_version).first()
    merge = versions.StaleMerge(locked.version)
    merged = {"body": merge.text("body", base.body, locked.body, values["body"])}
    for name in ADMIN_FIELDS:
        label = Section._meta.get_field(name.removesuffix("_id")).verbose_name
        merged[name] = merge.choice(
            name.removesuffix("_id"), getattr(base, name), getattr(locked, name), values[name], label=label
        )
    merge.check()
    return merged, True


@transaction.atomic
def section_admin_save(
    *, section: Section, user, base_version: int | None = None, reverting_to: int | None = None
) -> EditOutcome:
    """Save a section changed by staff in the admin, on top of the live row as a new revision.

    A change made from a form opened at `base_version` goes through the editor's rules: if the
    section changed since, the two are merged (status "merged"), and an overlap is refused
    (StaleConflict) instead of removing the other person's words; a repeat of the same save is
    "unchanged". A revert from the admin's history page arrives as the old row's values (its old
    version included); it is recorded as a revert to that revision, exactly like a coordinator's
    revert, and is deliberate, so it is not merged.
    """
    if section.pk is None:
        section.order = section.order or next_order(section.concept, section.parent)
        save_revision(section, user=user, kind=RevisionKind.ADMIN, data={"created": True, "heading": section.heading})
        record(user, Activity.Verb.ADDED_SECTION, data={"heading": section.heading}, section=section)
        return EditOutcome("saved", section, section.version)
    locked = lock_section(section)
    if reverting_to is not None:
        section.version = locked.version
        save_revision(section, user=user, kind=RevisionKind.REVERT, data={"to_version": reverting_to})
        _record_revert(section, user, reverting_to)
        return EditOutcome("saved", section, reverting_to)
    values = {"body": section.body} | {name: getattr(section, name) for name in ADMIN_FIELDS}
    if base_version is None:  # a caller holding the current row (a script), not a form
        base_version = locked.version
    merged, stale = section_admin_merge(section_pk=section.pk, base_version=base_version, values=values)
    for name, value in merged.items():
        setattr(section, name, value)
    section.version = locked.version
    if stale and all(getattr(section, name) == getattr(locked, name) for name in merged):
        return EditOutcome("unchanged", locked, base_version)
    save_revision(section, user=user, kind=RevisionKind.ADMIN)
    return EditOutcome("merged" if stale else "saved", section, base_version)
