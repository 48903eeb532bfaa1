"""What a section's history row records beyond the model's own fields.

Services set `_change_kind`, `_change_data`, `_proposal`, `_previous_size` and `_paragraph_origins` on the
section (drafting/services/revisions.py) or on a parallel text (drafting/services/parallel.py) before
`save()`; this receiver copies them onto the historical row django-simple-history is about to write,
with the text's size. Attribution, history pages and change lists then come from the history table
alone, one row per revision shown.
"""

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record


@receiver(pre_create_historical_record, dispatch_uid="drafting.section_revision_fields")
def copy_revision_fields(sender, instance, history_instance, **kwargs):
    from drafting.models import ParallelText, RevisionKind, Section

    if not isinstance(instance, Section | ParallelText):
        return
    history_instance.change_kind = getattr(instance, "_change_kind", RevisionKind.EDIT)
    history_instance.change_data = getattr(instance, "_change_data", None) or {}
    proposal = getattr(instance, "_proposal", None)
    history_instance.proposal_id = proposal.pk if proposal is not None else None
    history_instance.size = len(instance.body)
    history_instance.size_change = len(instance.body) - getattr(instance, "_previous_size", 0)
    history_instance.paragraph_origins = getattr(instance, "_paragraph_origins", None)
