"""Every write to the Concept: one function per action, each a transaction, one module per concern.

Each service locks the rows it changes (`select_for_update`), checks the revision the
person started from, saves with plain `save()` (django-simple-history ignores `update()`),
and records who and why on the history row. Problems a person can act on are raised as
`ValidationError` with a message meant for them.

Lock order, for every service: locks are `FOR NO KEY UPDATE` (we never change keys), so
inserting rows that refer to a locked row (history, activity) does not wait on it; and a
service that locks a section and proposals always takes the section first, so two services
cannot deadlock.

Callers use the package: `from drafting import services; services.section_edit(...)`.
"""

from drafting.services.activity import last_visit_touch
from drafting.services.comments import MAX_THREAD_DEPTH, comment_add, comment_edit, comment_set_resolved
from drafting.services.editions import edition_freeze
from drafting.services.meetings import (
    meeting_cancel,
    meeting_change,
    meeting_record_outcome,
    meeting_schedule,
    meeting_update,
)
from drafting.services.outline import (
    section_create,
    section_move,
    section_rename,
    section_reparent,
    section_set_retired,
)
from drafting.services.positions import position_record
from drafting.services.proposals import (
    MergeOutcome,
    proposal_create_amendment,
    proposal_create_section,
    proposal_merge,
    proposal_reject,
    proposal_update,
    proposal_withdraw,
)
from drafting.services.sections import (
    EditOutcome,
    section_admin_merge,
    section_admin_save,
    section_edit,
    section_revert,
)
from drafting.services.submissions import SubmissionReused, Submitted, submission_once
from drafting.services.versions import StaleConflict, latest_history_id, latest_history_id_of

__all__ = [
    "MAX_THREAD_DEPTH",
    "EditOutcome",
    "MergeOutcome",
    "StaleConflict",
    "SubmissionReused",
    "Submitted",
    "comment_add",
    "comment_edit",
    "comment_set_resolved",
    "edition_freeze",
    "last_visit_touch",
    "latest_history_id",
    "latest_history_id_of",
    "meeting_cancel",
    "meeting_change",
    "meeting_record_outcome",
    "meeting_schedule",
    "meeting_update",
    "position_record",
    "proposal_create_amendment",
    "proposal_create_section",
    "proposal_merge",
    "proposal_reject",
    "proposal_update",
    "proposal_withdraw",
    "section_admin_merge",
    "section_admin_save",
    "section_create",
    "section_edit",
    "section_move",
    "section_rename",
    "section_reparent",
    "section_revert",
    "section_set_retired",
    "submission_once",
]
