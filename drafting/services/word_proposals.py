"""Proposals from an edited Word file: one amendment per changed section, in the uploader's name."""

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drafting.models import Concept, Proposal
from drafting.selectors.word import review_fingerprint, word_file_changes
from drafting.services.proposals import proposal_create_amendment

TITLE_MAX = 200

STALE_REVIEW = gettext_lazy(
    "The open proposals of these sections changed while you were reviewing this page. Nothing was created; "
    "check the sections below again, then confirm."
)


@transaction.atomic
def proposals_from_word(
    *,
    concept: Concept,
    author,
    data: bytes,
    rationale: str,
    keep_accepted: Collection[int] = (),
    reviewed: str | None = None,
) -> list[Proposal]:
    """Create an amendment by `author` for each section the file changed, based on the exported revision.

    The base revision is the one the file was exported at, so the merge queue's three-way merge
    keeps whatever changed in the portal since. Open proposals found in a section's text (their
    tracked changes accepted in Word) are left out of the person's proposal, unless the section
    is in `keep_accepted`: otherwise the person would propose other people's changes in their own
    name without noticing. Sections already proposed with the same text by the same person (the
    same file sent twice), sections with nothing left once those proposals are left out, and
    retired sections create nothing. `reviewed` is the fingerprint of the review page the person
    confirmed: if the open proposals moved since, nothing is created (ValidationError), so nobody
    confirms what they did not see. Raises ValidationError when the file is not a portal export or
    changes nothing.
    """
    changes = word_file_changes(concept=concept, author=author, data=data)
    if reviewed is not None and reviewed != review_fingerprint(changes):
        raise ValidationError(STALE_REVIEW)
    created = [
        proposal_create_amendment(
            section=change.section,
            author=author,
            title=change.section.heading[:TITLE_MAX],
            text=change.text(keep_accepted=change.section_id in keep_accepted),
            rationale=rationale,
            base_version=change.version,
        )
        for change in changes
        if change.status == "changed"
    ]
    if not created and not any(c.status == "duplicate" for c in changes):
        if any(c.status == "accepted" for c in changes):
            raise ValidationError(
                _("This file only contains open proposals accepted in Word: nothing is left to propose.")
            )
        raise ValidationError(
            _("No section of this file differs from the text it was exported with: nothing to propose.")
        )
    return created
