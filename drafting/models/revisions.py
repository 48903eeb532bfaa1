"""What a change was: the kinds of revision and the change reasons that history rows store.

Sections and parallel texts share the extra columns of their history rows
(`SectionRevisionFields`); proposals, comments, positions, editions, meetings and agenda items
store a `ChangeReason` code. The sentences a reader sees are made from these when a page is
shown (drafting.selectors.sentences), so nothing translated is stored. Written by
drafting/history.py and drafting/services/revisions.py.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RevisionKind(models.TextChoices):
    """Why a section got a new revision; stored on its history row with its data (`change_data`).

    The sentence a reader sees ("Reverted to revision 3") is made from the kind and the data when
    the page is shown (drafting.selectors.sentences.revision_reason), in the reader's language;
    `history_change_reason` keeps only a person's own words (an edit summary).
    """

    CREATE = "create", _("Created")
    EDIT = "edit", _("Edited")
    MERGE = "merge", _("Merged proposal")
    REVERT = "revert", _("Reverted")
    RENAME = "rename", _("Renamed")
    MOVE = "move", _("Moved")
    REPARENT = "reparent", _("Moved to another place")
    RETIRE = "retire", _("Retired")
    RESTORE = "restore", _("Restored")
    ADMIN = "admin", _("Changed in the admin")
    # Parallel texts only: a translator confirmed the text still says what the drafting text says,
    # which raises `source_version` without a new text revision.
    CHECKED = "checked", _("Checked as still accurate")
    OUTLINE = "outline", _("Outline change")  # rows written before the outline kinds above


class ChangeReason(models.TextChoices):
    """What a service did to a proposal, comment, position, edition, meeting or agenda item.

    Stored as the code in `history_change_reason` of those models' history rows; the label is
    shown in the reader's language. A person's own words stay in their own field
    (`Proposal.decision_reason`, `AgendaItem.note`, `Position.reason`).
    """

    PROPOSED = "proposed", _("Proposed")
    REVISED = "revised", _("Revised by the author")
    WITHDRAWN = "withdrawn", _("Withdrawn by the author")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged")
    NEEDS_REVIEW = "needs-review", _("Needs review: another proposal changed the same passage")
    AGREED = "agreed", _("Agreed at a meeting")
    WRITTEN = "written", _("Written")
    EDITED = "edited", _("Edited by the author")
    RESOLVED = "resolved", _("Resolved")
    REOPENED = "reopened", _("Reopened")
    POSITION_TAKEN = "position-taken", _("Took a position")
    POSITION_CHANGED = "position-changed", _("Changed position")
    FROZEN = "frozen", _("Frozen")
    SCHEDULED = "scheduled", _("Scheduled")
    MINUTES = "minutes", _("Minutes and attendance recorded")
    AGENDA = "agenda", _("Put on the agenda")
    OUTCOME = "outcome", _("Outcome recorded")
    CANCELLED = "cancelled", _("Cancelled")


def change_reason_display(code: str | None) -> str:
    """The label of a stored change-reason code, in the reader's language; anything else as it is."""
    if not code:
        return ""
    labels = dict(ChangeReason.choices)
    return str(labels[code]) if code in labels else code


class SectionRevisionFields(models.Model):
    """Extra columns of a section's history row (see drafting/history.py)."""

    change_kind = models.CharField(
        _("kind of change"), max_length=16, choices=RevisionKind.choices, default=RevisionKind.EDIT
    )
    # What the sentence of a system-made change needs: {"to_version": 3}, {"old_heading": "…"},
    # {"direction": "up"}, {"parent_heading": "…"}, {"proposal": 7, "author": "…"}, {"starter": true}.
    change_data = models.JSONField(_("data of the change"), default=dict, blank=True)
    proposal = models.ForeignKey(
        "drafting.Proposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged proposal"),
    )
    # Written with the row (drafting/history.py), so pages never read old bodies to show them.
    size = models.PositiveIntegerField(_("size in characters"), default=0)
    size_change = models.IntegerField(_("size change"), default=0)
    # The revision that last changed each paragraph of this revision's text ("who wrote this"),
    # computed from the revision before when the row is written.
    paragraph_origins = models.JSONField(_("origin of each paragraph"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def reason_display(self) -> str:
        """Why this revision was made, in the reader's language."""
        from drafting.selectors.sentences import revision_reason

        return revision_reason(self.change_kind, self.change_data, self.history_change_reason)


class SectionHistory(HistoricalRecords):
    """Section history with an index on (section, revision): every page that reads a revision
    finds its row directly, instead of scanning the section's whole history."""

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        options["indexes"] = [models.Index(fields=["id", "version"], name="section_revision_idx")]
        return options
