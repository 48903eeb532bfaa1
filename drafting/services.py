"""Every write to the Concept: one function per action, each a transaction.

Each service locks the rows it changes (`select_for_update`), checks the revision the
person started from, saves with plain `save()` (django-simple-history ignores `update()`),
and records who and why on the history row. Problems a person can act on are raised as
`ValidationError` with a message meant for them.

Locks are `FOR NO KEY UPDATE` (we never change keys), so inserting rows that refer to a
locked row (history, activity) does not wait on it; and a service that locks a section and
proposals always takes the section first, so two services cannot deadlock.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from drafting.markdown import render_markdown
from drafting.selectors import concept_outline, flatten, revision_text
from drafting.models import (
    Activity,
    AgendaItem,
    Comment,
    Concept,
    Edition,
    EditionSection,
    LastVisit,
    Meeting,
    Notice,
    Position,
    Proposal,
    RevisionKind,
    Section,
)
from drafting.text import MergeResult, make_anchor, merge_three_way


def _save_revision(section: Section, *, user, reason: str, kind: str, proposal=None) -> Section:
    """Raise the version, render the text once, and save with who/why on the history row."""
    section.version += 1 if section.pk else 0
    section.body_html = render_markdown(section.body)
    _stamp(section, user, reason)
    section._change_kind = kind
    section._proposal = proposal
    section.save()
    return section


def _stamp(record, user, reason: str) -> None:
    """Who and why, for the history row the next save() writes."""
    record._history_user = user
    record._change_reason = reason


def _lock(section_or_pk) -> Section:
    pk = getattr(section_or_pk, "pk", section_or_pk)
    return Section.objects.select_for_update(no_key=True).get(pk=pk)


def _next_order(concept: Concept, parent: Section | None) -> int:
    top = Section.objects.filter(concept=concept, parent=parent).aggregate(top=Max("order"))["top"]
    return (top or 0) + 10


def _record(actor, verb: str, summary: str, *, section=None, proposal=None, notify=()) -> Activity:
    """Write one activity entry, and a notice for each person concerned (never the actor)."""
    activity = Activity.objects.create(
        actor=actor, verb=verb, summary=summary[:500], section=section, proposal=proposal
    )
    recipients = {user.pk for user in notify if user is not None and user != actor}
    Notice.objects.bulk_create(Notice(recipient_id=pk, activity=activity) for pk in recipients)
    return activity


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
        _record(user, Activity.Verb.EDITED, _edit_summary(locked, summary), section=locked)
        return EditOutcome("saved", locked, base_version)

    merge = merge_three_way(revision_text(locked, base_version), locked.body, body)
    if not merge.clean:
        return EditOutcome("conflict", locked, base_version, merge)
    if merge.text == locked.body:
        return EditOutcome("unchanged", locked, base_version, merge)
    locked.body = merge.text
    _save_revision(locked, user=user, reason=summary, kind=RevisionKind.EDIT)
    _record(user, Activity.Verb.EDITED, _edit_summary(locked, summary), section=locked)
    return EditOutcome("merged", locked, base_version, merge)


def _edit_summary(section: Section, summary: str) -> str:
    return _("“%(heading)s”, revision %(version)s: %(summary)s") % {
        "heading": section.heading, "version": section.version, "summary": summary}


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


# --- Proposals ---------------------------------------------------------------------------


def _author_name(user) -> str:
    expert = getattr(user, "expert", None)
    return expert.full_name if expert else user.get_username()


def _require_open(proposal: Proposal, action: str) -> None:
    if not proposal.is_open:
        raise ValidationError(
            _("Proposal #%(pk)s is %(status)s; it can no longer be %(action)s.")
            % {"pk": proposal.pk, "status": proposal.get_status_display().lower(), "action": action}
        )


@transaction.atomic
def proposal_create_amendment(*, section: Section, author, title: str, text: str, rationale: str,
                              base_version: int) -> Proposal:
    """Propose a new wording for a section, remembering the revision it was written against."""
    locked = _lock(section)
    if locked.is_retired:
        raise ValidationError(_("This section has been retired; it cannot be amended."))
    if not 1 <= base_version <= locked.version:
        raise ValidationError(_("The form refers to a revision this section does not have."))
    if text == revision_text(locked, base_version):
        raise ValidationError(_("The proposed text is the same as the section's text: change something first."))
    proposal = Proposal(
        concept_id=locked.concept_id, kind=Proposal.Kind.AMENDMENT, section=locked, base_version=base_version,
        title=title, text=text, rationale=rationale, author=author,
    )
    _stamp(proposal, author, _("Proposed"))
    proposal.save()
    _record(author, Activity.Verb.PROPOSED, _("#%(pk)s “%(title)s” on “%(heading)s”") % {
        "pk": proposal.pk, "title": title, "heading": locked.heading}, section=locked, proposal=proposal)
    return proposal


@transaction.atomic
def proposal_create_section(*, concept: Concept, author, title: str, heading: str, text: str, rationale: str,
                            parent: Section | None) -> Proposal:
    """Propose a new section, to be placed at the end of `parent` (or of the top level)."""
    if parent is not None and (parent.concept_id != concept.pk or parent.is_retired):
        raise ValidationError(_("A new section can only be placed under a current section of this Concept."))
    proposal = Proposal(
        concept=concept, kind=Proposal.Kind.NEW_SECTION, new_parent=parent, heading=heading, title=title,
        text=text, rationale=rationale, author=author,
    )
    _stamp(proposal, author, _("Proposed"))
    proposal.save()
    _record(author, Activity.Verb.PROPOSED, _("#%(pk)s new section “%(heading)s”") % {
        "pk": proposal.pk, "heading": heading}, proposal=proposal)
    return proposal


def _lock_proposal(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update(no_key=True, of=("self",)).select_related("section", "author").get(pk=proposal.pk)


@transaction.atomic
def proposal_update(*, proposal: Proposal, user, title: str, text: str, rationale: str, heading: str = "",
                    parent: Section | None = None, base_version: int | None = None) -> Proposal:
    """The author revises their open proposal; the earlier wording stays in its history.

    `base_version` is the section revision the revised text was written against (the edit
    form offers the current one when the proposal needs review); it brings the proposal
    back to "open".
    """
    locked = _lock_proposal(proposal)
    if locked.author_id != user.pk:
        raise ValidationError(_("Only the author can change a proposal."))
    _require_open(locked, _("changed"))
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
    _stamp(locked, user, _("Revised by the author"))
    locked.save()
    _record(user, Activity.Verb.REVISED, _("#%(pk)s “%(title)s”") % {"pk": locked.pk, "title": title},
            section=locked.section, proposal=locked)
    return locked


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, user) -> Proposal:
    locked = _lock_proposal(proposal)
    if locked.author_id != user.pk:
        raise ValidationError(_("Only the author can withdraw a proposal."))
    _require_open(locked, _("withdrawn"))
    locked.status = Proposal.Status.WITHDRAWN
    locked.decided_at = timezone.now()
    _stamp(locked, user, _("Withdrawn by the author"))
    locked.save()
    _record(user, Activity.Verb.WITHDREW, _("#%(pk)s “%(title)s”") % {"pk": locked.pk, "title": locked.title},
            section=locked.section, proposal=locked)
    return locked


@transaction.atomic
def proposal_reject(*, proposal: Proposal, decided_by, reason: str) -> Proposal:
    """A coordinator declines a proposal; the reason is required and shown to the author."""
    if not reason.strip():
        raise ValidationError(_("Give the author a reason for the rejection."))
    locked = _lock_proposal(proposal)
    _require_open(locked, _("rejected"))
    locked.status = Proposal.Status.REJECTED
    locked.decided_by, locked.decided_at, locked.decision_reason = decided_by, timezone.now(), reason
    _stamp(locked, decided_by, _("Rejected: %(reason)s") % {"reason": reason})
    locked.save()
    _record(decided_by, Activity.Verb.REJECTED, _("#%(pk)s “%(title)s”: %(reason)s") % {
        "pk": locked.pk, "title": locked.title, "reason": reason}, section=locked.section, proposal=locked,
        notify=[locked.author])
    return locked


@dataclass(frozen=True)
class MergePlan:
    """What merging a proposal would do now: a clean text to apply, or conflicts to resolve.

    `version` is the section revision the plan was made against; applying it later checks
    that number again, so a plan made stale by another merge is merged again, not applied blindly.
    """

    proposal: Proposal
    version: int
    base_text: str
    current_text: str
    merge: MergeResult

    @property
    def clean(self) -> bool:
        return self.merge.clean

    @property
    def stale(self) -> bool:
        return self.proposal.base_version != self.version


def proposal_merge_plan(proposal: Proposal) -> MergePlan:
    """Three-way merge of an amendment onto the section as it is now (no writes)."""
    section = Section.objects.get(pk=proposal.section_id)
    base_text = revision_text(section, proposal.base_version)
    if section.version == proposal.base_version:
        merge = MergeResult(text=proposal.text, conflicts=())
    else:
        merge = merge_three_way(base_text, section.body, proposal.text)
    return MergePlan(proposal, section.version, base_text, section.body, merge)


@dataclass(frozen=True)
class MergeOutcome:
    status: str  # "merged" or "conflict"
    proposal: Proposal
    section: Section | None
    plan: MergePlan | None = None


@transaction.atomic
def proposal_merge(*, proposal: Proposal, merged_by, text: str | None = None,
                   planned_version: int | None = None) -> MergeOutcome:
    """Apply a proposal to its section as a new revision credited to the proposal.

    `text` is what the coordinator approved (the merge preview, or their resolution of a
    conflict) against revision `planned_version`. Under the section's row lock:
    - if nothing changed since that revision, `text` is applied;
    - if someone changed the section since, `text` is merged word by word with that change,
      and applied when clean; otherwise nothing is saved and a fresh plan is returned.
    Without `text`, the proposal's own text is merged onto the current section.
    Other open proposals that no longer merge cleanly are marked "needs review".
    """
    # Lock order everywhere: section, then proposals (see the module docstring).
    section = _lock(proposal.section_id) if proposal.kind == Proposal.Kind.AMENDMENT else None
    locked_proposal = _lock_proposal(proposal)
    _require_open(locked_proposal, _("merged"))
    if locked_proposal.kind == Proposal.Kind.NEW_SECTION:
        return _merge_new_section(locked_proposal, merged_by, text)
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
            plan = MergePlan(locked_proposal, section.version, revision_text(section, planned_version), section.body,
                             merge)
            return MergeOutcome("conflict", locked_proposal, section, plan)
        text = merge.text

    author = _author_name(locked_proposal.author)
    section.body = text
    _save_revision(
        section, user=merged_by, kind=RevisionKind.MERGE, proposal=locked_proposal,
        reason=_("Merged proposal #%(pk)s by %(author)s") % {"pk": locked_proposal.pk, "author": author},
    )
    _mark_merged(locked_proposal, merged_by, section)
    _flag_alternatives(section, merged=locked_proposal, user=merged_by)
    return MergeOutcome("merged", locked_proposal, section)


def _merge_new_section(proposal: Proposal, merged_by, text: str | None) -> MergeOutcome:
    parent = proposal.new_parent
    section = section_create(
        concept=proposal.concept, heading=proposal.heading, body=proposal.text if text is None else text,
        parent=parent if parent is not None and not parent.is_retired else None, user=merged_by, proposal=proposal,
        reason=_("Merged proposal #%(pk)s by %(author)s") % {"pk": proposal.pk, "author": _author_name(proposal.author)},
    )
    proposal.section = section
    proposal.base_version = section.version
    _mark_merged(proposal, merged_by, section)
    return MergeOutcome("merged", proposal, section)


def _mark_merged(proposal: Proposal, merged_by, section: Section) -> None:
    proposal.status = Proposal.Status.MERGED
    proposal.decided_by, proposal.decided_at = merged_by, timezone.now()
    proposal.merged_version = section.version
    _stamp(proposal, merged_by, _("Merged as revision %(version)s") % {"version": section.version})
    proposal.save()
    _record(merged_by, Activity.Verb.MERGED, _("#%(pk)s “%(title)s” into “%(heading)s” (revision %(version)s)") % {
        "pk": proposal.pk, "title": proposal.title, "heading": section.heading, "version": section.version},
        section=section, proposal=proposal, notify=[proposal.author])


def _flag_alternatives(section: Section, *, merged: Proposal, user) -> None:
    """Open proposals on the same passage no longer apply cleanly: ask for review, never close them silently."""
    others = Proposal.objects.select_for_update(no_key=True).filter(
        section=section, status=Proposal.Status.OPEN
    ).exclude(pk=merged.pk)
    for other in others:
        if merge_three_way(revision_text(section, other.base_version), section.body, other.text).clean:
            continue
        other.status = Proposal.Status.NEEDS_REVIEW
        _stamp(other, user, _("Needs review: proposal #%(pk)s changed the same passage") % {"pk": merged.pk})
        other.save()
        _record(user, Activity.Verb.MERGED, _("#%(pk)s needs review against the new text of “%(heading)s”") % {
            "pk": other.pk, "heading": section.heading}, section=section, proposal=other, notify=[other.author])


# --- Positions ---------------------------------------------------------------------------


@transaction.atomic
def position_record(*, proposal: Proposal, expert, stance: str, reason: str = "") -> Position:
    """Record (or change) one expert's stance on a proposal. An objection needs a reason."""
    if stance not in Position.Stance.values:
        raise ValidationError(_("Choose support, can live with it, or object."))
    if stance == Position.Stance.OBJECT and not reason.strip():
        raise ValidationError(_("An objection needs a reason, so the author and the group can answer it."))
    if not expert.is_active:
        raise ValidationError(_("Only active members of the Working Group take positions."))
    locked = _lock_proposal(proposal)
    _require_open(locked, _("answered"))
    position = Position.objects.select_for_update(no_key=True).filter(proposal=locked, expert=expert).first()
    if position and (position.stance, position.reason) == (stance, reason):
        return position
    changed = position is not None
    position = position or Position(proposal=locked, expert=expert)
    position.stance, position.reason = stance, reason
    _stamp(position, expert.user, _("Changed position") if changed else _("Took a position"))
    position.save()
    objecting = stance == Position.Stance.OBJECT
    _record(
        expert.user, Activity.Verb.OBJECTED if objecting else Activity.Verb.TOOK_POSITION,
        _("%(stance)s on #%(pk)s “%(title)s”") % {
            "stance": position.get_stance_display(), "pk": locked.pk, "title": locked.title},
        section=locked.section, proposal=locked, notify=[locked.author] if objecting else (),
    )
    return position


# --- Comments ----------------------------------------------------------------------------

MAX_THREAD_DEPTH = 3


@transaction.atomic
def comment_add(*, author, body: str, section: Section | None = None, proposal: Proposal | None = None,
                parent: Comment | None = None, quote: str = "") -> Comment:
    """Add a comment or a reply. A quote on a section is anchored to the passage (W3C TextQuoteSelector)."""
    if parent is not None:
        section, proposal = parent.section, parent.proposal
        depth, ancestor = 1, parent
        while ancestor.parent_id:
            depth, ancestor = depth + 1, ancestor.parent
        if depth >= MAX_THREAD_DEPTH:
            raise ValidationError(_("Replies go at most %(n)s levels deep; reply higher up the thread.") % {
                "n": MAX_THREAD_DEPTH})
    if (section is None) == (proposal is None):
        raise ValidationError(_("A comment belongs to a section or to a proposal."))
    comment = Comment(author=author, body=body, body_html=render_markdown(body), section=section,
                      proposal=proposal, parent=parent)
    if quote.strip():
        if section is None:
            raise ValidationError(_("Only a comment on a section can quote its text."))
        anchor = make_anchor(section.body, quote.strip())
        if anchor is None:
            raise ValidationError(_("The quoted passage is not in the current text of this section."))
        comment.quote, comment.quote_prefix, comment.quote_suffix = anchor.quote, anchor.prefix, anchor.suffix
        comment.quote_version = section.version
    _stamp(comment, author, _("Written"))
    comment.save()
    target = proposal or section
    thread_authors = [parent.author] if parent is not None else []
    _record(author, Activity.Verb.COMMENTED, _("on “%(target)s”") % {"target": target}, section=section,
            proposal=proposal, notify=thread_authors + ([proposal.author] if proposal else []))
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, user, body: str) -> Comment:
    locked = Comment.objects.select_for_update(no_key=True).get(pk=comment.pk)
    if locked.author_id != user.pk:
        raise ValidationError(_("Only the author can edit a comment."))
    locked.body, locked.body_html = body, render_markdown(body)
    _stamp(locked, user, _("Edited by the author"))
    locked.save()
    return locked


@transaction.atomic
def comment_set_resolved(*, comment: Comment, user, resolved: bool) -> Comment:
    """Resolve or reopen a thread: its author or a coordinator may."""
    locked = Comment.objects.select_for_update(no_key=True).get(pk=comment.pk)
    if locked.parent_id is not None:
        raise ValidationError(_("Threads are resolved at their first comment."))
    if locked.author_id != user.pk and not user.has_perm("drafting.resolve_any_comment"):
        raise ValidationError(_("Only the author of the thread or a coordinator can resolve it."))
    if locked.is_resolved != resolved:
        locked.is_resolved = resolved
        _stamp(locked, user, _("Resolved") if resolved else _("Reopened"))
        locked.save()
    return locked


# --- Visits ---------------------------------------------------------------------------------


def last_visit_touch(*, user):
    """Remember that the person looked at "what changed" now; return when they looked before."""
    now = timezone.now()
    visit, created = LastVisit.objects.get_or_create(user=user, defaults={"seen_at": now})
    previous = None if created else visit.seen_at
    if not created:
        visit.seen_at = now
        visit.save(update_fields=["seen_at"])
    return previous


# --- Editions ------------------------------------------------------------------------------


@transaction.atomic
def edition_freeze(*, concept: Concept, name: str, note: str = "", user) -> Edition:
    """Freeze the current outline: each section's revision, number, heading and place.

    Sections are locked while the outline is read, so an edition never mixes a section's
    old number with another's new one.
    """
    if Edition.objects.filter(concept=concept, name=name).exists():
        raise ValidationError(_("An edition named “%(name)s” already exists; choose another name.") % {"name": name})
    list(Section.objects.select_for_update(no_key=True).filter(concept=concept).values_list("pk", flat=True))
    edition = Edition(concept=concept, name=name, note=note, created_by=user)
    _stamp(edition, user, _("Frozen"))
    edition.save()
    EditionSection.objects.bulk_create(
        EditionSection(
            edition=edition, section=node.section, version=node.section.version, position=index, number=node.number,
            depth=node.depth, heading=node.section.heading, parent_id=node.section.parent_id,
        )
        for index, node in enumerate(flatten(concept_outline(concept)))
    )
    _record(user, Activity.Verb.FROZE, _("edition “%(name)s”") % {"name": name})
    return edition


# --- Meetings ------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(*, concept: Concept, user, title: str, starts_at, video_url: str = "", agenda_note: str = "",
                     proposals=(), edition: Edition | None = None) -> Meeting:
    """Schedule (or record, if it already took place) a meeting with proposals on its agenda."""
    meeting = Meeting(concept=concept, title=title, starts_at=starts_at, video_url=video_url,
                      agenda_note=agenda_note, edition=edition, created_by=user)
    _stamp(meeting, user, _("Scheduled"))
    meeting.save()
    for order, proposal in enumerate(proposals, start=1):
        item = AgendaItem(meeting=meeting, proposal=proposal, order=order)
        _stamp(item, user, _("Put on the agenda"))
        item.save()
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, user, attendees=None, minutes: str | None = None,
                   edition: Edition | None = None) -> Meeting:
    """Record attendance, minutes and the draft discussed."""
    locked = Meeting.objects.select_for_update(no_key=True).get(pk=meeting.pk)
    if minutes is not None:
        locked.minutes, locked.minutes_html = minutes, render_markdown(minutes)
    locked.edition = edition
    _stamp(locked, user, _("Minutes and attendance recorded"))
    locked.save()
    if attendees is not None:
        locked.attendees.set(attendees)
    return locked


@transaction.atomic
def meeting_record_outcome(*, meeting: Meeting, proposal: Proposal, outcome: str, note: str = "", user) -> AgendaItem:
    """Record what the meeting decided on one proposal of its agenda, and carry it to the proposal.

    Agreed: the proposal is marked "agreed at the meeting of …" (a coordinator then merges it).
    Rejected: the proposal is rejected with the meeting as the reason. Postponed: it stays open.
    """
    item = AgendaItem.objects.select_for_update(no_key=True).filter(meeting=meeting, proposal=proposal).first()
    if item is None:
        raise ValidationError(_("Proposal #%(pk)s is not on this meeting's agenda.") % {"pk": proposal.pk})
    if outcome not in AgendaItem.Outcome.values:
        raise ValidationError(_("Choose agreed, postponed or rejected."))
    when = date_format(timezone.localtime(meeting.starts_at), "j F Y")
    item.outcome, item.note = outcome, note
    _stamp(item, user, _("Outcome: %(outcome)s") % {"outcome": item.get_outcome_display()})
    item.save()
    if outcome == AgendaItem.Outcome.AGREED:
        locked = _lock_proposal(proposal)
        locked.agreed_meeting = meeting
        _stamp(locked, user, _("Agreed at the meeting of %(date)s") % {"date": when})
        locked.save()
    elif outcome == AgendaItem.Outcome.REJECTED and proposal.is_open:
        proposal_reject(proposal=proposal, decided_by=user,
                        reason=note or _("Rejected at the meeting of %(date)s") % {"date": when})
    return item
