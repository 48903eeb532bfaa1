"""Forms, one module per concern as services and selectors are: every text field limits its size and
(through Django's CharField) refuses NUL bytes, so bad input is a message next to the field, with the
typed text kept. Callers import from the package: `from drafting.forms import SectionEditForm`."""

from drafting.forms.base import (
    COMMENT_MAX_CHARS,
    LOST_BASE,
    LOST_SUBMISSION,
    LOST_VERSION,
    SubmittedOnce,
    Versioned,
    body_help,
    new_submission_token,
)
from drafting.forms.comments import (
    QUOTE_MAX_CHARS,
    TOO_LONG_QUOTE,
    CommentEditForm,
    CommentForm,
    QuotedCommentForm,
    SuggestionForm,
)
from drafting.forms.editions import EditionForm
from drafting.forms.meetings import (
    MeetingCancelForm,
    MeetingChangeForm,
    MeetingForm,
    MeetingRecordForm,
    OutcomeForm,
    validate_http_url,
)
from drafting.forms.parallel import LOST_REVERT_BASE, ParallelConfirmForm, ParallelRevertForm, ParallelTextForm
from drafting.forms.proposals import (
    MergeForm,
    MergeOverObjectionsForm,
    NewSectionProposalEditForm,
    NewSectionProposalForm,
    PositionForm,
    ProposalEditForm,
    ProposalForm,
    RejectForm,
)
from drafting.forms.sections import RevertForm, SectionAddForm, SectionEditForm, SectionRenameForm, SectionReparentForm

__all__ = [
    "COMMENT_MAX_CHARS",
    "LOST_BASE",
    "LOST_SUBMISSION",
    "LOST_VERSION",
    "SubmittedOnce",
    "Versioned",
    "body_help",
    "new_submission_token",
    "QUOTE_MAX_CHARS",
    "TOO_LONG_QUOTE",
    "CommentEditForm",
    "CommentForm",
    "QuotedCommentForm",
    "SuggestionForm",
    "EditionForm",
    "MeetingCancelForm",
    "MeetingChangeForm",
    "MeetingForm",
    "MeetingRecordForm",
    "OutcomeForm",
    "validate_http_url",
    "LOST_REVERT_BASE",
    "ParallelConfirmForm",
    "ParallelRevertForm",
    "ParallelTextForm",
    "MergeForm",
    "MergeOverObjectionsForm",
    "NewSectionProposalEditForm",
    "NewSectionProposalForm",
    "PositionForm",
    "ProposalEditForm",
    "ProposalForm",
    "RejectForm",
    "RevertForm",
    "SectionAddForm",
    "SectionEditForm",
    "SectionRenameForm",
    "SectionReparentForm",
]
