"""What a section's history row records beyond the model's own fields.

Services set `_change_kind` and `_proposal` on the section before `save()`; this receiver
copies them onto the historical row django-simple-history is about to write, so that
attribution and change lists come from the history table alone.
"""

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record


@receiver(pre_create_historical_record, dispatch_uid="drafting.section_revision_fields")
def copy_revision_fields(sender, instance, history_instance, **kwargs):
    from drafting.models import RevisionKind, Section

    if not isinstance(instance, Section):
        return
    history_instance.change_kind = getattr(instance, "_change_kind", RevisionKind.EDIT)
    proposal = getattr(instance, "_proposal", None)
    history_instance.proposal_id = proposal.pk if proposal is not None else None
