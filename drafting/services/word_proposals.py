"""Proposals from an edited Word file: one amendment per changed section, in the uploader's name."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from drafting.models import Concept, Proposal
from drafting.selectors.word import word_file_changes
from drafting.services.proposals import proposal_create_amendment

TITLE_MAX = 200


@transaction.atomic
def proposals_from_word(*, concept: Concept, author, data: bytes, rationale: str) -> list[Proposal]:
    """Create an amendment by `author` for each section the file changed, based on the exported revision.

    The base revision is the one the file was exported at, so the merge queue's three-way merge
    keeps whatever changed in the portal since. Sections already proposed with the same text by
    the same person (the same file sent twice) and retired sections create nothing. Raises
    ValidationError when the file is not a portal export or changes nothing.
    """
    changes = word_file_changes(concept=concept, author=author, data=data)
    created = [
        proposal_create_amendment(
            section=change.section,
            author=author,
            title=change.section.heading[:TITLE_MAX],
            text=change.proposed,
            rationale=rationale,
            base_version=change.version,
        )
        for change in changes
        if change.status == "changed"
    ]
    if not created and not any(c.status == "duplicate" for c in changes):
        raise ValidationError(
            _("No section of this file differs from the text it was exported with: nothing to propose.")
        )
    return created
