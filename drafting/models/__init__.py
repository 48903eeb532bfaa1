"""The data of the drafting: the Concept, its sections and parallel texts, proposals, comments,
positions, activity, editions and meetings, with their invariants, TextChoices and QuerySet methods.

Models hold data and invariants, not workflows: every write that touches several rows or records a
change reason is a service (drafting/services), every read that shapes a page a selector
(drafting/selectors). One module per concern, as services and selectors are:

* ``concepts``: the Concept and the languages it is written in;
* ``revisions``: kinds of revision, change reasons, and the extra columns of a section's history rows;
* ``sections``: sections, their outline and history;
* ``parallel``: a section's text in each parallel language;
* ``proposals``: proposals and the rules for which ones count (``ProposalQuerySet``);
* ``documents``: the stamp of the document page (``DocumentChange``);
* ``comments``: threads on sections and proposals, anchored to quotes;
* ``positions``: each expert's stance on a proposal;
* ``activity``: what happened, the notices it gives, and each person's last visit;
* ``editions``: the Concept frozen under a name;
* ``meetings``: meetings, their agenda items and the bounds of their length;
* ``submissions``: one-time tokens of the forms that create something.

Callers import from the package: ``from drafting.models import Section``. Migrations refer to
``drafting.models.default_parallel_languages``, which stays importable from here.
"""

# isort: off
# The modules are imported in the order the models were defined when they were one module:
# Django registers models (and django-simple-history their history models) in import order, and
# that order decides the order of content types and permissions in a new database and of dumpdata.
from drafting.models.concepts import Concept, default_parallel_languages
from drafting.models.revisions import (
    ChangeReason,
    RevisionKind,
    SectionHistory,
    SectionRevisionFields,
    change_reason_display,
)
from drafting.models.sections import Section, SectionQuerySet
from drafting.models.parallel import ParallelText
from drafting.models.proposals import Proposal, ProposalQuerySet
from drafting.models.documents import DocumentChange
from drafting.models.comments import Comment
from drafting.models.positions import Position
from drafting.models.activity import Activity, LastVisit, Notice
from drafting.models.editions import Edition, EditionParallelText, EditionSection
from drafting.models.meetings import DEFAULT_MEETING_LENGTH, MAX_MEETING_LENGTH, AgendaItem, Meeting
from drafting.models.submissions import SubmissionToken

# django-simple-history creates each history model in the module of the model it tracks; they are
# named here as well, as they were when the models were one module.
from drafting.models.concepts import HistoricalConcept
from drafting.models.sections import HistoricalSection
from drafting.models.parallel import HistoricalParallelText
from drafting.models.proposals import HistoricalProposal
from drafting.models.comments import HistoricalComment
from drafting.models.positions import HistoricalPosition
from drafting.models.editions import HistoricalEdition
from drafting.models.meetings import HistoricalMeeting, HistoricalMeeting_attendees, HistoricalMeeting_invitees
from drafting.models.meetings import HistoricalAgendaItem
# isort: on

__all__ = [
    "DEFAULT_MEETING_LENGTH",
    "MAX_MEETING_LENGTH",
    "Activity",
    "AgendaItem",
    "ChangeReason",
    "Comment",
    "Concept",
    "DocumentChange",
    "Edition",
    "EditionParallelText",
    "EditionSection",
    "HistoricalAgendaItem",
    "HistoricalComment",
    "HistoricalConcept",
    "HistoricalEdition",
    "HistoricalMeeting",
    "HistoricalMeeting_attendees",
    "HistoricalMeeting_invitees",
    "HistoricalParallelText",
    "HistoricalPosition",
    "HistoricalProposal",
    "HistoricalSection",
    "LastVisit",
    "Meeting",
    "Notice",
    "ParallelText",
    "Position",
    "Proposal",
    "ProposalQuerySet",
    "RevisionKind",
    "Section",
    "SectionHistory",
    "SectionQuerySet",
    "SectionRevisionFields",
    "SubmissionToken",
    "change_reason_display",
    "default_parallel_languages",
]
