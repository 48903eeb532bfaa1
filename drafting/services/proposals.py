"""Proposals: create, revise, withdraw, reject and merge.

Merging takes the section's lock before the proposal's (see the package docstring).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from drafting.models import Activity, ChangeReason, Concept, Position, Proposal, RevisionKind, Section
from drafting.selectors import MergePlan, proposal_merge_plan, revision_text
from drafting.services import versions
from drafting.services.activity import record
from drafting.services.outline import section_create
from drafting.services.revisions import lock_proposal, lock_section, prepare_text, save_revision, stamp
from drafting.text import merge_three_way
from search.services.index import index_proposal


def _author_name(user) -> str:
    expert = getattr(user, "expert", None)
    return expert.full_name if expert else user.get_username()


def _closed_messages() -> dict[str, str]:
    # One whole sentence per action, so each translates as a unit.
    return {
        "merged": _("Proposal #%(pk)s is %(status)s; it can no longer be merged."),
        "rejected": _("Proposal #%(pk)s is %(status)s; it can no longer be rejected."),
        "withdrawn": _("Proposal #%(pk)s is %(status)s; it can no longer be withdrawn."),
        "changed": _("Proposal #%(pk)s is %(status)s; it can no longer be changed."),
        "answered": _("Proposal #%(pk)s is %(status)s; it can no longer be answered."),
    }


def require_open(proposal: Proposal, action: str) -> None:
    """Refuse `action` ("merged", "rejected", "withdrawn", "changed", "answered") on a closed proposal."""
    if not proposal.is_open:
        raise ValidationError(
            _closed_messages()[action] % {"pk": proposal.pk, "status": proposal.get_status_display().lower()}
        )


@transaction.atomic
def proposal_create_amendment(
    *, section: Section, author, title: str, text: str, rationale: str, base_version: int
) -> Proposal:
    """Propose a new wording for a section, remembering the revision it was written against."""
    locked = lock_section(section)
    if locked.is_retired:
        raise ValidationError(_("This section has been retired; it cannot be amended."))
    if not 1 <= base_version <= locked.version:
        raise ValidationError(_("The form refers to a revision this section does not have."))
    if text == revision_text(locked, base_version):
        raise ValidationError(_("The proposed text is the same as the section's text: change something first."))
    proposal = Proposal(
        concept_id=locked.concept_id,
        kind=Proposal.Kind.AMENDMENT,
        section=locked,
        base_version=base_version,
        title=title,
        text=text,
        rationale=rationale,
        author=author,
    )
    stamp(proposal, author, ChangeReason.PROPOSED)
    proposal.save()
    index_proposal(proposal)
    record(
        author,
        Activity.Verb.PROPOSED,
        data={"title": title, "heading": locked.heading},
        section=locked,
        proposal=proposal,
    )
    return proposal


@transaction.atomic
def proposal_create_section(
    *, concept: Concept, author, title: str, heading: str, text: str, rationale: str, parent: Section | None
) -> Proposal:
    """Propose a new section, to be placed at the end of `parent` (or of the top level)."""
    if parent is not None and (parent.concept_id != concept.pk or parent.is_retired):
        raise ValidationError(_("A new section can only be placed under a current section of this Concept."))
    proposal = Proposal(
        concept=concept,
        kind=Proposal.Kind.NEW_SECTION,
        new_parent=parent,
        heading=heading,
        title=title,
        text=text,
        rationale=rationale,
        author=author,
    )
    stamp(proposal, author, ChangeReason.PROPOSED)
    proposal.save()
    index_proposal(proposal)
    record(
        author,
        Activity.Verb.PROPOSED,
        data={"title": title, "heading": heading, "new_section": True},
        proposal=proposal,
    )
    return proposal


@transaction.atomic
def proposal_update(
    *,
    proposal: Proposal,
    user,
    title: str,
    text: str,
    rationale: str,
    base_history_id: int | None = None,
    heading: str = "",
    parent: Section | None = None,
    base_version: int | None = None,
) -> Proposal:
    """The author revises their open proposal; the earlier wording stays in its history.

    `base_history_id` is the version of the proposal the form was opened at: if the proposal
    changed since (another tab, the admin), text and rationale are merged word by word and the
    other fields are taken from whichever side changed them; overlaps are refused (StaleConflict).
    `base_version` is the section revision the revised text was written against (the edit
    form offers the current one when the proposal needs review); it brings the proposal
    back to "open".
    """
    locked = lock_proposal(proposal)
    if locked.author_id != user.pk:
        raise ValidationError(_("Only the author can change a proposal."))
    require_open(locked, "changed")
    latest = versions.latest_history_id(locked)
    if base_history_id is not None and base_history_id != latest:
        base = versions.base_row(locked, base_history_id)
        merge = versions.StaleMerge(latest)
        text = merge.text("text", base.text, locked.text, text)
        rationale = merge.text("rationale", base.rationale, locked.rationale, rationale)
        title = merge.choice("title", base.title, locked.title, title, label=_("Title"))
        if locked.kind == Proposal.Kind.NEW_SECTION:
            heading = merge.choice(
                "heading", base.heading, locked.heading, heading or locked.heading, label=_("Heading")
            )
            parent_id = merge.choice(
                "parent",
                base.new_parent_id,
                locked.new_parent_id,
                parent.pk if parent else None,
                label=_("Place"),
                shown=lambda pk: Section.objects.filter(pk=pk).values_list("heading", flat=True).first() or "—",
            )
            parent = Section.objects.filter(pk=parent_id).first() if parent_id else None
        merge.check()
    if base_version is not None and locked.kind == Proposal.Kind.AMENDMENT and base_version != locked.base_version:
        if not 1 <= base_version <= locked.section.version:
            raise ValidationError(_("The form refers to a revision this section does not have."))
        locked.base_version = base_version
        locked.status = Proposal.Status.OPEN
    locked.title, locked.text, locked.rationale = title, text, rationale
    if locked.kind == Proposal.Kind.NEW_SECTION:
        if parent is not None and (parent.concept_id != locked.concept_id or parent.is_retired):
            raise ValidationError(_("A new section can only be placed under a current section of this Concept."))
        locked.heading, locked.new_parent = heading or locked.heading, parent
    stamp(locked, user, ChangeReason.REVISED)
    locked.save()
    index_proposal(locked)
    record(
        user,
        Activity.Verb.REVISED,
        data={"title": title},
        section=locked.section,
        proposal=locked,
    )
    return locked


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, user) -> Proposal:
    locked = lock_proposal(proposal)
    if locked.author_id != user.pk:
        raise ValidationError(_("Only the author can withdraw a proposal."))
    require_open(locked, "withdrawn")
    locked.status = Proposal.Status.WITHDRAWN
    locked.decided_at = timezone.now()
    stamp(locked, user, ChangeReason.WITHDRAWN)
    locked.save()
    record(
        user,
        Activity.Verb.WITHDREW,
        data={"title": locked.title},
        section=locked.section,
        proposal=locked,
    )
    return locked


@transaction.atomic
def proposal_reject(*, proposal: Proposal, decided_by, reason: str, at_meeting=None) -> Proposal:
    """A coordinator declines a proposal; the reason is required and shown to the author.

    A rejection recorded as a meeting's outcome (`at_meeting`) may come without a typed reason:
    the meeting is the reason, and the entry names it when it is shown.
    """
    if not reason.strip() and at_meeting is None:
        raise ValidationError(_("Give the author a reason for the rejection."))
    locked = lock_proposal(proposal)
    require_open(locked, "rejected")
    locked.status = Proposal.Status.REJECTED
    locked.decided_by, locked.decided_at, locked.decision_reason = decided_by, timezone.now(), reason
    stamp(locked, decided_by, ChangeReason.REJECTED)
    locked.save()
    data = {"title": locked.title, "reason": reason}
    if at_meeting is not None:
        data |= {"meeting": at_meeting.title, "meeting_date": at_meeting.starts_at.isoformat()}
    record(
        decided_by,
        Activity.Verb.REJECTED,
        data=data,
        section=locked.section,
        proposal=locked,
        notify=[locked.author],
    )
    return locked


@dataclass(frozen=True)
class MergeOutcome:
    status: str  # "merged" or "conflict"
    proposal: Proposal
    section: Section | None
    plan: MergePlan | None = None


@transaction.atomic
def proposal_merge(
    *,
    proposal: Proposal,
    merged_by,
    text: str | None = None,
    planned_version: int | None = None,
    override_reason: str = "",
) -> MergeOutcome:
    """Apply a proposal to its section as a new revision credited to the proposal.

    `text` is what the coordinator approved (the merge preview, or their resolution of a
    conflict) against revision `planned_version`. Under the section's row lock:
    - if nothing changed since that revision, `text` is applied;
    - if someone changed the section since, `text` is merged word by word with that change,
      and applied when clean; otherwise nothing is saved and a fresh plan is returned.
    Without `text`, the proposal's own text is merged onto the current section.
    Other open proposals that no longer merge cleanly are marked "needs review".

    A proposal someone objects to is merged only with the coordinator's `override_reason`,
    checked under the lock (an objection may arrive while the merge page is open), unless a
    meeting agreed the proposal: the meeting is then the reason. The reason and the objectors
    are recorded on the revision (`change_data["over_objections"]`), in the proposal's
    `decision_reason` and in the activity.
    """
    # The approved text is rendered before the lock; a text merged under the lock is rendered there.
    prepared = prepare_text(text) if text is not None and proposal.kind == Proposal.Kind.AMENDMENT else None
    # Lock order everywhere: section, then proposals (see drafting/services/__init__.py).
    section = lock_section(proposal.section_id) if proposal.kind == Proposal.Kind.AMENDMENT else None
    locked_proposal = lock_proposal(proposal)
    require_open(locked_proposal, "merged")
    over_objections = _check_objections(locked_proposal, override_reason)
    if locked_proposal.kind == Proposal.Kind.NEW_SECTION:
        return _merge_new_section(locked_proposal, merged_by, text, over_objections)
    locked_proposal.section = section
    if section.is_retired:
        raise ValidationError(_("The section of this proposal has been retired; restore it before merging."))
    if text is None:
        plan = proposal_merge_plan(locked_proposal)
        if not plan.clean:
            return MergeOutcome("conflict", locked_proposal, section, plan)
        text = plan.merge.text
    elif planned_version != section.version:
        if planned_version is None or not 1 <= planned_version <= section.version:
            raise ValidationError(_("The merge form refers to a revision this section does not have."))
        merge = merge_three_way(revision_text(section, planned_version), section.body, text)
        if not merge.clean:
            plan = MergePlan(
                locked_proposal, section.version, revision_text(section, planned_version), section.body, merge
            )
            return MergeOutcome("conflict", locked_proposal, section, plan)
        text = merge.text

    section.body = text
    save_revision(
        section,
        user=merged_by,
        kind=RevisionKind.MERGE,
        data=_merge_data(locked_proposal, over_objections),
        proposal=locked_proposal,
        prepared=prepared,
    )
    _mark_merged(locked_proposal, merged_by, section, over_objections)
    _flag_alternatives(section, merged=locked_proposal, user=merged_by)
    return MergeOutcome("merged", locked_proposal, section)


def open_objections(proposal: Proposal) -> list[tuple[str, str]]:
    """(name, reason) of each expert who currently objects to the proposal (one query)."""
    rows = proposal.positions.filter(stance=Position.Stance.OBJECT).order_by("expert__full_name")
    return list(rows.values_list("expert__full_name", "reason"))


def _check_objections(proposal: Proposal, override_reason: str) -> dict | None:
    """Refuse a merge over objections without a reason; what to record when there is one."""
    objections = open_objections(proposal)
    if not objections:
        return None
    reason = override_reason.strip()
    if not reason and proposal.agreed_meeting_id is None:
        names = ", ".join(name for name, _reason in objections)
        raise ValidationError(
            ngettext(
                "%(names)s objects to this proposal. To merge it anyway, confirm that you have read the "
                "objection and give the reason for merging over it; it is recorded with the merge.",
                "%(names)s object to this proposal. To merge it anyway, confirm that you have read the "
                "objections and give the reason for merging over them; it is recorded with the merge.",
                len(objections),
            )
            % {"names": names},
            code="objections",
        )
    recorded = {"objectors": [name for name, _reason in objections], "reason": reason}
    if not reason:
        meeting = proposal.agreed_meeting
        recorded |= {"meeting": meeting.title, "meeting_date": meeting.starts_at.isoformat()}
    return recorded


def _merge_new_section(proposal: Proposal, merged_by, text: str | None, over_objections: dict | None) -> MergeOutcome:
    parent = proposal.new_parent
    section = section_create(
        concept=proposal.concept,
        heading=proposal.heading,
        body=proposal.text if text is None else text,
        parent=parent if parent is not None and not parent.is_retired else None,
        user=merged_by,
        proposal=proposal,
        over_objections=over_objections,
    )
    proposal.section = section
    proposal.base_version = section.version
    _mark_merged(proposal, merged_by, section, over_objections)
    index_proposal(proposal)
    return MergeOutcome("merged", proposal, section)


def _merge_data(proposal: Proposal, over_objections: dict | None = None) -> dict:
    """What "Merged proposal #N by X" needs, kept on the revision (the proposal row may change)."""
    data = {"proposal": proposal.pk, "author": _author_name(proposal.author)}
    if over_objections:
        data["over_objections"] = over_objections
    return data


def _mark_merged(proposal: Proposal, merged_by, section: Section, over_objections: dict | None = None) -> None:
    proposal.status = Proposal.Status.MERGED
    proposal.decided_by, proposal.decided_at = merged_by, timezone.now()
    proposal.merged_version = section.version
    data = {"title": proposal.title, "heading": section.heading, "version": section.version}
    if over_objections:
        proposal.decision_reason = over_objections["reason"]
        data["over_objections"] = over_objections
    stamp(proposal, merged_by, ChangeReason.MERGED)
    proposal.save()
    record(
        merged_by,
        Activity.Verb.MERGED,
        data=data,
        section=section,
        proposal=proposal,
        notify=[proposal.author],
    )


def _flag_alternatives(section: Section, *, merged: Proposal, user) -> None:
    """Open proposals on the same passage no longer apply cleanly: ask for review, never close them silently."""
    others = (
        Proposal.objects.select_for_update(no_key=True)
        .filter(section=section, status=Proposal.Status.OPEN)
        .exclude(pk=merged.pk)
    )
    for other in others:
        if merge_three_way(revision_text(section, other.base_version), section.body, other.text).clean:
            continue
        other.status = Proposal.Status.NEEDS_REVIEW
        stamp(other, user, ChangeReason.NEEDS_REVIEW)
        other.save()
        record(
            user,
            Activity.Verb.NEEDS_REVIEW,
            data={"title": other.title, "heading": section.heading, "merged": merged.pk},
            section=section,
            proposal=other,
            notify=[other.author],
        )
